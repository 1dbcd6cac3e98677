import { Router } from 'express';
import type { AppDeps } from '../deps';

/** Placeholder until the management API lands. */
export function createApiRouter(_deps: AppDeps): Router {
  return Router();
}
