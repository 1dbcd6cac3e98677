/** A one-time message carried to the next page ("Saved rule “Weekdays”."), shown once and forgotten. */
let pending = null;

export function setFlash(text) {
  pending = text;
}

export function takeFlash() {
  const text = pending;
  pending = null;
  return text;
}
