import { textArea } from '../editor/fields.js';
import { formatNumbers, parseNumbers } from './numbers.js';
import { editUserDialog } from './user-dialog.js';

/**
 * Assigns phone numbers to a user in a modal dialog (PATCH /api/users/:id { numbers }).
 * Resolves with the updated user, or null when cancelled.
 */
export function editNumbers(user) {
  return editUserDialog({
    user,
    title: `Numbers of ${user.name}`,
    submitLabel: 'Save numbers',
    failure: 'The numbers were not saved',
    draft: { numbers: formatNumbers(user.numbers) },
    fields: (draft) => [
      textArea({ label: 'Phone numbers', path: 'numbers', rows: 4, get: () => draft.numbers, set: (v) => (draft.numbers = v),
        hint: 'With + and the country code (+1 555 123 0001), one per line. Calls to these numbers use this user’s rules.' }),
    ],
    body: (draft) => ({ numbers: parseNumbers(draft.numbers) }),
  });
}
