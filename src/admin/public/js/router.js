/**
 * Client-side routing under the panel's base (/admin/, or <prefix>/admin/ when PUBLIC_BASE_URL has a path: the
 * <base href> the server wrote into the page) with the History API (the server answers index.html for every page
 * path). A page is `async render({ main, params, query, signal })`; it may return a cleanup function,
 * run when the next page replaces it. `signal` aborts when the user navigates away mid-load.
 */
import { confirmAction } from './confirm.js';
import { showFlash } from './flash.js';

export const BASE = new URL(document.baseURI).pathname;

const routes = [];
let current = { cleanup: null, controller: null };
let beforeEach = async () => null;
/** The current page's unsaved-changes check (see leaveGuard); every new page starts without one. */
let hasUnsavedChanges = null;
/** The URL the current page was shown for: where the Back button is undone to when the user stays. */
let shownUrl = '';

/** Registers a page for a path pattern such as 'rules/:id' (relative to BASE). */
export function route(pattern, render) {
  const names = [];
  const source = pattern
    .split('/')
    .map((part) => (part.startsWith(':') ? (names.push(part.slice(1)), '([^/]+)') : escapeRegExp(part)))
    .join('/');
  routes.push({ regex: new RegExp(`^${source}$`), names, render });
}

/**
 * A guard run before every page: returns null to proceed, a path to go to instead, or a render
 * function to show in place of the page (e.g. "your account could not be loaded").
 */
export function guard(fn) {
  beforeEach = fn;
}

/**
 * Lets the current page hold the user back when it has unsaved changes: `isDirty()` true → following a link in the
 * panel or the Back/Forward buttons first asks "Leave without saving?", and closing or reloading the tab gets the
 * browser's own prompt. The page's own navigate() calls (after saving, say) are not held back. `text` (or a function
 * giving it) says what would be lost.
 */
export function leaveGuard(isDirty, text = 'Your changes on this page have not been saved and will be lost.') {
  hasUnsavedChanges = isDirty;
  leaveText = text;
}

let leaveText = '';

/** True when the user may leave the current page (a link, Back, signing out): nothing unsaved, or they chose to leave. */
export async function mayLeave() {
  if (!hasUnsavedChanges?.()) return true;
  if (document.getElementById('confirm-dialog').open) return false; // Back pressed while the question is on screen
  return confirmAction({
    title: 'Leave without saving?',
    text: typeof leaveText === 'function' ? leaveText() : leaveText,
    confirmLabel: 'Leave without saving',
    cancelLabel: 'Stay on this page',
  });
}

export function href(path) {
  return BASE + path.replace(/^\//, '');
}

export function navigate(path, { replace = false } = {}) {
  const url = href(path);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  return show({ focus: true });
}

/** Changes the query of the current URL in place (no new history entry, no re-render). */
export function setQuery(query) {
  const url = new URL(location.href);
  url.search = '';
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  history.replaceState(null, '', url);
  shownUrl = url.href;
}

export function start(main) {
  current.main = main;
  window.addEventListener('popstate', onPopState);
  window.addEventListener('beforeunload', (event) => {
    if (hasUnsavedChanges?.()) event.preventDefault();
  });
  document.addEventListener('click', interceptLinks);
  return show({ focus: false });
}

/** Re-renders the current page (after sign-in, or when its data changed). */
export function reload() {
  return show({ focus: false });
}

async function show({ focus }) {
  const path = location.pathname.startsWith(BASE) ? decodeURI(location.pathname.slice(BASE.length)) : '';
  const verdict = await beforeEach(path);
  if (typeof verdict === 'string' && verdict !== path) return navigate(verdict, { replace: true });
  const match = typeof verdict === 'function' ? { render: verdict, params: {} } : matchRoute(path.replace(/\/+$/, ''));
  if (!match) return navigate('rules', { replace: true });
  current.controller?.abort();
  current.cleanup?.();
  hasUnsavedChanges = null;
  shownUrl = location.href;
  const controller = new AbortController();
  current = { main: current.main, controller, cleanup: null };
  current.main.replaceChildren();
  const query = Object.fromEntries(new URLSearchParams(location.search));
  let cleanup;
  try {
    cleanup = await match.render({ main: current.main, params: match.params, query, signal: controller.signal });
  } catch (err) {
    if (controller.signal.aborted || err?.status === 401) return undefined;
    showFailure(current.main, err);
  }
  if (controller.signal.aborted) return cleanup?.();
  current.cleanup = typeof cleanup === 'function' ? cleanup : null;
  showFlash();
  const heading = current.main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'Admin'} — Call hunting`;
  // a page that put the focus somewhere itself (the sign-in field) keeps it
  if (focus && heading && !current.main.contains(document.activeElement)) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

/** A page that could not load says so, with a way to try again (the banner tells 503 and network trouble). */
function showFailure(main, err) {
  if (err?.name !== 'ApiError' && err?.name !== 'NetworkError') console.error(err);
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.textContent = 'Try again';
  retry.addEventListener('click', () => reload());
  const heading = document.createElement('h1');
  heading.textContent = 'This page could not be loaded';
  const text = document.createElement('p');
  text.textContent = err?.message ?? String(err);
  main.replaceChildren(heading, text, retry);
}

function matchRoute(path) {
  for (const { regex, names, render } of routes) {
    const m = regex.exec(path);
    if (m) return { render, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

async function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download')) return;
  if (link.getAttribute('href').startsWith('#')) return jumpTo(event, link.getAttribute('href').slice(1));
  const url = new URL(link.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  event.preventDefault();
  if (!(await mayLeave())) return;
  history.pushState(null, '', url);
  show({ focus: true });
}

/**
 * A link to a place in the page ("Skip to content": #main). With <base href="/admin/"> the browser would follow it to
 * /admin/#main, another page; instead the keyboard focus moves to that place, the address unchanged.
 */
function jumpTo(event, id) {
  event.preventDefault();
  const target = document.getElementById(decodeURIComponent(id));
  if (!target) return;
  if (!target.hasAttribute('tabindex') && target.tabIndex < 0) target.tabIndex = -1;
  target.focus();
}

/** Back or Forward: the address has already changed; a user who stays gets the page's address back (pushed as a new entry, so the Forward history beyond it is lost). */
async function onPopState() {
  if (location.href !== shownUrl && !(await mayLeave())) {
    history.pushState(null, '', shownUrl);
    return;
  }
  show({ focus: true });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
