import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every user bearer token, so a leaked token is recognisable (e.g. by secret scanners). */
export const TOKEN_PREFIX = 'chr_';

let lastTime = -1;
let sequence = 0;

/**
 * A new unique id: `<prefix>_` + time (base36) + per-process sequence + randomness.
 * Ids made later in the same process sort after earlier ones (also within one millisecond),
 * which keeps "ties broken by createdAt, then id" in creation order.
 */
export function newId(prefix: string, nowMs: number): string {
  if (nowMs === lastTime) {
    sequence += 1;
  } else {
    lastTime = nowMs;
    sequence = 0;
  }
  const time = Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, '0');
  const seq = sequence.toString(36).padStart(4, '0');
  return `${prefix}_${time}${seq}${randomBytes(6).toString('hex')}`;
}

/** A new bearer token: 32 random bytes, base64url, prefixed. Shown once; only its hash is stored. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The stored form of a token (UserRecord.tokenHash): SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two secrets in constant time (independent of where they differ and of their lengths). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
