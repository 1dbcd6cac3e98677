import { h, uid } from './dom.js';

/** A labelled search field: searches as the user types (after a short pause) and on Enter. */
export function searchBox({ label, value = '', onSearch }) {
  const id = uid('search');
  const input = h('input', { id, type: 'search', name: 'q', value, autocomplete: 'off' });
  let timer = null;
  let last = value;
  const run = () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q === last) return;
    last = q;
    onSearch(q);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  const form = h('form', { role: 'search', class: 'search', onsubmit: (e) => (e.preventDefault(), run()) },
    h('label', { for: id }, label), input, h('button', { type: 'submit' }, 'Search'));
  return form;
}
