import { h } from '../dom.js';
import { checkbox, numberInput, radios, select, textArea, textInput } from './fields.js';

/** The rule editor's plain sections (everything but steps and schedule), one function each. */

/** The modes and caller IDs as the editor offers them (and the read-only view says them: rule-view.js). */
export const MODES = [
  ['followMe', 'Follow Me — the caller hears ringing while the steps are tried'],
  ['extendRing', 'Extend Ring — the caller holds with music while the system calls the steps'],
];
export const CALLER_IDS = [
  ['caller', 'The caller’s number'],
  ['called', 'The business number that was dialled'],
];

/** Name, owner (administrators: a select of users), mode, enabled, priority. */
export function generalSection(draft, { users }) {
  const owner = users
    ? select({ label: 'Owner', path: 'userId', get: () => draft.userId, set: (v) => (draft.userId = v),
      options: [['', 'Choose a user…'], ...users.map((u) => [u.id, `${u.name}${u.numbers?.length ? ` (${u.numbers.join(', ')})` : ''}`])] })
    : null;
  return h('fieldset', { class: 'section' }, h('legend', {}, 'Rule'),
    textInput({ label: 'Name', path: 'name', get: () => draft.name, set: (v) => (draft.name = v), attrs: { maxlength: 100, required: true } }),
    owner,
    radios({ legend: 'Mode', path: 'mode', get: () => draft.mode, set: (v) => (draft.mode = v), options: MODES }),
    checkbox({ label: 'Enabled', path: 'enabled', get: () => draft.enabled, set: (v) => (draft.enabled = v) }),
    numberInput({ label: 'Priority', path: 'priority', min: -1000, max: 1000, get: () => draft.priority, set: (v) => (draft.priority = v),
      hint: 'When several enabled rules apply, the lowest priority wins.' }));
}

/**
 * Marks a control or section as one mode's own: showModeFields shows it only while the draft has that mode (its value
 * stays in the draft, and is saved, whichever mode is shown).
 */
function forMode(mode, element) {
  element.dataset.mode = mode;
  return element;
}

/** Shows the controls of `mode` (see forMode) and hides the other mode's. */
export function showModeFields(root, mode) {
  for (const element of root.querySelectorAll('[data-mode]')) element.hidden = element.dataset.mode !== mode;
}

/** Confirm and caller ID (Follow Me), voicemail detection (Extend Ring). */
export function callSection(draft) {
  return h('fieldset', { class: 'section' }, h('legend', {}, 'Answering'),
    forMode('followMe', checkbox({ label: 'Ask whoever answers to press 1 first (confirm)', path: 'confirm', get: () => draft.confirm,
      set: (v) => (draft.confirm = v), hint: 'Protects against a cell phone’s own voicemail taking the call.' })),
    forMode('followMe', radios({ legend: 'Caller ID shown to the phones that ring', path: 'callerId', get: () => draft.callerId,
      set: (v) => (draft.callerId = v), options: CALLER_IDS })),
    forMode('extendRing', checkbox({ label: 'Detect voicemail on answered calls', path: 'detectVoicemail', get: () => draft.detectVoicemail,
      set: (v) => (draft.detectVoicemail = v), hint: 'A machine answering counts as not answered. Whoever answers always presses 1 to talk; the phones see the business number.' })));
}

/** Extend Ring's hold: maximum hold minutes, music, announcement. */
export function holdSection(draft) {
  return forMode('extendRing', h('fieldset', { class: 'section' }, h('legend', {}, 'Hold'),
    numberInput({ label: 'Maximum hold (minutes)', path: 'maxHoldMinutes', min: 1, max: 60, get: () => draft.maxHoldMinutes,
      set: (v) => (draft.maxHoldMinutes = v), hint: '1 to 60; then the caller goes to voicemail.' }),
    textInput({ label: 'Hold music URL', path: 'holdMusicUrl', type: 'url', get: () => draft.holdMusicUrl, set: (v) => (draft.holdMusicUrl = v),
      hint: 'The web address (https://…) of an audio file; empty = the default music.' }),
    textArea({ label: 'Hold announcement', path: 'holdAnnouncement', get: () => draft.holdAnnouncement, set: (v) => (draft.holdAnnouncement = v),
      hint: 'Spoken between plays of the hold music (optional).', attrs: { maxlength: 500 } })));
}

/** The voicemail the caller reaches when nobody answers. */
export function voicemailSection(draft) {
  const vm = draft.voicemail;
  return h('fieldset', { class: 'section' }, h('legend', {}, 'Voicemail'),
    textArea({ label: 'Greeting', path: 'voicemail.greeting', get: () => vm.greeting, set: (v) => (vm.greeting = v),
      hint: 'Text to speak, or an https URL of audio to play.', attrs: { maxlength: 1000 } }),
    numberInput({ label: 'Maximum message length (seconds)', path: 'voicemail.maxLengthSeconds', min: 5, max: 600,
      get: () => vm.maxLengthSeconds, set: (v) => (vm.maxLengthSeconds = v) }),
    checkbox({ label: 'Transcribe messages', path: 'voicemail.transcribe', get: () => vm.transcribe, set: (v) => (vm.transcribe = v) }));
}
