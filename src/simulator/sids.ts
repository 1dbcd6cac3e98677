import { randomBytes } from 'node:crypto';

/** Twilio-shaped SIDs: a two-letter prefix and 32 hex digits (CA calls, RE recordings, QU queues, TR transcriptions). */
export function newSid(prefix: 'CA' | 'RE' | 'QU' | 'TR'): string {
  return prefix + randomBytes(16).toString('hex');
}
