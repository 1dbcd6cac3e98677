import { api, seg } from '../api.js';
import { confirmAction } from '../confirm.js';
import { h, statusLine } from '../dom.js';
import { duration, timeElement, when } from '../format.js';
import { listView } from '../list-view.js';
import { audioLoader } from '../records/audio.js';
import { announce, report } from '../report.js';
import { setQuery } from '../router.js';
import { isAdmin } from '../session.js';
import { userNames } from '../users-directory.js';

/** The voicemail inbox: one's own messages (administrators: everyone's), play, delete after confirming. */
export async function voicemailsPage({ main, query, signal }) {
  const owners = isAdmin() ? await userNames() : null;
  if (signal.aborted) return undefined;
  const status = statusLine('action-status');
  const audio = audioLoader();
  const label = (vm) => `message from ${vm.from}, ${when(vm.createdAt)}`;

  const list = listView({
    caption: 'Voicemail',
    noun: 'messages',
    query: { sort: '-createdAt', ...query },
    onQuery: setQuery,
    rowLabel: (vm) => vm.from,
    load: (q) => api.get('voicemails', q),
    columns: [
      { label: 'Caller', sort: 'from', cell: (vm) => vm.from },
      { label: 'Called number', sort: 'to', cell: (vm) => vm.to },
      owners ? { label: 'Owner', cell: (vm) => owners.get(vm.userId) ?? vm.userId } : null,
      { label: 'Received', sort: 'createdAt', cell: (vm) => timeElement(h, vm.createdAt) },
      { label: 'Length', sort: 'durationSeconds', cell: (vm) => duration(vm.durationSeconds), className: 'num' },
      { label: 'Transcription', cell: transcription, className: 'transcription' },
      { label: 'Recording', cell: (vm) => audio.player(vm, label(vm)) },
      { label: 'Actions', cell: (vm) => h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete ${label(vm)}`, onclick: () => remove(vm) }, 'Delete') },
    ].filter(Boolean),
  });

  async function remove(vm) {
    if (!(await confirmAction({ title: 'Delete message?', text: `The ${label(vm)} will be deleted.` }))) return;
    try {
      await api.delete(`voicemails/${seg(vm.id)}`);
    } catch (err) {
      return report(status, err, 'The message was not deleted');
    }
    announce(status, 'Message deleted.');
    return list.refreshAfterAction();
  }

  main.append(h('h1', {}, 'Voicemail'),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => list.refresh() }, 'Reload')),
    status, list.element);
  await list.refresh();
  return () => audio.revokeAll();
}

function transcription(vm) {
  if (vm.transcription) return vm.transcription;
  if (vm.transcriptionStatus === 'pending') return h('span', { class: 'muted' }, 'Transcribing…');
  if (vm.transcriptionStatus === 'failed') return h('span', { class: 'muted' }, 'Transcription failed');
  return h('span', { class: 'muted' }, '—');
}
