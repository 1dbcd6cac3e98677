import { Router } from 'express';
import type { AppDeps } from '../deps';

/** Placeholder until the voice webhooks land. */
export function createVoiceRouter(_deps: AppDeps): Router {
  return Router();
}
