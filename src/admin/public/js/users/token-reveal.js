import { h, statusLine, uid } from '../dom.js';

/**
 * A user's new bearer token, shown once (the server keeps only its hash): a read-only field, a copy
 * button, and Done, which removes it for good.
 */
export function tokenReveal({ userName, token, onDone }) {
  const id = uid('token');
  const field = h('input', { id, type: 'text', readonly: true, value: token, class: 'token', spellcheck: 'false' });
  const copied = statusLine('copy-status');
  const copy = h('button', { type: 'button', onclick: () => copyToken(field, copied) }, 'Copy token');
  const done = h('button', { type: 'button', class: 'primary', onclick: () => { element.remove(); onDone?.(); } }, 'Done');
  const element = h('section', { class: 'token-reveal card', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, `Token for ${userName}`),
    h('p', {}, 'Copy it now and give it to them: it is shown only this once. They sign in with it.'),
    h('label', { for: id }, 'Token'), field,
    h('div', { class: 'actions' }, copy, done), copied);
  queueMicrotask(() => field.select());
  return element;
}

async function copyToken(field, status) {
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    status.textContent = 'Copied to the clipboard.';
  } catch (err) {
    if (err?.name !== 'NotAllowedError' && !(err instanceof TypeError)) console.error(err);
    status.textContent = 'Could not copy automatically: the token is selected, press Ctrl+C (⌘C) to copy it.';
  }
}
