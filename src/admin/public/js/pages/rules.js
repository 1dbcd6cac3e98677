import { api, seg } from '../api.js';
import { confirmAction } from '../confirm.js';
import { append, h, statusLine } from '../dom.js';
import { modeName, summariseSteps, timeElement } from '../format.js';
import { listView } from '../list-view.js';
import { announce, report } from '../report.js';
import { href, navigate, setQuery } from '../router.js';
import { searchBox } from '../search-box.js';
import { canManageRules, isAdmin } from '../session.js';
import { userNames } from '../users-directory.js';

/**
 * The rules list: search (q), reload, create, select a row to edit, delete after confirming, sort by a
 * column header, page switch. Without the canManageRules grant the list is read-only.
 */
export async function rulesPage({ main, query, signal }) {
  const admin = isAdmin();
  const manage = canManageRules();
  const owners = admin ? await userNames() : null;
  if (signal.aborted) return;
  const actionStatus = statusLine('action-status');

  const list = listView({
    caption: 'Rules',
    noun: 'rules',
    query: { sort: 'name', ...query },
    onQuery: setQuery,
    onRow: (rule) => navigate(`rules/${seg(rule.id)}`),
    rowLabel: (rule) => rule.name,
    load: (q) => api.get('rules', q),
    columns: ruleColumns({ owners, manage, onDelete: (rule) => remove(rule) }),
  });

  async function remove(rule) {
    const ok = await confirmAction({ title: 'Delete rule?', text: `The rule “${rule.name}” will be deleted. Calls already in progress are not affected.` });
    if (!ok) return;
    try {
      await api.delete(`rules/${seg(rule.id)}`);
    } catch (err) {
      return report(actionStatus, err, `Could not delete “${rule.name}”`);
    }
    announce(actionStatus, `Deleted rule “${rule.name}”.`);
    return list.refreshAfterAction();
  }

  append(main, 
    h('div', { class: 'page-head' },
      h('h1', {}, 'Rules'),
      manage ? h('a', { href: href('rules/new'), class: 'button primary' }, 'New rule') : null),
    manage ? null : h('p', { class: 'notice' }, 'You can read your rules. An administrator has not given you the right to change them.'),
    h('div', { class: 'toolbar' },
      searchBox({ label: 'Search rules', value: query.q ?? '', onSearch: (q) => list.search(q) }),
      h('button', { type: 'button', onclick: () => list.refresh() }, 'Reload')),
    actionStatus,
    list.element,
  );
  await list.refresh();
}

function ruleColumns({ owners, manage, onDelete }) {
  return [
    { label: 'Name', sort: 'name', cell: (r) => h('a', { href: href(`rules/${seg(r.id)}`) }, r.name) },
    owners ? { label: 'Owner', cell: (r) => owners.get(r.userId) ?? r.userId } : null,
    { label: 'Mode', sort: 'mode', cell: (r) => modeName(r.mode) },
    { label: 'Steps', cell: (r) => summariseSteps(r.steps), className: 'steps' },
    { label: 'Enabled', cell: (r) => (r.enabled ? 'Yes' : 'No') },
    { label: 'Priority', sort: 'priority', cell: (r) => String(r.priority), className: 'num' },
    { label: 'Last change', sort: 'updatedAt', cell: (r) => timeElement(h, r.updatedAt) },
    manage
      ? { label: 'Actions', cell: (r) => h('button', { type: 'button', class: 'danger small', 'aria-label': `Delete ${r.name}`, onclick: () => onDelete(r) }, 'Delete') }
      : null,
  ].filter(Boolean);
}
