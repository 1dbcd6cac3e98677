import { api, isMissingEndpoint, seg } from '../api.js';
import { h, statusLine } from '../dom.js';
import { timeElement } from '../format.js';
import { listView } from '../list-view.js';
import { announce, report } from '../report.js';
import { setQuery } from '../router.js';
import { isAdmin } from '../session.js';
import { userNames } from '../users-directory.js';

/** Callback numbers callers left while on hold; mark one done once called back (PATCH { status: 'done' }). */
export async function callbacksPage({ main, query, signal }) {
  const owners = isAdmin() ? await userNames() : null;
  if (signal.aborted) return;
  const status = statusLine('action-status');

  const list = listView({
    caption: 'Callback requests',
    noun: 'callback requests',
    query: { sort: '-createdAt', ...query },
    onQuery: setQuery,
    rowLabel: (c) => c.number,
    load: (q) => api.get('callbacks', q),
    columns: [
      { label: 'Call back', cell: (c) => h('a', { href: `tel:${c.number}` }, c.number) },
      { label: 'Caller', sort: 'from', cell: (c) => c.from },
      { label: 'Called number', sort: 'to', cell: (c) => c.to },
      owners ? { label: 'Owner', cell: (c) => owners.get(c.userId) ?? c.userId } : null,
      { label: 'Left at', sort: 'createdAt', cell: (c) => timeElement(h, c.createdAt) },
      { label: 'Status', sort: 'status', cell: (c) => (c.status === 'done' ? 'Done' : 'Open') },
      { label: 'Actions', cell: (c) => (c.status === 'done' ? '' : h('button', { type: 'button', class: 'small', 'aria-label': `Mark ${c.number} done`, onclick: () => markDone(c) }, 'Mark done')) },
    ].filter(Boolean),
  });

  async function markDone(callback) {
    try {
      await api.patch(`callbacks/${seg(callback.id)}`, { status: 'done' });
    } catch (err) {
      return report(status, err, isMissingEndpoint(err) ? 'Could not mark it done (this server does not support it yet)' : 'Could not mark it done');
    }
    announce(status, `Marked ${callback.number} done.`);
    return list.refreshAfterAction();
  }

  main.append(h('h1', {}, 'Callbacks'),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => list.refresh() }, 'Reload')),
    status, list.element);
  await list.refresh();
}
