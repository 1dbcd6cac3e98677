import { api, apiEvents } from './api.js';
import { clearTrouble, initBanner, showBanner } from './banner.js';
import { h } from './dom.js';
import { callDetailPage } from './pages/call-detail.js';
import { callbacksPage } from './pages/callbacks.js';
import { callsPage } from './pages/calls.js';
import { ruleEditorPage } from './pages/rule-editor.js';
import { rulesPage } from './pages/rules.js';
import { rememberDestination, signInPage } from './pages/sign-in.js';
import { usersPage } from './pages/users.js';
import { voicemailsPage } from './pages/voicemails.js';
import { guard, mayLeave, navigate, reload, route, start } from './router.js';
import * as session from './session.js';
import { updateShell } from './shell.js';

/** Boot: routes, the guard (signed in? who? allowed?), and one reaction per kind of API trouble. */

route('sign-in', signInPage);
route('', rulesPage);
route('rules', rulesPage);
route('rules/new', ruleEditorPage);
route('rules/:id', ruleEditorPage);
route('users', usersPage);
route('voicemails', voicemailsPage);
route('callbacks', callbacksPage);
route('calls', callsPage);
route('calls/:callSid', callDetailPage);

guard(async (path) => {
  updateShell(path);
  if (path === 'sign-in') return null;
  if (!session.getToken()) {
    rememberDestination();
    return 'sign-in';
  }
  if (!session.currentUser()) {
    const problem = await loadCurrentUser();
    if (problem) return problem;
  } else {
    await refreshCurrentUser();
  }
  updateShell(path);
  if (path.startsWith('users') && !session.isAdmin()) return 'rules';
  return null;
});

/** null when /api/me answered; otherwise where to go (sign-in) or what to show instead of the page. */
async function loadCurrentUser() {
  try {
    session.setCurrentUser(await api.get('me'));
    return null;
  } catch (err) {
    if (err.status === 401) return 'sign-in';
    return ({ main }) => {
      main.append(
        h('h1', {}, 'Cannot load your account'),
        h('p', {}, `The panel could not find out who you are: ${err.message}`),
        h('button', { type: 'button', onclick: () => reload() }, 'Try again'),
      );
    };
  }
}

/**
 * On every page change the signed-in user is read again, so that a right an administrator gave or took meanwhile
 * (canManageRules, the role) shows without signing in again. Should that fail, the panel goes on with what it knew
 * (a 401 signs out, as for any request).
 */
async function refreshCurrentUser() {
  try {
    session.setCurrentUser(await api.get('me'));
  } catch (err) {
    // an API or network failure: the banner or the sign-in page has told the user; anything else is a bug to see
    if (err?.name !== 'ApiError' && err?.name !== 'NetworkError') console.error(err);
  }
}

apiEvents.addEventListener('unauthorized', () => {
  const wasSignedIn = session.getToken() !== null;
  session.signOut({ refusedByServer: true });
  rememberDestination(wasSignedIn ? 'Your session has ended or your token is no longer valid. Sign in again.' : undefined);
  navigate('sign-in', { replace: true });
});
apiEvents.addEventListener('unavailable', (event) => {
  showBanner(`The service is temporarily unavailable (${event.detail.message}). Try again in a moment.`, 'unavailable');
});
apiEvents.addEventListener('network', () => {
  showBanner('The server cannot be reached. Check your connection; the panel will work again once it is back.', 'network');
});
apiEvents.addEventListener('ok', clearTrouble);

window.addEventListener('unhandledrejection', (event) => {
  const err = event.reason;
  if (err?.name === 'ApiError' || err?.name === 'NetworkError') {
    event.preventDefault();
    if (err.status !== 401 && err.status !== 503 && err.name !== 'NetworkError') showBanner(err.message);
    return;
  }
  showBanner(`Something went wrong: ${err?.message ?? err}`);
});

document.getElementById('sign-out').addEventListener('click', async () => {
  if (!(await mayLeave())) return;
  session.signOut();
  navigate('sign-in');
});

initBanner();
start(document.getElementById('main'));
