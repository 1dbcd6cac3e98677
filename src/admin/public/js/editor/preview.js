import { api, isMissingEndpoint, seg } from '../api.js';
import { h, replaceChildren, statusLine, uid } from '../dom.js';
import { clockTime, destinationName } from '../format.js';
import { describe } from '../report.js';
import { draftTargets } from './draft.js';
import { attach, clearErrors } from './errors.js';
import { plainMessage } from './plain-words.js';

/**
 * "Test this rule": say what each destination does, run the rule in the emulator, read the timeline.
 * Saved and unchanged → POST /api/rules/:id/preview; new or edited → POST /api/rules/preview with the
 * rule body. Request `{ rule?, destinations: { "<target>": { kind, after? } } }`;
 * answer `{ events: [{ at, text }], outcome: { kind, to?, atSeconds }, notes: [text] }` (at/atSeconds in seconds).
 * A 400 names its fields: `rule.<path>` is marked on the editor's field through `ruleProblems` ({ clear(), show(details) }),
 * `destinations.<target>.<kind|after>` on that destination's choice here.
 */
export const BEHAVIOURS = [
  { kind: 'noAnswer', text: 'rings out (nobody answers)', timed: false },
  { kind: 'answer', text: 'answers after N s', timed: true },
  { kind: 'busy', text: 'is busy', timed: false },
  { kind: 'voicemail', text: 'carrier voicemail answers after N s', timed: true },
  { kind: 'pressTwo', text: 'answers after N s and presses 2', timed: true },
];

const OUTCOMES = { connected: 'Connected', voicemail: 'Voicemail', callback: 'Callback number left', abandoned: 'Caller hung up', missed: 'Missed' };

export function previewPanel({ draft, ruleId, isDirty, body, ruleProblems }) {
  const choices = new Map();
  const rows = h('ul', { class: 'preview-destinations' });
  const status = statusLine('preview-status');
  const result = h('div', { class: 'preview-result' });
  const run = h('button', { type: 'submit' }, 'Run test');
  const form = h('form', { class: 'preview-form', novalidate: true }, rows, run);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    runPreview();
  });
  const element = h('section', { class: 'preview card', 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, 'Test this rule'),
    h('p', { class: 'hint' }, 'Choose what each destination does, then run the rule against the Twilio emulator. Nothing real is called.'),
    form, status, result);

  /** Re-lists the destinations when they changed (not on every keystroke elsewhere: focus stays put). */
  let shown = null;
  function refresh() {
    const targets = draftTargets(draft);
    const key = JSON.stringify(targets);
    if (key === shown) return;
    shown = key;
    run.disabled = targets.length === 0;
    replaceChildren(rows, targets.length ? targets.map(row) : h('li', { class: 'empty' }, 'Add a destination to test the rule.'));
  }

  function row(target) {
    const choice = choices.get(target.to) ?? { kind: 'noAnswer', after: '10' };
    choices.set(target.to, choice);
    const name = destinationName(target);
    const kindId = uid('pk');
    const afterId = uid('pa');
    const after = h('input', { id: afterId, type: 'number', min: 0, max: 600, step: 1, value: choice.after, class: 'after' });
    const kind = h('select', { id: kindId }, BEHAVIOURS.map((b) => h('option', { value: b.kind, selected: b.kind === choice.kind }, b.text)));
    const afterField = h('span', { class: 'after-field' }, 
      h('label', { for: afterId }, 'N = ', h('span', { class: 'visually-hidden' }, `seconds for ${name}`)), after, ' s');
    const sync = () => { afterField.hidden = !BEHAVIOURS.find((b) => b.kind === choice.kind)?.timed; };
    kind.addEventListener('change', () => { choice.kind = kind.value; sync(); });
    after.addEventListener('input', () => { choice.after = after.value; });
    sync();
    return h('li', { dataset: { target: target.to } }, h('label', { for: kindId }, name), kind, afterField);
  }

  async function runPreview() {
    const destinations = Object.fromEntries(draftTargets(draft).map((t) => [t.to, behaviourOf(choices.get(t.to))]));
    const saved = ruleId && !isDirty();
    status.classList.remove('error');
    status.textContent = 'Running…';
    result.replaceChildren();
    ruleProblems.clear();
    clearErrors(rows);
    try {
      const answer = saved
        ? await api.post(`rules/${seg(ruleId)}/preview`, { destinations })
        : await api.post('rules/preview', { rule: body(), destinations });
      status.textContent = 'Test finished.';
      replaceChildren(result, timeline(answer, draftTargets(draft)));
    } catch (err) {
      status.classList.add('error');
      const marked = err.status === 400 ? markProblems(err.details) : '';
      status.textContent = isMissingEndpoint(err)
        ? 'Rule preview is not available on this server yet (the API has no preview endpoint).'
        : `The test could not run: ${marked || describe(err)}`;
    }
  }

  /** Puts each problem at its field (see above); says where they are, or '' when none could be placed. */
  function markProblems(details) {
    const inRule = details.filter((d) => d.path.startsWith('rule.')).map((d) => ({ ...d, path: d.path.slice('rule.'.length) }));
    const placed = details.filter((d) => d.path.startsWith('destinations.')).map(markChoice).filter(Boolean);
    if (inRule.length) ruleProblems.show(inRule);
    else placed[0]?.focus();
    if (inRule.length) return 'the rule has problems, marked in the form above. Correct them and run the test again.';
    return placed.length ? 'a choice above is marked. Correct it and run the test again.' : '';
  }

  /** `destinations.<target>.<kind|after>` (a target may hold dots: sip:john@example.com) → that row's control, marked. */
  function markChoice({ path, message }) {
    const row = [...rows.children].find((li) => li.dataset.target && path.startsWith(`destinations.${li.dataset.target}.`));
    const control = row?.querySelector(path.endsWith('.after') ? 'input' : 'select');
    if (!control) return null;
    attach(control, plainMessage(message));
    return control;
  }

  refresh();
  return { element, refresh };
}

function behaviourOf(choice) {
  const behaviour = BEHAVIOURS.find((b) => b.kind === choice.kind);
  return behaviour.timed ? { kind: choice.kind, after: Number(choice.after) || 0 } : { kind: choice.kind };
}

/** The answer as a timeline and its outcome, who took the call named as the editor names that destination. */
function timeline(answer, targets) {
  const outcome = answer.outcome ?? {};
  const taker = outcome.to ? targets.find((t) => t.to === outcome.to) : undefined;
  const who = outcome.to ? ` — ${taker ? destinationName(taker) : outcome.to}` : '';
  const outcomeText = `${OUTCOMES[outcome.kind] ?? outcome.kind ?? 'Unknown'}${who}`;
  return [
    h('ol', { class: 'timeline', 'aria-label': 'What happened' }, (answer.events ?? []).map((event) =>
      h('li', {}, h('span', { class: 'at' }, clockTime(event.at)), ' ', h('span', { class: 'text' }, event.text)))),
    h('p', { class: 'outcome' }, h('strong', {}, 'Outcome: '), outcomeText,
      outcome.atSeconds !== undefined ? ` at ${clockTime(outcome.atSeconds)}` : ''),
    // how the preview differs from a real call (schedule ignored, no REST credentials on this server, …)
    ...(answer.notes?.length ? [h('ul', { class: 'notes', 'aria-label': 'Notes' }, answer.notes.map((note) => h('li', {}, note)))] : []),
  ];
}
