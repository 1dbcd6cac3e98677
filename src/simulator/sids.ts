import { randomBytes } from 'node:crypto';

/** Random bytes are drawn this many SIDs at a time: one system call for many calls created. */
const SIDS_PER_DRAW = 256;
const SID_BYTES = 16;

let pool = Buffer.alloc(0);
let used = 0;

/** Twilio-shaped SIDs: a two-letter prefix and 32 hex digits (CA calls, RE recordings, QU queues, TR transcriptions). */
export function newSid(prefix: 'CA' | 'RE' | 'QU' | 'TR'): string {
  if (used + SID_BYTES > pool.length) {
    pool = randomBytes(SIDS_PER_DRAW * SID_BYTES);
    used = 0;
  }
  used += SID_BYTES;
  return prefix + pool.toString('hex', used - SID_BYTES, used);
}
