import { Router, type Request, type Response } from 'express';
import { visibleOr404 } from '../api/access';
import { principalOf, type Principal } from '../api/auth';
import { requireJsonObject } from '../api/body';
import { ApiError, BadRequestError, ForbiddenError } from '../api/errors';
import { systemClock, type Clock } from '../clock';
import type { AppDeps } from '../deps';
import type { Rule } from '../domain/types';
import type { Logger } from '../log';
import { PreviewGuard, PreviewRunningError, PreviewsBusyError, PreviewTimedOutError } from './guard';
import { unknownTargets, validatePreviewRequest, validateUnsavedPreviewRequest, type Behaviour } from './request';
import { runPreview, type PreviewInput, type PreviewResult } from './run';

export interface PreviewRouteOptions {
  /** Previews running at once in this instance (default 4; more → 429). */
  maxConcurrent?: number;
  /** Real time one preview may take (default 20 s; longer → 504). */
  timeoutMs?: number;
  /** The wall clock of that timeout (default: the system clock). */
  wallClock?: Clock;
  /** A guard of one's own instead (then the three options above are not used). */
  guard?: PreviewGuard;
}

/** An Extend Ring rule on a server that cannot place calls through REST: what a real call does (incoming.ts). */
const NO_REST_NOTE = 'This server has no Twilio REST credentials (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): a real call to an '
  + 'Extend Ring rule goes straight to voicemail until they are set.';

/** The id an unsaved rule has inside its preview. */
const UNSAVED_RULE_ID = 'rul_preview';

/**
 * Rule previews, mounted on /api/rules (behind the API's authentication and JSON body parser):
 * - POST /api/rules/:id/preview `{ destinations }`: whoever may read the rule may preview it (else 404);
 * - POST /api/rules/preview `{ rule, destinations }`: any authenticated user, for a rule body of their own
 *   (administrators may name any owner with rule.userId); the body is validated like POST /api/rules.
 * Both answer `{ events: [{ at, text }], outcome: { kind, to?, atSeconds }, notes }` (see run.ts). One preview runs per
 * user at a time (429 `preview_running`), a few per instance (429 `too_many_previews`).
 */
export function createPreviewRouter(deps: AppDeps, options: PreviewRouteOptions = {}): Router {
  const logger = previewLogger(deps.logger);
  const guard = options.guard ?? new PreviewGuard({ ...options, clock: options.wallClock ?? systemClock, logger });
  const preview = async (res: Response, input: PreviewInput) => {
    const who = principalOf(res).user.id;
    const result = await guarded(res, () => guard.run((expired) => runPreview(input, { logger, expired }), who));
    if (input.rule.mode === 'extendRing' && !deps.twilio) result.notes.push(NO_REST_NOTE);
    res.json(result);
  };
  const router = Router();
  router.post('/preview', requireJsonObject, async (req, res) => preview(res, await unsavedInput(deps, req, res)));
  router.post('/:id/preview', requireJsonObject, async (req, res) => preview(res, await savedInput(deps, req, res)));
  return router;
}

async function savedInput(deps: AppDeps, req: Request, res: Response): Promise<PreviewInput> {
  const rule = visibleOr404(principalOf(res), await deps.store.getRule(String(req.params.id)), 'rule');
  const { destinations } = validatePreviewRequest(req.body);
  assertKnownTargets(destinations, rule);
  const owner = await deps.store.getUser(rule.userId);
  return { rule, owner: owner ?? { id: rule.userId, name: 'the owner', numbers: [] }, destinations };
}

async function unsavedInput(deps: AppDeps, req: Request, res: Response): Promise<PreviewInput> {
  const { rule: body, destinations } = validateUnsavedPreviewRequest(req.body);
  const owner = await unsavedOwner(deps, principalOf(res), body.userId);
  const now = new Date(deps.clock.now()).toISOString();
  const { userId: _requested, ...fields } = body;
  const rule: Rule = { id: UNSAVED_RULE_ID, userId: owner.id, ...fields, createdAt: now, updatedAt: now };
  assertKnownTargets(destinations, rule);
  return { rule, owner, destinations };
}

/** Oneself by default; administrators may name an existing user, everyone else only themselves (403). */
async function unsavedOwner(deps: AppDeps, principal: Principal, requested: string | undefined): Promise<PreviewInput['owner']> {
  if (requested === undefined || requested === principal.user.id) return principal.user;
  if (!principal.isAdmin) {
    throw new ForbiddenError('you may preview rules for yourself only', [{ path: 'rule.userId', message: 'must be your own user id' }]);
  }
  const user = await deps.store.getUser(requested);
  if (!user) throw BadRequestError.field('rule.userId', 'must name an existing user');
  return user;
}

function assertKnownTargets(destinations: Record<string, Behaviour>, rule: Rule): void {
  const unknown = unknownTargets(destinations, rule.steps);
  if (unknown.length === 0) return;
  const details = unknown.map((target) => ({ path: `destinations.${target}`, message: 'is not a destination of the rule' }));
  throw new BadRequestError(unknown.map((t) => `destinations.${t} is not a destination of the rule`).join('; '), details);
}

/** The guard's refusals in the API's error shape: 429 with Retry-After, 504. */
async function guarded(res: Response, work: () => Promise<PreviewResult>): Promise<PreviewResult> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PreviewsBusyError) {
      res.set('Retry-After', '1');
      throw new ApiError(429, 'too_many_previews', `${err.limit} rule previews are already running; try again in a moment`);
    }
    if (err instanceof PreviewRunningError) {
      res.set('Retry-After', '1');
      throw new ApiError(429, 'preview_running', `${err.message}: try again ${err.stopping ? 'in a few seconds' : 'once it is done'}`);
    }
    if (err instanceof PreviewTimedOutError) {
      throw new ApiError(504, 'preview_timeout',
        `${err.message} and was stopped: preview a rule with fewer steps or phones, or a shorter maxHoldMinutes`);
    }
    throw err;
  }
}

/** The isolated apps log as a part of this one, never more verbosely than warnings (their requests are not ours). */
function previewLogger(logger: Logger): Logger {
  const level = logger.levelVal >= logger.levels.values.warn ? logger.level : 'warn';
  return logger.child({ component: 'rule-preview' }, { level });
}
