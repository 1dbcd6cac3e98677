/** Phone numbers as people type them (one per line, or separated by commas or spaces) → a list. */
export function parseNumbers(text) {
  return String(text ?? '')
    .split(/[\s,;]+/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

export function formatNumbers(numbers) {
  return (numbers ?? []).join('\n');
}
