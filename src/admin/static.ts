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
 * The admin web panel (mounted at /admin): static HTML, CSS and ES modules, no build step.
 * A GET for a path without a file extension (a page such as /admin/rules/rul_1) answers index.html,
 * which routes in the browser; a missing asset (/admin/js/nope.js) stays 404.
 */
export function adminRouter(): Router {
  const router = Router();
  router.use(securityHeaders);
  router.use(express.static(ADMIN_PUBLIC_DIR, { index: 'index.html', fallthrough: true, redirect: true }));
  router.use((req, res, next) => {
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && path.extname(req.path) === '';
    if (!isPage) {
      next();
      return;
    }
    res.sendFile(path.join(ADMIN_PUBLIC_DIR, 'index.html'));
  });
  return router;
}
