import express, { type Express } from 'express';
import { adminRouter, pathPrefix } from './admin/static';
import { createApiRouter } from './api/router';
import { requestLogger } from './http-log';
import type { AppDeps } from './deps';
import { createVoiceRouter } from './voice/router';

/** The Express app: routers and middleware only; no I/O at import time, no listen (see server.ts). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogger(deps.logger));

  // liveness: the process serves (webhooks answer valid TwiML even while the store is down); /healthz adds the store
  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/healthz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.json({ status: 'ok', store: deps.store.kind });
    } catch (err) {
      deps.logger.warn({ err }, 'health check: store unreachable');
      res.status(503).json({ status: 'unavailable', store: deps.store.kind });
    }
  });

  // behind a proxy that serves the app under PUBLIC_BASE_URL's path (and strips it), the browser goes to <prefix>/admin/
  const prefix = pathPrefix(deps.config.publicBaseUrl);
  app.get('/', (_req, res) => res.redirect(`${prefix}/admin/`));
  app.use('/voice', createVoiceRouter(deps));
  app.use('/api', createApiRouter(deps));
  app.use('/admin', adminRouter(prefix));
  return app;
}
