import { createHmac } from 'node:crypto';
import { signNotification, verifyNotificationSignature } from '../../src/notify';

/** What a receiver checks with verifyNotificationSignature: the body it got, the time it was sent, the secret. */

const SECRET = 'whsec-0123456789abcdef';
const BODY = '{"type":"voicemail","id":"evt_voicemail_RE1"}';
const TIMESTAMP = '1772550000';
const hmac = (material: string) => `sha256=${createHmac('sha256', SECRET).update(material).digest('hex')}`;

describe('verifyNotificationSignature', () => {
  it('accepts the HMAC-SHA256 of "timestamp.body" (hex, sha256= prefix), as a string or as raw bytes', () => {
    const header = hmac(`${TIMESTAMP}.${BODY}`);
    expect(signNotification(SECRET, TIMESTAMP, BODY)).toBe(header);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, header)).toBe(true);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, Buffer.from(BODY), header)).toBe(true);
  });

  it('refuses a changed body, a changed timestamp, another secret, or a signature of the body alone', () => {
    const header = hmac(`${TIMESTAMP}.${BODY}`);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY.replace('RE1', 'RE2'), header)).toBe(false);
    expect(verifyNotificationSignature(SECRET, '1772550001', BODY, header)).toBe(false);
    expect(verifyNotificationSignature('another-secret-0123456789', TIMESTAMP, BODY, header)).toBe(false);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, hmac(BODY))).toBe(false);
  });

  it('refuses a missing or malformed header', () => {
    const hex = hmac(`${TIMESTAMP}.${BODY}`).slice('sha256='.length);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, undefined)).toBe(false);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, hex)).toBe(false);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, 'sha256=')).toBe(false);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, `sha1=${hex}`)).toBe(false);
    expect(verifyNotificationSignature(SECRET, 'yesterday', BODY, hmac(`yesterday.${BODY}`))).toBe(false);
  });

  it('with a tolerance, refuses a timestamp too far from the receiver\'s clock (replays)', () => {
    const header = hmac(`${TIMESTAMP}.${BODY}`);
    const sentMs = Number(TIMESTAMP) * 1000;
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, header, { toleranceSeconds: 300, nowMs: sentMs + 299_000 })).toBe(true);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, header, { toleranceSeconds: 300, nowMs: sentMs + 301_000 })).toBe(false);
    expect(verifyNotificationSignature(SECRET, TIMESTAMP, BODY, header, { toleranceSeconds: 300, nowMs: sentMs - 301_000 })).toBe(false);
  });
});
