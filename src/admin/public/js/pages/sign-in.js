import { request } from '../api.js';
import { append, h } from '../dom.js';
import { setFlash } from '../flash.js';
import { BASE, navigate } from '../router.js';
import * as session from '../session.js';
import { updateShell } from '../shell.js';

/**
 * Sign in with a bearer token (an administrator's ADMIN_TOKEN or a user's own token). The token is
 * checked with GET /api/me before it is kept; afterwards the user goes where they were headed.
 */
let destination = null;

/** Notes the page the user was on (to return to after signing in) and an optional notice to show above the form. */
export function rememberDestination(message) {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) + location.search : '';
  if (path && !path.startsWith('sign-in')) destination = path;
  if (message) setFlash(message);
}

export async function signInPage({ main }) {
  updateShell('sign-in');
  const error = h('p', { id: 'token-error', class: 'field-error', hidden: true });
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'token-hint',
  });
  const form = h('form', { class: 'sign-in card', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'token' }, 'Access token'),
      h('p', { id: 'token-hint', class: 'hint' }, 'The access token your administrator gave you (or the server’s ADMIN_TOKEN). It is kept only until you close this tab.'),
      input, error),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(input, error);
  });
  append(main, h('h1', {}, 'Sign in'), form);
  input.focus();
}

async function signIn(input, error) {
  const token = input.value.trim();
  if (!token) return showError(input, error, 'Enter your access token.');
  session.setToken(token);
  try {
    session.setCurrentUser(await request('GET', 'me', { quietUnauthorized: true }));
  } catch (err) {
    session.signOut();
    return showError(input, error, err.status === 401 ? 'That token is not valid.' : `Could not sign in: ${err.message}`);
  }
  const next = destination ?? 'rules';
  destination = null;
  navigate(next);
}

function showError(input, error, message) {
  error.textContent = message;
  error.hidden = false;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', 'token-hint token-error');
  input.focus();
}
