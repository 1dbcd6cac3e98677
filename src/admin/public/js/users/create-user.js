import { api } from '../api.js';
import { h, statusLine } from '../dom.js';
import { clearErrors, showErrors } from '../editor/errors.js';
import { checkbox, select, textArea, textInput } from '../editor/fields.js';
import { oneAtATime } from '../one-at-a-time.js';
import { report } from '../report.js';
import { parseNumbers } from './numbers.js';

/** The "New user" form: POST /api/users; on success `onCreated(user)` (the answer includes the token, once). */
export function createUserForm({ onCreated }) {
  const empty = () => ({ name: '', email: '', notifyUrl: '', role: 'user', numbers: '', canManageRules: false });
  const draft = empty();
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const status = statusLine('action-status');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create user');
  const form = h('form', { class: 'user-form', novalidate: true },
    summary,
    textInput({ label: 'Name', path: 'name', get: () => draft.name, set: (v) => (draft.name = v), attrs: { maxlength: 100, required: true } }),
    textInput({ label: 'Email (optional)', path: 'email', type: 'email', get: () => draft.email, set: (v) => (draft.email = v) }),
    textInput({ label: 'Notification webhook URL (optional)', path: 'notifyUrl', type: 'url', get: () => draft.notifyUrl,
      set: (v) => (draft.notifyUrl = v), hint: 'Voicemail, callback numbers and missed calls are posted here as signed JSON.' }),
    select({ label: 'Role', path: 'role', get: () => draft.role, set: (v) => (draft.role = v),
      options: [['user', 'User'], ['admin', 'Administrator']] }),
    textArea({ label: 'Phone numbers', path: 'numbers', rows: 2, get: () => draft.numbers, set: (v) => (draft.numbers = v),
      hint: 'The Twilio numbers this user owns, with + and the country code (+1 555 123 0001), one per line.' }),
    checkbox({ label: 'May manage their own rules', path: 'canManageRules', get: () => draft.canManageRules, set: (v) => (draft.canManageRules = v) }),
    h('div', { class: 'actions' }, submit),
    status);
  // one at a time: a double click creates one user, not two (the first one's token never shown)
  const create = oneAtATime(submit, async () => {
    clearErrors(form, summary);
    try {
      const user = await api.post('users', body(draft));
      form.reset();
      Object.assign(draft, empty());
      onCreated(user);
    } catch (err) {
      if (err.status === 400 || err.status === 409) showErrors(form, summary, err);
      else report(status, err, 'The user was not created');
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    create();
  });
  const element = h('details', { class: 'card create-user' }, h('summary', {}, 'New user'), form);
  /** True while the form holds something not yet created. */
  element.isDirty = () => JSON.stringify(draft) !== JSON.stringify(empty());
  return element;
}

function body(draft) {
  const result = { name: draft.name.trim(), role: draft.role, numbers: parseNumbers(draft.numbers), canManageRules: draft.canManageRules };
  if (draft.email.trim()) result.email = draft.email.trim();
  if (draft.notifyUrl.trim()) result.notifyUrl = draft.notifyUrl.trim();
  return result;
}
