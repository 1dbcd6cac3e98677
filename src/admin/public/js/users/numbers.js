import { withoutSeparators } from '../editor/draft.js';

/**
 * Phone numbers as people type them → a list. One per line, or separated by commas or semicolons; on one line, a space
 * followed by + starts the next number. Within a number, spaces, dashes, dots and brackets go ("+1 (555) 123-4567").
 */
export function parseNumbers(text) {
  return String(text ?? '')
    .split(/[\n,;]+|\s+(?=\+)/)
    .map(withoutSeparators)
    .filter((n) => n !== '');
}

export function formatNumbers(numbers) {
  return (numbers ?? []).join('\n');
}
