import { select, textInput } from '../editor/fields.js';
import { notifyTestControl } from './notify-test.js';
import { editUserDialog } from './user-dialog.js';

/**
 * Changes a user's name, email, notification webhook URL and role in a modal dialog (PATCH /api/users/:id; an emptied
 * optional field is removed), with a button that tests the saved notification URL. Resolves with the updated user, or null when cancelled.
 */
export function editDetails(user) {
  return editUserDialog({
    user,
    title: `Details of ${user.name}`,
    submitLabel: 'Save details',
    failure: 'The details were not saved',
    draft: { name: user.name, email: user.email ?? '', notifyUrl: user.notifyUrl ?? '', role: user.role },
    fields: (draft) => [
      textInput({ label: 'Name', path: 'name', get: () => draft.name, set: (v) => (draft.name = v), attrs: { required: true } }),
      textInput({ label: 'Email (optional)', path: 'email', type: 'email', get: () => draft.email, set: (v) => (draft.email = v) }),
      textInput({ label: 'Notification webhook URL (optional)', path: 'notifyUrl', type: 'url', get: () => draft.notifyUrl,
        set: (v) => (draft.notifyUrl = v), hint: 'Voicemail, callback numbers and missed calls are posted here as signed JSON.' }),
      notifyTestControl(user),
      select({ label: 'Role', path: 'role', get: () => draft.role, set: (v) => (draft.role = v),
        options: [['user', 'User'], ['admin', 'Administrator']] }),
    ],
    body: (draft) => ({
      name: draft.name.trim(),
      email: draft.email.trim() || null,
      notifyUrl: draft.notifyUrl.trim() || null,
      role: draft.role,
    }),
  });
}
