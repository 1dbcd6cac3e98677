/**
 * Building DOM without innerHTML (all data goes in as text, so nothing a user typed can become markup).
 * h('button', { type: 'button', class: 'x', onclick: fn, 'aria-label': 'Close' }, 'text', childNode)
 * Props: `class`, `text`, `dataset` (object), `on<event>` (listener), booleans (true → present, false → absent),
 * `value`/`checked`/`disabled`/`hidden` as properties; anything else is an attribute. null/undefined are skipped.
 */
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'open']);

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false) el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends nodes and strings (arrays flattened; null, undefined and false skipped). */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, ...children);
}

let counter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A polite status line (role=status) whose text screen readers announce when it changes. */
export function statusLine(className = 'status') {
  return h('p', { class: className, role: 'status', 'aria-live': 'polite' });
}
