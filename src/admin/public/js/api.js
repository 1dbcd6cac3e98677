import { getToken } from './session.js';

/**
 * The management API client (DESIGN §4). Paths are relative to the API's root, which the server names in the page
 * (<meta name="api-root">: /api/, or <prefix>/api/ when PUBLIC_BASE_URL has a path): api.get('rules') is GET /api/rules.
 * Every request carries the bearer token. Failures arrive as:
 * - ApiError (status, code, message, details[{path, message}]) for any non-2xx answer;
 * - NetworkError when the server could not be reached.
 * Events on `apiEvents` let the shell react once for every page: 'unauthorized' (401), 'unavailable'
 * (503), 'network' (no answer), 'ok' (a request succeeded: the service is back).
 */
export const apiEvents = new EventTarget();

const API_ROOT = document.querySelector('meta[name="api-root"]').content;

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message || `request failed (HTTP ${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = error.code ?? 'http_' + status;
    this.details = Array.isArray(error.details) ? error.details : [];
  }
}

export class NetworkError extends Error {
  constructor(cause) {
    super('The server could not be reached.', { cause });
    this.name = 'NetworkError';
  }
}

/** 503 codes that a retry will not cure: no banner "temporarily unavailable" for them. */
const NOT_OUTAGES = new Set(['twilio_not_configured']);

/** Sends a request for `path` under the API root; resolves with the parsed JSON (null for 204), or with the Response when `raw`. */
export async function request(method, path, { body, query, headers, raw = false, quietUnauthorized = false } = {}) {
  const response = await send(method, withQuery(API_ROOT + path, query), body, headers);
  if (response.ok) {
    apiEvents.dispatchEvent(new Event('ok'));
    if (raw) return response;
    return response.status === 204 ? null : response.json();
  }
  const error = new ApiError(response.status, await readJson(response));
  if (response.status === 401 && !quietUnauthorized) apiEvents.dispatchEvent(new Event('unauthorized'));
  // a 503 that is the server's set-up (no Twilio credentials for recordings), not an outage, is the page's to tell
  if (response.status === 503 && !NOT_OUTAGES.has(error.code)) apiEvents.dispatchEvent(new CustomEvent('unavailable', { detail: error }));
  throw error;
}

export const api = {
  get: (path, query) => request('GET', path, { query }),
  post: (path, body) => request('POST', path, { body }),
  /** `headers`: e.g. If-Match, so that a rule changed by someone else since it was read is not overwritten (412). */
  put: (path, body, headers) => request('PUT', path, { body, headers }),
  patch: (path, body) => request('PATCH', path, { body }),
  delete: (path) => request('DELETE', path),
};

async function send(method, url, body, extra = {}) {
  const headers = { Accept: 'application/json', ...extra };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    return await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (err) {
    const error = new NetworkError(err);
    apiEvents.dispatchEvent(new CustomEvent('network', { detail: error }));
    throw error;
  }
}

function withQuery(path, query) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}

/** The error body, or null when the answer was not JSON (a proxy's HTML page, an empty 502). */
async function readJson(response) {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) return null;
  try {
    return await response.json();
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** True for the API's answer to a path or method it does not serve at all (as opposed to a missing record). */
export function isMissingEndpoint(err) {
  return (err?.status === 404 && /^no such endpoint/i.test(err.message)) || err?.status === 405;
}

/** Escapes one path segment (ids are server-made, but never trust them into a URL unescaped). */
export function seg(value) {
  return encodeURIComponent(String(value));
}
