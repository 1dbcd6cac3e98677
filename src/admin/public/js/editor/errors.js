import { h, replaceChildren, uid } from '../dom.js';
import { plainMessage } from './plain-words.js';

/**
 * Shows the API's validation errors (`error.details[].path`, e.g. `steps.0.ringSeconds`) next to the
 * control with that `data-path`, or the nearest enclosing one (`steps.0.destinations.3` → the step's
 * destinations), marked aria-invalid and linked by aria-describedby. A summary at the top lists every
 * problem, with a button to move to each; problems with no control on the form appear only there.
 */
export function clearErrors(form, summary) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('[data-error-ids]')) {
    const ids = el.dataset.errorIds.split(' ');
    const rest = (el.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !ids.includes(id));
    if (rest.length) el.setAttribute('aria-describedby', rest.join(' '));
    else el.removeAttribute('aria-describedby');
    delete el.dataset.errorIds;
  }
  if (!summary) return;
  summary.hidden = true;
  summary.replaceChildren();
}

export function showErrors(form, summary, error) {
  const details = (error.details.length ? error.details : [{ path: '', message: error.message }])
    .map((detail) => ({ ...detail, message: plainMessage(detail.message) }));
  const items = details.map((detail) => {
    const target = findTarget(form, detail.path);
    if (target) attach(target, detail.message);
    const text = `${describePath(form, detail.path, target)} ${detail.message}`.trim();
    return h('li', {}, target
      ? h('button', { type: 'button', class: 'link-button', onclick: () => focusTarget(target) }, text)
      : text);
  });
  replaceChildren(summary,
    h('h2', {}, details.length === 1 ? 'There is a problem' : `There are ${details.length} problems`),
    h('ul', {}, items));
  summary.hidden = false;
  summary.focus();
}

/**
 * Number fields holding text the browser cannot read as a number ("3e", a lone "-"), as validation errors. The
 * browser gives such a field's value as empty, which would leave the setting out and save the server's default.
 */
export function numberTypos(form) {
  return [...form.querySelectorAll('input[type="number"]')]
    .filter((input) => input.validity.badInput)
    .map((input) => ({ path: input.dataset.path, message: 'Enter a whole number.' }));
}

function findTarget(form, path) {
  const parts = String(path ?? '').split('.').filter((p) => p !== '');
  for (let n = parts.length; n > 0; n -= 1) {
    const found = form.querySelector(`[data-path="${CSS.escape(parts.slice(0, n).join('.'))}"]`);
    if (found) return found;
  }
  return null;
}

/** Marks one control (or fieldset) invalid with `message` next to it, linked by aria-describedby; clearErrors undoes it. */
export function attach(target, message) {
  // a setting of the mode not shown (editor/sections.js forMode) is shown with its error, so that it can be fixed
  const hiddenMode = target.closest('[data-mode][hidden]');
  if (hiddenMode) hiddenMode.hidden = false;
  const id = uid('error');
  const note = h('p', { id, class: 'field-error' }, message);
  if (target.matches('fieldset, [data-path]:not(input, select, textarea)')) {
    const legend = target.querySelector(':scope > legend');
    if (legend) legend.after(note);
    else target.prepend(note);
  } else {
    target.setAttribute('aria-invalid', 'true');
    const field = target.closest('.field') ?? target.parentElement;
    field.append(note);
  }
  const ids = [target.dataset.errorIds, id].filter(Boolean).join(' ');
  target.dataset.errorIds = ids;
  target.setAttribute('aria-describedby', [target.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
}

/** The name a person sees for the field: its label or legend. */
function describePath(form, path, target) {
  if (!target) return path ? `${path}:` : '';
  const legend = target.querySelector?.(':scope > legend');
  const label = target.id ? form.querySelector(`label[for="${CSS.escape(target.id)}"]`) : null;
  const name = target.getAttribute('aria-label') ?? label?.textContent ?? legend?.textContent ?? path;
  return `${name}:`;
}

function focusTarget(target) {
  const focusable = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea, button');
  focusable?.focus();
  target.scrollIntoView?.({ block: 'center' });
}
