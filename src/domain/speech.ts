/** Text for `<Say>`: how the app speaks numbers and callers. */

const ANONYMOUS = new Set(['', 'anonymous', 'restricted', 'unknown', 'private', 'unavailable', '+266696687']);

const UNKNOWN_CALLER = 'an unknown caller';

/** Twilio's From for a caller who withheld their number: a word, or +266696687 (which is not a real caller). */
export function isWithheldCaller(from: string): boolean {
  return ANONYMOUS.has(from.trim().toLowerCase());
}

const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The most characters of a Client identity or SIP user spoken: the caller chooses them. */
const SPOKEN_IDENTITY_MAX = 30;

/**
 * A caller as a person would want to hear it: a phone number digit by digit (North American numbers
 * without the country code, grouped 3-3-4), a Client identity or SIP user by name, else "an unknown caller".
 */
export function spokenCaller(from: string): string {
  const value = from.trim();
  if (isWithheldCaller(value)) return UNKNOWN_CALLER;
  if (/^client:/i.test(value)) return spokenIdentity(value.slice('client:'.length));
  const sip = /^sips?:([^@;?]+)@/i.exec(value);
  if (sip?.[1]) return spokenIdentity(sip[1]);
  const digits = value.replace(/\D/g, '');
  if (digits === '') return UNKNOWN_CALLER;
  return spokenDigits(digits);
}

/** A name the caller chose: a number is read as one; else its letters (any script, with their marks), digits, . - and _, cut short. */
function spokenIdentity(identity: string): string {
  if (/^\+?\d{3,}$/.test(identity)) return spokenDigits(identity);
  const kept = identity.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '');
  // cut between characters as a reader sees them, so that no accent or vowel sign is cut off its letter
  const characters = [...GRAPHEMES.segment(kept)].map((s) => s.segment);
  return characters.slice(0, SPOKEN_IDENTITY_MAX).join('') || UNKNOWN_CALLER;
}

/** "+15551230001" → "5 5 5, 1 2 3, 0 0 0 1"; other numbers: every digit, spaced. */
export function spokenDigits(number: string): string {
  const digits = number.replace(/\D/g, '');
  const national = digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : undefined;
  if (national) {
    return [national.slice(0, 3), national.slice(3, 6), national.slice(6)].map(spaced).join(', ');
  }
  return spaced(digits);
}

/** Digits someone keyed in, every one read back as pressed (no country code dropped): "15551234567" → "1 5 5 5 …". */
export function spokenKeyedDigits(keyed: string): string {
  return spaced(keyed.replace(/\D/g, ''));
}

function spaced(digits: string): string {
  return digits.split('').join(' ');
}
