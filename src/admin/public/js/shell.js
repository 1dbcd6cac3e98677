import * as session from './session.js';

/** The page frame around every page: navigation (admin-only items, current page) and who is signed in. */
export function updateShell(path) {
  const user = session.currentUser();
  const signedIn = user !== null && session.getToken() !== null;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('who').hidden = !signedIn;
  for (const item of document.querySelectorAll('[data-admin-only]')) item.hidden = !session.isAdmin();
  const section = path.split('/')[0] || 'rules';
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (signedIn) {
    const role = session.isAdmin() ? 'administrator' : session.canManageRules() ? 'may manage rules' : 'read-only';
    document.getElementById('who-name').textContent = `Signed in as ${user.name} (${role})`;
  }
}
