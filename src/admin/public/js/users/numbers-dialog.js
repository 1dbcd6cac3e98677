import { api, seg } from '../api.js';
import { h, statusLine } from '../dom.js';
import { clearErrors, showErrors } from '../editor/errors.js';
import { textArea } from '../editor/fields.js';
import { report } from '../report.js';
import { formatNumbers, parseNumbers } from './numbers.js';

/**
 * Assigns phone numbers to a user in a modal dialog (PATCH /api/users/:id { numbers }).
 * Resolves with the updated user, or null when cancelled.
 */
export function editNumbers(user) {
  const draft = { numbers: formatNumbers(user.numbers) };
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const status = statusLine('action-status');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h('form', { novalidate: true },
    h('h2', { id: 'numbers-title' }, `Numbers of ${user.name}`),
    summary,
    textArea({ label: 'Phone numbers', path: 'numbers', rows: 4, get: () => draft.numbers, set: (v) => (draft.numbers = v),
      hint: 'E.164, one per line. Calls to these numbers use this user’s rules.' }),
    status,
    h('div', { class: 'actions' }, cancel, h('button', { type: 'submit', class: 'primary' }, 'Save numbers')));
  const dialog = h('dialog', { 'aria-labelledby': 'numbers-title', class: 'numbers-dialog' }, form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let result = null;
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); }, { once: true });
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form, summary);
      try {
        result = await api.patch(`/api/users/${seg(user.id)}`, { numbers: parseNumbers(draft.numbers) });
        dialog.close();
      } catch (err) {
        if (err.status === 400 || err.status === 409) showErrors(form, summary, err);
        else report(status, err, 'The numbers were not saved');
      }
    });
    dialog.showModal();
    form.querySelector('textarea').focus();
  });
}
