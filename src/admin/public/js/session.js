/**
 * Who is signed in. The bearer token lives in sessionStorage: it survives reloads of this tab and is
 * gone when the tab closes or on sign-out. `me` is the user GET /api/me answered for that token.
 */
const TOKEN_KEY = 'callHunting.adminToken';
let me = null;
/** True once the server refused the token (401) and signed the user out, until the next sign-in. */
let refused = false;

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  refused = false;
}

/** `refusedByServer`: the token stopped working (rather than the user signing out). */
export function signOut({ refusedByServer = false } = {}) {
  sessionStorage.removeItem(TOKEN_KEY);
  me = null;
  refused = refusedByServer;
}

export function tokenRefused() {
  return refused && getToken() === null;
}

export function currentUser() {
  return me;
}

export function setCurrentUser(user) {
  me = user;
}

export function isAdmin() {
  return me?.role === 'admin';
}

/** Administrators, and users an administrator granted canManageRules, may change rules. */
export function canManageRules() {
  return isAdmin() || me?.canManageRules === true;
}
