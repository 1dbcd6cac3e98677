import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing of notification webhooks. The signed material is `${timestamp}.${body}` (the raw JSON body, byte for
 * byte as sent); the signature is `sha256=` + the lowercase hex HMAC-SHA256 of it with NOTIFY_SIGNING_SECRET.
 */

export const NotifyHeader = Object.freeze({
  /** `sha256=<hex HMAC-SHA256 of "${timestamp}.${body}">`; absent when no NOTIFY_SIGNING_SECRET is configured. */
  Signature: 'X-Notify-Signature',
  /** Unix time in seconds when this attempt was sent (each retry has its own, and is signed again). */
  Timestamp: 'X-Notify-Timestamp',
  /** The event's `id`: the same on every retry of one event, so receivers can drop duplicates. */
  EventId: 'X-Notify-Event-Id',
});

const SCHEME = 'sha256=';

/** The X-Notify-Signature value for a body sent at `timestamp` (seconds, as text). */
export function signNotification(secret: string, timestamp: string, body: string | Buffer): string {
  return SCHEME + hmacHex(secret, timestamp, body);
}

export interface VerifyOptions {
  /** Also refuse a timestamp further than this from `nowMs` (replay protection). Unchecked when absent. */
  toleranceSeconds?: number;
  /** The receiver's current time in epoch ms (default Date.now()). */
  nowMs?: number;
}

/**
 * For receivers: true when `header` (X-Notify-Signature) is the signature of `body` (the raw request body, not
 * re-serialised JSON) sent at `timestamp` (X-Notify-Timestamp) with `secret`. Constant-time comparison.
 * Pass `toleranceSeconds` (e.g. 300) to refuse old or future timestamps as well.
 */
export function verifyNotificationSignature(
  secret: string,
  timestamp: string,
  body: string | Buffer,
  header: string | undefined,
  options: VerifyOptions = {},
): boolean {
  if (!header?.startsWith(SCHEME) || !/^\d+$/.test(timestamp)) return false;
  if (options.toleranceSeconds !== undefined) {
    const ageSeconds = Math.abs((options.nowMs ?? Date.now()) / 1000 - Number(timestamp));
    if (ageSeconds > options.toleranceSeconds) return false;
  }
  const given = Buffer.from(header.slice(SCHEME.length).toLowerCase(), 'utf8');
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmacHex(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}
