/**
 * The API's validation messages are written for programmers ("must be an E.164 number: …"); the panel shows the ones a
 * rule's owner meets in their words. A message not listed here is shown as the API wrote it.
 */
const PLAIN = [
  [/^must be an E\.164 number\b/, () => 'Enter the number with + and the country code, e.g. +1 555 123 0001.'],
  [/^must be a sip: or sips: URI$/, () => 'Enter a SIP address starting with sip:, e.g. sip:john@example.com.'],
  [/^must be a client identity\b/, () => 'Enter the app user’s name: up to 100 letters, digits, _ . or -.'],
  [/^must be an http\(s\) URL$/, () => 'Enter a web address starting with https:// (or http://).'],
  [/^must be text to speak or an https URL of audio$/, () => 'Enter the words to say, or the https:// address of a recording.'],
  [/^must be greater than or equal to (-?[\d.]+)$/, (m) => `Must be at least ${m[1]}.`],
  [/^must be less than or equal to (-?[\d.]+)$/, (m) => `Must be at most ${m[1]}.`],
  [/^length must be less than or equal to (\d+) characters? long$/, (m) => `Must be at most ${m[1]} characters.`],
  [/^must be an integer$/, () => 'Enter a whole number.'],
  [/^is not allowed to be empty$|^must not be blank$/, () => 'Must not be empty.'],
];

export function plainMessage(message) {
  const text = String(message ?? '');
  for (const [pattern, say] of PLAIN) {
    const match = pattern.exec(text);
    if (match) return say(match);
  }
  return text;
}
