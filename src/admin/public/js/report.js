/**
 * Turns a failed action into a sentence in a status line next to it. 401 and 503 and network
 * failures are also handled page-wide (sign-in, banner); this only says what did not happen here.
 */
export function report(statusElement, err, what) {
  statusElement.classList.add('error');
  statusElement.textContent = `${what}: ${describe(err)}`;
  if (err?.name !== 'ApiError' && err?.name !== 'NetworkError') console.error(err);
}

export function describe(err) {
  if (err?.name === 'NetworkError') return 'the server could not be reached.';
  if (err?.status === 403) return `not allowed — ${err.message}`;
  return err?.message ?? String(err);
}

/** Shows a success sentence in a status line. */
export function announce(statusElement, text) {
  statusElement.classList.remove('error');
  statusElement.textContent = text;
}
