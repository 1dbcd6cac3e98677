import { api, seg } from '../api.js';
import { confirmAction } from '../confirm.js';
import { h, statusLine } from '../dom.js';
import { setFlash } from '../flash.js';
import { timeElement } from '../format.js';
import { listView } from '../list-view.js';
import { announce, report } from '../report.js';
import { leaveGuard, navigate, setQuery } from '../router.js';
import { searchBox } from '../search-box.js';
import { currentUser } from '../session.js';
import { createUserForm } from '../users/create-user.js';
import { editDetails } from '../users/details-dialog.js';
import { editNumbers } from '../users/numbers-dialog.js';
import { tokenReveal } from '../users/token-reveal.js';

/**
 * Users (administrators only): create (token shown once), change details (name, email, webhook, role), assign numbers,
 * grant or revoke rule management, rotate a token (shown once), delete after confirming.
 */
export async function usersPage({ main, query }) {
  const status = statusLine('action-status');
  const revealSlot = h('div', { class: 'reveal-slot' });

  const list = listView({
    caption: 'Users',
    noun: 'users',
    query: { sort: 'name', ...query },
    onQuery: setQuery,
    rowLabel: (user) => user.name,
    load: (q) => api.get('users', q),
    columns: [
      { label: 'Name', sort: 'name', cell: (u) => h('span', {}, u.name, u.email ? h('span', { class: 'sub' }, u.email) : null) },
      { label: 'Role', sort: 'role', cell: (u) => (u.role === 'admin' ? 'Administrator' : 'User') },
      { label: 'Numbers', cell: (u) => (u.numbers.length ? u.numbers.join(', ') : '—') },
      { label: 'Manages rules', cell: (u) => (u.role === 'admin' ? 'Yes (administrator)' : u.canManageRules ? 'Yes' : 'No') },
      { label: 'Created', sort: 'createdAt', cell: (u) => timeElement(h, u.createdAt) },
      { label: 'Actions', cell: (u) => userActions(u) },
    ],
  });

  /**
   * Runs one action on a user: its failure is reported in the status line as `what`; after it, the list is loaded
   * again (should that fail, the list says so itself: the action was done all the same).
   */
  async function act(what, action) {
    let done;
    try {
      done = await action();
    } catch (err) {
      return report(status, err, what);
    }
    if (done === false) return;
    if (typeof done === 'string') announce(status, done);
    await list.refreshAfterAction();
  }

  /** The details were saved. An administrator who made herself a plain user may no longer see this page: on to the rules. */
  function detailsSaved(updated) {
    const saved = `Saved the details of ${updated.name}.`;
    if (updated.id !== currentUser()?.id || updated.role === 'admin') return saved;
    setFlash(`${saved} You are no longer an administrator.`);
    navigate('rules'); // which reads /api/me again first
    return false;
  }

  /** The token panel until Done; leaving the page meanwhile asks first (the token is shown only this once). */
  let tokenShown = false;
  function showToken(user, token) {
    tokenShown = true;
    revealSlot.replaceChildren(tokenReveal({
      userName: user.name, token,
      onDone: () => {
        tokenShown = false;
        heading.tabIndex = -1;
        heading.focus();
      },
    }));
    revealSlot.querySelector('input')?.focus();
  }

  function userActions(user) {
    const grant = user.role !== 'admin';
    return h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'small', 'aria-label': `Details of ${user.name}`, onclick: () => act('The details were not saved', async () => {
        const updated = await editDetails(user);
        return updated ? detailsSaved(updated) : false;
      }) }, 'Details'),
      h('button', { type: 'button', class: 'small', 'aria-label': `Numbers of ${user.name}`, onclick: () => act('The numbers were not saved', async () => {
        const updated = await editNumbers(user);
        return updated ? `Saved the numbers of ${user.name}.` : false;
      }) }, 'Numbers'),
      grant ? h('button', { type: 'button', class: 'small', 'aria-label': `${user.canManageRules ? 'Revoke' : 'Grant'} rule management for ${user.name}`,
        onclick: () => act('The grant was not changed', async () => {
          await api.patch(`users/${seg(user.id)}`, { canManageRules: !user.canManageRules });
          return user.canManageRules ? `${user.name} may no longer change rules.` : `${user.name} may now manage their own rules.`;
        }) }, user.canManageRules ? 'Revoke rule management' : 'Grant rule management') : null,
      h('button', { type: 'button', class: 'small', 'aria-label': `Rotate token of ${user.name}`, onclick: () => act('The token was not rotated', async () => {
        const ok = await confirmAction({ title: 'Rotate token?', text: `${user.name}’s current token stops working at once; you get a new one to give them.`, confirmLabel: 'Rotate token' });
        if (!ok) return false;
        const { token } = await api.post(`users/${seg(user.id)}/token`);
        showToken(user, token);
        return `New token for ${user.name}.`;
      }) }, 'Rotate token'),
      h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${user.name}`, onclick: () => act('The user was not deleted', async () => {
        const ok = await confirmAction({ title: 'Delete user?', text: `${user.name} will be deleted, with their rules; their numbers become free.` });
        if (!ok) return false;
        await api.delete(`users/${seg(user.id)}`);
        return `Deleted ${user.name}.`;
      }) }, 'Delete'));
  }

  const createForm = createUserForm({
    onCreated: (user) => act('', async () => {
      showToken(user, user.token);
      return `Created ${user.name}.`;
    }),
  });
  const heading = h('h1', {}, 'Users');
  leaveGuard(() => tokenShown || createForm.isDirty(), () => (tokenShown
    ? 'The new token has not been dismissed with Done: it is shown only this once, and leaving loses it.'
    : 'The new user in the form has not been created and will be lost.'));
  main.append(
    heading,
    createForm,
    revealSlot,
    h('div', { class: 'toolbar' },
      searchBox({ label: 'Search users', value: query.q ?? '', onSearch: (q) => list.search(q) }),
      h('button', { type: 'button', onclick: () => list.refresh() }, 'Reload')),
    status,
    list.element);
  await list.refresh();
}
