import { api, seg } from '../api.js';
import { h } from '../dom.js';
import { modeName, timeElement } from '../format.js';
import { listView } from '../list-view.js';
import { outcomeText } from '../records/call-events.js';
import { href, navigate, setQuery } from '../router.js';

/** Recent hunts (the call log); select one to read its timeline. */
export async function callsPage({ main, query }) {
  const list = listView({
    caption: 'Recent calls',
    noun: 'calls',
    query: { sort: '-startedAt', ...query },
    onQuery: setQuery,
    onRow: (call) => navigate(`calls/${seg(call.callSid)}`),
    rowLabel: (call) => call.from,
    load: (q) => api.get('calls', q),
    columns: [
      { label: 'Started', sort: 'startedAt', cell: (c) => h('a', { href: href(`calls/${seg(c.callSid)}`) }, timeElement(h, c.startedAt)) },
      { label: 'Caller', sort: 'from', cell: (c) => c.from },
      { label: 'Called number', sort: 'to', cell: (c) => c.to },
      { label: 'Rule', cell: (c) => c.ruleName ?? '—' },
      { label: 'Mode', sort: 'mode', cell: (c) => (c.mode ? modeName(c.mode) : '—') },
      { label: 'Outcome', sort: 'outcome', cell: (c) => outcomeText(c) },
    ],
  });
  main.append(h('h1', {}, 'Calls'),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => list.refresh() }, 'Reload')),
    list.element);
  await list.refresh();
}
