import { h, replaceChildren, statusLine } from './dom.js';
import { pager } from './pager.js';

/**
 * A sortable, paged table over a list endpoint ({ items, page, pageSize, total }, DESIGN §4 "Lists").
 * Sorting and paging are the server's: a header click asks for `sort=field` / `sort=-field`, the page
 * switch for `page=N`; aria-sort marks the sorted column.
 *
 * columns: [{ label, sort?: 'field', cell: (item) => Node|string, className? }]
 * load(query) → Promise<page>; query = { sort, page, pageSize, q }
 * refreshAfterAction(): loads the page again after a change; should that fail, the list says so, and nothing is thrown.
 * onQuery(query) is told every change (to keep it in the URL); onRow(item) makes rows selectable.
 */
export function listView({ caption, columns, load, query, onQuery = () => {}, onRow, noun = 'items', rowLabel }) {
  const state = { sort: query.sort ?? '', page: Number(query.page) || 1, pageSize: Number(query.pageSize) || 20, q: query.q ?? '' };
  const status = statusLine('list-status');
  // the roles restate the table's own: on a phone its rows are drawn as cards (styles.css), and a table drawn with
  // display: block can lose its table semantics in some browsers; with them, screen readers keep the columns' names
  const thead = h('thead', { role: 'rowgroup' });
  const tbody = h('tbody', { role: 'rowgroup' });
  const table = h('table', { class: 'list', role: 'table' }, h('caption', { class: 'visually-hidden' }, caption), thead, tbody);
  const pagerSlot = h('div', { class: 'pager-slot' });
  const wrap = h('div', { class: 'table-wrap' }, table);
  const element = h('div', { class: 'list-view' }, status, wrap, pagerSlot);
  const fit = cardsWhenTooWide(element, wrap);

  async function refresh() {
    table.setAttribute('aria-busy', 'true');
    status.textContent = 'Loading…';
    onQuery({ ...state });
    try {
      const page = await load({ ...state });
      if (page.items.length === 0 && page.total > 0 && state.page > 1) {
        state.page = Math.max(1, Math.ceil(page.total / state.pageSize));
        return refresh();
      }
      render(page);
    } catch (err) {
      status.textContent = `Could not load the ${noun}: ${err.message}`;
      throw err;
    } finally {
      table.removeAttribute('aria-busy');
    }
  }

  function render(page) {
    const focus = focusInList();
    renderHead();
    replaceChildren(tbody, page.items.length ? page.items.map(row) : emptyRow());
    const first = (page.page - 1) * page.pageSize + 1;
    status.textContent = page.total === 0
      ? `No ${noun}.`
      : `${first}–${first + page.items.length - 1} of ${page.total} ${noun}`;
    replaceChildren(pagerSlot, pager({ page: page.page, pageSize: page.pageSize, total: page.total, onPage: goTo }));
    fit();
    if (focus) restoreFocus(focus);
  }

  function renderHead() {
    const sortedField = state.sort.replace(/^-/, '');
    const direction = state.sort.startsWith('-') ? 'descending' : 'ascending';
    replaceChildren(thead, h('tr', { role: 'row' }, columns.map((col) => {
      if (!col.sort) return h('th', { scope: 'col', role: 'columnheader', class: col.className }, col.label);
      const sorted = col.sort === sortedField;
      return h('th', { scope: 'col', role: 'columnheader', class: col.className, 'aria-sort': sorted ? direction : 'none' },
        h('button', { type: 'button', class: 'sort', onclick: () => sortBy(col.sort) },
          col.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sorted ? (direction === 'ascending' ? ' ▲' : ' ▼') : '')));
    })));
  }

  function row(item) {
    // data-label: the column's name, shown beside the value when the row is drawn as a card (narrow screens)
    const tr = h('tr', { role: 'row' }, columns.map((col) => h('td', { role: 'cell', class: col.className, 'data-label': col.label }, col.cell(item))));
    if (onRow) {
      tr.classList.add('selectable');
      tr.addEventListener('click', (event) => {
        if (!event.target.closest('a, button, input, select, audio, textarea, summary')) onRow(item);
      });
    }
    if (rowLabel) tr.dataset.row = rowLabel(item);
    return tr;
  }

  /**
   * Where the keyboard focus is in the list before it is rebuilt: a column's sort button, a control of a row (its
   * row and its place among the row's controls) or a button of the page switch.
   */
  function focusInList() {
    const active = document.activeElement;
    if (!active || !element.contains(active)) return null;
    if (thead.contains(active)) return { column: active.closest('th')?.cellIndex };
    if (pagerSlot.contains(active)) return { pagerButton: nameOf(active) };
    const tr = tbody.contains(active) ? active.closest('tr') : null;
    if (!tr) return null;
    return { row: tr.dataset.row, index: [...tr.querySelectorAll(FOCUSABLE)].indexOf(active) };
  }

  /**
   * The same control once rebuilt: the column's sort button; the same button of the page switch, or (Next on the last
   * page, say) the current page's; the same control of the same row (its label may have changed: Grant → Revoke).
   * Else the status line.
   */
  function restoreFocus({ column, pagerButton, row, index }) {
    const usable = (el) => el && !el.disabled;
    let target;
    if (column !== undefined) target = thead.querySelectorAll('th')[column]?.querySelector('button');
    else if (pagerButton !== undefined) {
      const buttons = [...pagerSlot.querySelectorAll('button')];
      target = [buttons.find((b) => nameOf(b) === pagerButton), pagerSlot.querySelector('[aria-current="page"]')].find(usable);
    } else {
      const tr = [...tbody.querySelectorAll('tr')].find((r) => row !== undefined && r.dataset.row === row);
      const controls = tr ? [...tr.querySelectorAll(FOCUSABLE)] : [];
      target = controls[Math.max(0, index)] ?? controls[0];
    }
    if (usable(target)) return target.focus();
    status.tabIndex = -1;
    status.focus();
  }

  function emptyRow() {
    return h('tr', { role: 'row' }, h('td', { role: 'cell', colspan: columns.length, class: 'empty' }, state.q ? `No ${noun} match “${state.q}”.` : `No ${noun} yet.`));
  }

  function sortBy(field) {
    state.sort = state.sort === field ? `-${field}` : field;
    state.page = 1;
    return refresh().catch(reportLater);
  }

  function goTo(page) {
    state.page = page;
    return refresh().then(() => table.querySelector('tbody tr')?.scrollIntoView?.({ block: 'nearest' })).catch(reportLater);
  }

  function search(q) {
    state.q = q;
    state.page = 1;
    return refresh();
  }

  /** refresh() after an action on a row: a failure to load is told in the list's status line only, not as the action's. */
  function refreshAfterAction() {
    return refresh().catch(reportLater);
  }

  renderHead();
  return { element, refresh, refreshAfterAction, search, state };
}

const FOCUSABLE = 'a[href], button, input, select, textarea, audio[controls], summary';

/**
 * Draws the rows as cards (styles.css: .list-view.cards) while the table would not fit its box — a phone, a tablet,
 * a narrow window — so that no list is scrolled sideways. Checked after each render and when the list's width
 * changes (on the next frame: changing the layout inside a ResizeObserver callback would be reported as a loop).
 */
function cardsWhenTooWide(element, wrap) {
  const fit = () => {
    element.classList.remove('cards');
    element.classList.toggle('cards', wrap.scrollWidth > wrap.clientWidth);
  };
  let width = null;
  new ResizeObserver(() => requestAnimationFrame(() => {
    if (element.clientWidth === width) return;
    width = element.clientWidth;
    fit();
  })).observe(element);
  return fit;
}

function nameOf(control) {
  return control.getAttribute('aria-label') ?? control.textContent;
}

/** Errors after the first load were already reported by the api layer (banner) or the status line. */
function reportLater(err) {
  if (err?.name !== 'ApiError' && err?.name !== 'NetworkError') console.error(err);
}
