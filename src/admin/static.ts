import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';

/** The panel's files: src/admin/public (and dist/admin/public after `npm run build`, which copies them). */
export const ADMIN_PUBLIC_DIR = path.join(__dirname, 'public');

/**
 * Only the panel's own origin may supply scripts, styles, requests and media (voicemail audio plays from
 * blob: URLs the panel fetches with its bearer token). No inline code, no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  });
  next();
};

/**
 * The path PUBLIC_BASE_URL puts before every URL of the app ('' at the host root, '/calls' for https://example.com/calls):
 * the reverse proxy in front strips it, so the app still sees /admin/…, but the browser must be sent under it.
 */
export function pathPrefix(publicBaseUrl: string): string {
  return new URL(publicBaseUrl).pathname.replace(/\/+$/, '');
}

const BASE_TAG = '<base href="/admin/">';
const API_ROOT_TAG = '<meta name="api-root" content="/api/">';

/**
 * index.html for the given path prefix: its <base href> (every file, link and page path of the panel is relative to
 * it) and the API root the scripts call, both under the prefix. Without one, the file as it is.
 */
export function panelPage(prefix: string): string {
  const page = fs.readFileSync(path.join(ADMIN_PUBLIC_DIR, 'index.html'), 'utf8');
  if (!page.includes(BASE_TAG) || !page.includes(API_ROOT_TAG)) throw new Error(`index.html lacks ${BASE_TAG} or ${API_ROOT_TAG}`);
  const at = escapeHtml(prefix);
  return page
    .replace(BASE_TAG, `<base href="${at}/admin/">`)
    .replace(API_ROOT_TAG, `<meta name="api-root" content="${at}/api/">`);
}

function escapeHtml(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/**
 * The admin web panel (mounted at /admin): static HTML, CSS and ES modules, no build step. `prefix`: pathPrefix() of
 * PUBLIC_BASE_URL; the page is made for it once, here. A GET for a path without a file extension (a page such as
 * /admin/rules/rul_1) answers that page, which routes in the browser; a missing asset (/admin/js/nope.js) stays 404.
 * /admin itself redirects to <prefix>/admin/.
 */
export function adminRouter(prefix: string): Router {
  const page = panelPage(prefix);
  const router = Router();
  router.use(securityHeaders);
  router.get('/index.html', (_req, res) => res.type('html').send(page));
  router.use(express.static(ADMIN_PUBLIC_DIR, { index: false, fallthrough: true, redirect: false }));
  router.use((req, res, next) => {
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && path.extname(req.path) === '';
    if (!isPage) {
      next();
      return;
    }
    const queryAt = req.originalUrl.indexOf('?');
    const [pathname, search] = queryAt < 0 ? [req.originalUrl, ''] : [req.originalUrl.slice(0, queryAt), req.originalUrl.slice(queryAt)];
    if (req.path === '/' && !pathname.endsWith('/')) {
      res.redirect(301, `${prefix}/admin/${search}`);
      return;
    }
    res.type('html').send(page);
  });
  return router;
}
