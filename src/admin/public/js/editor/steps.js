import { h, replaceChildren } from '../dom.js';
import { newDestination, newStep } from './draft.js';
import { numberInput, select, textInput } from './fields.js';

/**
 * The steps of a rule: each step rings its destinations at the same time for its ring seconds; steps
 * run in order. Add, remove and reorder steps; add and remove destinations (type, target, label).
 * Limits (DESIGN §4): 1..20 steps, 1..10 destinations per step.
 */
export const MAX_STEPS = 20;
export const MAX_DESTINATIONS = 10;

export const TYPES = [['number', 'Phone number'], ['client', 'App (Twilio Client)'], ['sip', 'SIP address']];
const TARGET_HINTS = {
  number: 'with + and the country code, e.g. +1 555 123 0001',
  client: 'the app user’s identity, e.g. john',
  sip: 'e.g. sip:john@example.com',
};

export function stepsSection(draft, { onChange }) {
  const list = h('ol', { class: 'steps' });
  const section = h('fieldset', { class: 'section', 'data-path': 'steps' },
    h('legend', {}, 'Steps'),
    h('p', { class: 'hint' }, 'Steps ring one after another. The destinations of one step ring at the same time.'),
    list);
  const addStep = h('button', { type: 'button', onclick: () => change(() => draft.steps.push(newStep()), `[data-step="${draft.steps.length}"] [data-path$=".to"]`) }, 'Add step');
  section.append(addStep);

  /** Applies a structural change, re-renders, and puts focus on the first enabled match of `focusOrder`. */
  function change(mutate, ...focusOrder) {
    mutate();
    render();
    onChange();
    const candidates = focusOrder.filter(Boolean).flatMap((selector) => [...section.querySelectorAll(selector)]);
    (candidates.find((el) => !el.disabled) ?? addStep)?.focus();
  }

  function render() {
    replaceChildren(list, draft.steps.map((step, i) => stepItem(step, i)));
    addStep.disabled = draft.steps.length >= MAX_STEPS;
  }

  function stepItem(step, i) {
    const n = i + 1;
    const count = draft.steps.length;
    const controls = h('div', { class: 'step-controls' },
      h('button', { type: 'button', class: 'small', disabled: i === 0, 'aria-label': `Move step ${n} up`,
        onclick: () => change(() => swap(draft.steps, i, i - 1), `[data-step="${i - 1}"] [data-move="up"]`, `[data-step="${i - 1}"] [data-move="down"]`), dataset: { move: 'up' } }, 'Move up'),
      h('button', { type: 'button', class: 'small', disabled: i === count - 1, 'aria-label': `Move step ${n} down`,
        onclick: () => change(() => swap(draft.steps, i, i + 1), `[data-step="${i + 1}"] [data-move="down"]`, `[data-step="${i + 1}"] [data-move="up"]`), dataset: { move: 'down' } }, 'Move down'),
      h('button', { type: 'button', class: 'small danger', disabled: count === 1, 'aria-label': `Remove step ${n}`,
        onclick: () => change(() => draft.steps.splice(i, 1), null) }, 'Remove step'));
    return h('li', { dataset: { step: String(i) } },
      h('fieldset', { class: 'step', 'data-path': `steps.${i}` },
        h('legend', {}, `Step ${n}`),
        numberInput({ label: `Ring for (seconds)`, path: `steps.${i}.ringSeconds`, min: 5, max: 600,
          hint: '5 to 600 seconds; 30 when empty', get: () => step.ringSeconds, set: (v) => (step.ringSeconds = v),
          attrs: { 'aria-label': `Ring for (seconds), step ${n}` } }),
        destinationsGroup(step, i),
        controls));
  }

  function destinationsGroup(step, i) {
    const rows = step.destinations.map((d, j) => destinationRow(step, i, d, j));
    const add = h('button', { type: 'button', class: 'small', disabled: step.destinations.length >= MAX_DESTINATIONS,
      onclick: () => change(() => step.destinations.push(newDestination()), `[data-step="${i}"] [data-destination="${step.destinations.length}"] [data-path$=".to"]`) },
      `Add destination to step ${i + 1}`);
    return h('fieldset', { class: 'destinations', 'data-path': `steps.${i}.destinations` },
      h('legend', {}, `Destinations of step ${i + 1}`), h('ul', {}, rows), add);
  }

  function destinationRow(step, i, d, j) {
    const path = `steps.${i}.destinations.${j}`;
    const name = `step ${i + 1}, destination ${j + 1}`;
    const target = textInput({ label: 'Target', path: `${path}.to`, hint: TARGET_HINTS[d.type], get: () => d.to, set: (v) => (d.to = v),
      attrs: { autocomplete: 'off', spellcheck: 'false', 'aria-label': `Target (${name})` } });
    const typeField = select({ label: 'Type', path: `${path}.type`, options: TYPES, get: () => d.type,
      set: (v) => { d.type = v; const hint = target.querySelector('.hint'); if (hint) hint.textContent = TARGET_HINTS[v]; } });
    typeField.querySelector('select').setAttribute('aria-label', `Type (${name})`);
    const label = textInput({ label: 'Label', path: `${path}.label`, hint: 'optional, e.g. Office', get: () => d.label, set: (v) => (d.label = v),
      attrs: { 'aria-label': `Label (${name})` } });
    const remove = h('button', { type: 'button', class: 'small danger', disabled: step.destinations.length === 1,
      'aria-label': `Remove ${name}`, onclick: () => change(() => step.destinations.splice(j, 1), `[data-step="${i}"] [data-path$=".to"]`) }, 'Remove');
    return h('li', { class: 'destination', dataset: { destination: String(j) } }, typeField, target, label, remove);
  }

  render();
  return section;
}

function swap(items, a, b) {
  [items[a], items[b]] = [items[b], items[a]];
}
