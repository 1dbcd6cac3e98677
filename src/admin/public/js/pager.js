import { h } from './dom.js';

/**
 * The page switch under a list: Previous, numbered pages (the current one aria-current="page"; long
 * runs elided), Next. Hidden when everything fits on one page.
 */
export function pager({ page, pageSize, total, onPage }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const button = (label, target, extra = {}) =>
    h('button', { type: 'button', onclick: () => onPage(target), ...extra }, label);
  const items = visiblePages(page, pages).map((p) =>
    p === null
      ? h('li', { class: 'gap', 'aria-hidden': 'true' }, '…')
      : h('li', {}, button(String(p), p, { 'aria-label': `Page ${p}`, 'aria-current': p === page ? 'page' : null })));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    button('Previous', page - 1, { disabled: page <= 1, class: 'pager-prev' }),
    h('ul', {}, items),
    h('span', { class: 'pager-of' }, `Page ${page} of ${pages}`),
    button('Next', page + 1, { disabled: page >= pages, class: 'pager-next' }));
}

/** 1 … (page-1) page (page+1) … last; null marks a gap. */
function visiblePages(page, pages) {
  if (pages <= 7) return Array.from({ length: pages }, (_, i) => i + 1);
  const wanted = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  return sorted.flatMap((p, i) => (i > 0 && p - sorted[i - 1] > 1 ? [null, p] : [p]));
}
