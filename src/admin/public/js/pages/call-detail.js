import { api, seg } from '../api.js';
import { h } from '../dom.js';
import { clockTime, modeName, timeElement } from '../format.js';
import { eventText, outcomeText } from '../records/call-events.js';
import { href } from '../router.js';

/** One hunt: who called whom, which rule, the outcome, and its timeline (m:ss since the call arrived). */
export async function callDetailPage({ main, params }) {
  const back = h('p', { class: 'breadcrumb' }, h('a', { href: href('calls') }, '← All calls'));
  let call;
  try {
    call = await api.get(`calls/${seg(params.callSid)}`);
  } catch (err) {
    if (err.status !== 404) throw err;
    main.append(back, h('h1', {}, 'Call not found'), h('p', {}, 'This call is not in the log (it may have expired), or it is not yours to see.'));
    return;
  }
  const start = Date.parse(call.startedAt);
  const origin = Number.isNaN(start) ? call.events[0]?.at ?? 0 : start;
  main.append(back,
    h('h1', {}, `Call from ${call.from}`),
    h('dl', { class: 'facts' },
      fact('Called number', call.to),
      fact('Started', timeElement(h, call.startedAt)),
      fact('Ended', call.endedAt ? timeElement(h, call.endedAt) : 'Not yet'),
      fact('Rule', call.ruleName ?? '—'),
      fact('Mode', call.mode ? modeName(call.mode) : '—'),
      fact('Outcome', outcomeText(call)),
      fact('Call SID', h('code', {}, call.callSid))),
    h('h2', {}, 'Timeline'),
    call.events.length
      ? h('ol', { class: 'timeline' }, call.events.map((e) =>
        h('li', {}, h('span', { class: 'at' }, clockTime((e.at - origin) / 1000)), ' ', h('span', { class: 'text' }, eventText(e)))))
      : h('p', {}, 'No events recorded.'));
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}
