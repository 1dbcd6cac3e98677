/** What a task returns to leave its button disabled: it succeeded and the page moves on (after "Create rule"). */
export const KEEP_DISABLED = Symbol('keep disabled');

/**
 * Wraps a form's submit action so that only one request is in flight: while `task` runs, `button` is disabled and
 * further calls are ignored (a double click on "Create user" creates one user). The button comes back when `task`
 * is done (a failure, say), unless it returned KEEP_DISABLED; the keyboard focus, lost when it was disabled, too.
 */
export function oneAtATime(button, task) {
  let busy = false;
  return async (...args) => {
    if (busy) return undefined;
    busy = true;
    button.disabled = true;
    let result;
    try {
      result = await task(...args);
      return result;
    } finally {
      if (result !== KEEP_DISABLED) {
        busy = false;
        release(button);
      }
    }
  };
}

function release(button) {
  const active = document.activeElement;
  const focusLost = !active || active === document.body || active === button;
  button.disabled = false;
  if (focusLost && button.isConnected) button.focus();
}
