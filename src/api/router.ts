import { Router, type RequestHandler } from 'express';
import type { AppDeps } from '../deps';
import { authenticate } from './auth';
import { boundedBody, jsonBody } from './body';
import { errorHandler, unknownRoute } from './error-handler';
import { serveOpenApi } from './openapi';
import { createCallbacksRouter, createCallsRouter, createVoicemailsRouter } from './records';
import { createRulesRouter } from './rules';
import { createMeRouter, createUsersRouter } from './users';

/** Answers behind a token (new tokens among them, and 401s) are for their reader only: no cache keeps them. */
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The management API under /api (DESIGN §4). Every resource needs a bearer token (checked before the
 * body is read) except the OpenAPI document; unknown paths are 404, a known path with another method 405; every error leaves through the one error handler.
 */
export function createApiRouter(deps: AppDeps): Router {
  const router = Router();
  const guard = [noStore, authenticate(deps), jsonBody(), boundedBody];
  router.get('/openapi.json', serveOpenApi);
  router.use('/me', guard, createMeRouter());
  router.use('/users', guard, createUsersRouter(deps));
  router.use('/rules', guard, createRulesRouter(deps));
  router.use('/voicemails', guard, createVoicemailsRouter(deps));
  router.use('/callbacks', guard, createCallbacksRouter(deps));
  router.use('/calls', guard, createCallsRouter(deps));
  router.use(unknownRoute(router));
  router.use(errorHandler(deps.logger));
  return router;
}
