import { api, seg } from '../api.js';
import { h, statusLine, uid } from '../dom.js';
import { clearErrors, showErrors } from '../editor/errors.js';
import { KEEP_DISABLED, oneAtATime } from '../one-at-a-time.js';
import { report } from '../report.js';

/**
 * A modal dialog that changes some fields of a user (PATCH /api/users/:id): `fields(draft)` builds the labelled controls
 * over a draft, `body(draft)` is what is sent. Validation errors land next to their field. Resolves with the updated
 * user, or null when cancelled.
 */
export function editUserDialog({ title, submitLabel, failure, draft, fields, body, user }) {
  const titleId = uid('dialog-title');
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const status = statusLine('action-status');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', { novalidate: true },
    h('h2', { id: titleId }, title),
    summary,
    ...fields(draft),
    status,
    h('div', { class: 'actions' }, cancel, submit));
  const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'user-dialog' }, form);
  document.body.append(dialog);

  return new Promise((resolve) => {
    let result = null;
    dialog.addEventListener('close', () => { dialog.remove(); resolve(result); }, { once: true });
    cancel.addEventListener('click', () => dialog.close());
    const save = oneAtATime(submit, async () => {
      clearErrors(form, summary);
      try {
        result = await api.patch(`users/${seg(user.id)}`, body(draft));
        dialog.close();
        return KEEP_DISABLED;
      } catch (err) {
        if (err.status === 400 || err.status === 409) showErrors(form, summary, err);
        else report(status, err, failure);
        return undefined;
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      save();
    });
    dialog.showModal();
    form.querySelector('input, textarea, select')?.focus();
  });
}
