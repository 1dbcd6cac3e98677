import { h, uid } from '../dom.js';
import { CALLER_IDS, MODES } from './sections.js';
import { DAY_NAMES } from './schedule.js';
import { TYPES } from './steps.js';

/**
 * A rule read-only (its owner has no canManageRules grant): the editor's sections as text, each value beside the name
 * the editor gives its control, under a heading per section. Text, not disabled controls: those the keyboard skips
 * (Tab) and screen readers in focus mode pass over; text is read in order, and nothing in it can be changed.
 */
export function ruleView(rule) {
  const extendRing = rule.mode === 'extendRing';
  return h('div', { class: 'rule-view' },
    section('Rule', facts([
      ['Name', rule.name],
      ['Mode', optionText(MODES, rule.mode)],
      ['Enabled', yesNo(rule.enabled)],
      ['Priority', String(rule.priority ?? 0)],
    ])),
    section('Answering', facts(extendRing
      ? [['Detect voicemail on answered calls', yesNo(rule.detectVoicemail)]]
      : [['Ask whoever answers to press 1 first (confirm)', yesNo(rule.confirm)],
        ['Caller ID shown to the phones that ring', optionText(CALLER_IDS, rule.callerId ?? 'caller')]])),
    section('Steps', h('ol', { class: 'steps' }, rule.steps.map(stepItem))),
    extendRing ? section('Hold', facts([
      ['Maximum hold (minutes)', String(rule.maxHoldMinutes ?? 10)],
      ['Hold music URL', rule.holdMusicUrl || 'None: the default music'],
      ['Hold announcement', rule.holdAnnouncement || 'None'],
    ])) : null,
    section('Voicemail', facts([
      ['Greeting', rule.voicemail?.greeting || 'None: the standard greeting (“… can’t take your call right now …”)'],
      ['Maximum message length (seconds)', String(rule.voicemail?.maxLengthSeconds ?? 120)],
      ['Transcribe messages', yesNo(rule.voicemail?.transcribe)],
    ])),
    section('Schedule', facts(rule.schedule
      ? [['Time zone', rule.schedule.timezone], ...rule.schedule.windows.map((w, i) => [`Time window ${i + 1}`, windowText(w)])]
      : [['Only at certain times', 'No: the rule applies at any time']])));
}

/** A region named by its heading: screen readers list it among the page's landmarks and headings. */
function section(title, ...content) {
  const id = uid('view');
  return h('section', { class: 'section card', 'aria-labelledby': id }, h('h2', { id }, title), content);
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([name, value]) => [h('dt', {}, name), h('dd', {}, value)]));
}

function stepItem(step, i) {
  return h('li', { class: 'step' },
    h('h3', {}, `Step ${i + 1}`),
    h('p', {}, `Rings for ${step.ringSeconds ?? 30} s`),
    h('ul', { class: 'destinations', 'aria-label': `Destinations of step ${i + 1}` }, step.destinations.map((d) =>
      h('li', {}, d.label ? h('strong', {}, `${d.label}: `) : null, `${optionText(TYPES, d.type)} ${d.to}`))));
}

/** "Mon, Fri, 09:00 to 17:00"; from = to: all day; to before from: past midnight (DESIGN §4). */
function windowText(w) {
  const days = DAY_NAMES.filter(([day]) => w.days.includes(day)).map(([, name]) => name).join(', ');
  if (w.from === w.to) return `${days}, all day`;
  return `${days}, ${w.from} to ${w.to}${w.to < w.from ? ' the next day' : ''}`;
}

function optionText(options, value) {
  return options.find(([v]) => v === value)?.[1] ?? String(value);
}

function yesNo(value) {
  return value ? 'Yes' : 'No';
}
