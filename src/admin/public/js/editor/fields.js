import { h, uid } from '../dom.js';

/**
 * Labelled form controls bound to the editor's draft: `get()` gives the initial value, `set(value)`
 * runs on every change. Each control carries `data-path` (the rule document path it edits, e.g.
 * `steps.0.ringSeconds`) so the API's validation errors can be placed next to it (editor/errors.js).
 */

function wrap({ label, id, hint, hintId, control, className = 'field' }) {
  return h('div', { class: className },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null);
}

function describe(hint) {
  return hint ? uid('hint') : null;
}

export function textInput({ label, path, get, set, hint, type = 'text', attrs = {} }) {
  const id = uid('f');
  const hintId = describe(hint);
  const control = h('input', { id, type, value: get() ?? '', 'data-path': path, 'aria-describedby': hintId, ...attrs });
  control.addEventListener('input', () => set(control.value));
  return wrap({ label, id, hint, hintId, control });
}

export function numberInput({ label, path, get, set, hint, min, max, attrs = {} }) {
  return textInput({ label, path, get, set, hint, type: 'number', attrs: { min, max, step: 1, inputmode: 'numeric', ...attrs } });
}

export function textArea({ label, path, get, set, hint, rows = 3, attrs = {} }) {
  const id = uid('f');
  const hintId = describe(hint);
  const control = h('textarea', { id, rows, 'data-path': path, 'aria-describedby': hintId, ...attrs });
  control.value = get() ?? '';
  control.addEventListener('input', () => set(control.value));
  return wrap({ label, id, hint, hintId, control });
}

export function checkbox({ label, path, get, set, hint }) {
  const id = uid('f');
  const hintId = describe(hint);
  const control = h('input', { id, type: 'checkbox', checked: Boolean(get()), 'data-path': path, 'aria-describedby': hintId });
  control.addEventListener('change', () => set(control.checked));
  return h('div', { class: 'field check' },
    control, h('label', { for: id }, label), hint ? h('p', { id: hintId, class: 'hint' }, hint) : null);
}

/** options: [[value, text], …] */
export function select({ label, path, options, get, set, hint }) {
  const id = uid('f');
  const hintId = describe(hint);
  const current = get();
  const control = h('select', { id, 'data-path': path, 'aria-describedby': hintId },
    options.map(([value, text]) => h('option', { value, selected: value === current }, text)));
  control.addEventListener('change', () => set(control.value));
  return wrap({ label, id, hint, hintId, control });
}

/** A group of radio buttons in its own fieldset. options: [[value, text], …] */
export function radios({ legend, path, options, get, set, hint }) {
  const name = uid('r');
  const current = get();
  return h('fieldset', { class: 'radios', 'data-path': path },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    options.map(([value, text]) => {
      const id = uid('f');
      const input = h('input', { id, type: 'radio', name, value, checked: value === current });
      input.addEventListener('change', () => input.checked && set(value));
      return h('div', { class: 'check' }, input, h('label', { for: id }, text));
    }));
}
