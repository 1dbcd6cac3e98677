/** Text for `<Say>`: how the app speaks numbers and callers. */

const ANONYMOUS = new Set(['', 'anonymous', 'restricted', 'unknown', 'private', 'unavailable', '+266696687']);

/**
 * A caller as a person would want to hear it: a phone number digit by digit (North American numbers
 * without the country code, grouped 3-3-4), a Client identity or SIP user by name, else "an unknown caller".
 */
export function spokenCaller(from: string): string {
  const value = from.trim();
  if (ANONYMOUS.has(value.toLowerCase())) return 'an unknown caller';
  if (/^client:/i.test(value)) return value.slice('client:'.length) || 'an unknown caller';
  const sip = /^sips?:([^@;?]+)@/i.exec(value);
  if (sip?.[1]) return sip[1];
  const digits = value.replace(/\D/g, '');
  if (digits === '') return 'an unknown caller';
  return spokenDigits(digits);
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

function spaced(digits: string): string {
  return digits.split('').join(' ');
}
