/**
 * A one-time message carried to the next page ("Saved rule “Weekdays”."), shown once in the page-wide flash line
 * (#flash in index.html, role=status) and forgotten. That line is on the page from the first load and is never
 * rebuilt, so screen readers announce what is written into it; a status line built with the next page, its text
 * already in it, is not reliably announced.
 */
let pending = null;

export function setFlash(text) {
  pending = text;
}

/** For every page shown: the message carried to it, or none (the last page's message goes). */
export function showFlash() {
  document.getElementById('flash').textContent = pending ?? '';
  pending = null;
}
