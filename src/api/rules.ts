import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { newId } from '../domain/ids';
import { pageOf, RULE_SORTING } from '../domain/paging';
import { isAudioUrl, validateRuleBody, type RuleBody } from '../domain/rule-schema';
import { whereRung } from '../domain/select';
import type { Rule } from '../domain/types';
import { createPreviewRouter } from '../preview/routes';
import { assertMayWriteRules, ownerFilter, resolveRuleOwner, visibleOr404 } from './access';
import { principalOf, type Principal } from './auth';
import { BadRequestError, PreconditionFailedError } from './errors';
import { untilSaved } from './stale-reads';
import { requireJsonObject } from './body';
import { matchesText, parseListQuery } from './lists';
import { applyPatch } from './patch';

/**
 * /api/rules (DESIGN §4): list, create, read, replace, patch, delete — with the permission rules of api/access —
 * and the rule previews of preview/routes (POST /api/rules/preview, POST /api/rules/:id/preview).
 */
export function createRulesRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(createPreviewRouter(deps));
  router.get('/', (req, res) => listRules(deps, req, res));
  router.post('/', requireJsonObject, (req, res) => createRule(deps, req, res));
  router.get('/:id', async (req, res) => {
    const rule = await visibleRule(deps, principalOf(res), String(req.params.id));
    res.set('ETag', ruleEtag(rule)).json(rule);
  });
  router.put('/:id', requireJsonObject, (req, res) => changeRule(deps, req, res, (_current, body) => body));
  router.patch('/:id', requireJsonObject, (req, res) =>
    changeRule(deps, req, res, (current, patch) => {
      const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = current;
      return applyPatch(fields, patch);
    }),
  );
  router.delete('/:id', async (req, res) => {
    const principal = principalOf(res);
    assertMayWriteRules(principal);
    const current = await visibleRule(deps, principal, String(req.params.id));
    await deps.store.deleteRule(current.id);
    res.status(204).end();
  });
  return router;
}

/** GET /api/rules?userId=&q=&sort=&page=&pageSize= */
async function listRules(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const query = parseListQuery(req.query, RULE_SORTING);
  const userId = ownerFilter(principalOf(res), query.userId);
  const rules = (await deps.store.listRules(userId === undefined ? {} : { userId })).filter((r) => matchesRule(r, query.q));
  res.json(pageOf(rules, query, RULE_SORTING));
}

/** POST /api/rules → 201 with the stored rule. */
async function createRule(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const principal = principalOf(res);
  assertMayWriteRules(principal);
  const body = validateRuleBody(req.body);
  assertAudioElsewhere(deps, body);
  const userId = await resolveRuleOwner(deps, principal, body.userId);
  await assertNoLoop(deps, body, userId);
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const rule = toRule(body, { id: newId('rul', nowMs), userId, createdAt: now, updatedAt: now });
  // not for an owner deleted since the checks above
  if (!(await deps.store.saveRuleChecked(rule))) throw BadRequestError.field('userId', 'must name an existing user');
  res.status(201).set('ETag', ruleEtag(rule)).json(rule);
}

/**
 * A rule may not ring a business number of its own owner: Twilio would route that call back to this app, to the same
 * rule, which would ring the number again, one call inside another. 400 naming the destination.
 */
async function assertNoLoop(deps: AppDeps, body: RuleBody, userId: string): Promise<void> {
  const owner = await deps.store.getUser(userId);
  for (const number of owner?.numbers ?? []) {
    const at = whereRung(body.steps, number);
    if (!at) continue;
    const message = `is a number of the rule's owner: calling it would start this rule again`;
    throw new BadRequestError(`steps[${at.step}].destinations[${at.index}].to ${message}`, [{ path: `steps.${at.step}.destinations.${at.index}.to`, message }]);
  }
}

/**
 * Audio a rule plays may not be on this app's own host: Twilio fetches it as it fetches webhooks, so a rule could make
 * Twilio request /voice/… with parameters of its author's choosing. 400 naming the field. Audio a rule already had
 * (saved before this check) is left alone, so that such a rule can still be changed or switched off.
 */
function assertAudioElsewhere(deps: AppDeps, body: RuleBody, current?: Rule): void {
  const own = new URL(deps.config.publicBaseUrl).hostname;
  const audio: Array<[path: string, url: string | undefined, had: string | undefined]> = [
    ['holdMusicUrl', body.holdMusicUrl, current?.holdMusicUrl],
    ['voicemail.greeting', body.voicemail.greeting !== undefined && isAudioUrl(body.voicemail.greeting) ? body.voicemail.greeting : undefined,
      current?.voicemail.greeting],
  ];
  for (const [path, url, had] of audio) {
    if (url !== undefined && url !== had && URL.canParse(url) && new URL(url).hostname === own) {
      throw BadRequestError.field(path, 'must not be on this app\'s own host (PUBLIC_BASE_URL): Twilio would fetch it like a webhook');
    }
  }
}

/** Whether two lists of steps ring the same destinations in the same steps (ring times and labels aside). */
function sameTargets(a: RuleBody['steps'], b: RuleBody['steps']): boolean {
  const targets = (steps: RuleBody['steps']): string => JSON.stringify(steps.map((step) => step.destinations.map((d) => [d.type, d.to])));
  return targets(a) === targets(b);
}

/** PUT and PATCH: `merge` turns the current rule and the request body into the whole new body, validated like a create. */
async function changeRule(
  deps: AppDeps,
  req: Request,
  res: Response,
  merge: (current: Rule, body: Record<string, unknown>) => unknown,
): Promise<void> {
  const principal = principalOf(res);
  assertMayWriteRules(principal);
  const ifMatch = req.get('If-Match');
  // saved only if nobody changed or deleted the rule (or deleted its owner) since it was read; else read again
  const saved = await untilSaved('rule', async () => {
    const current = await visibleRule(deps, principal, String(req.params.id));
    if (ifMatch !== undefined && !etagMatches(ifMatch, ruleEtag(current))) {
      throw new PreconditionFailedError('the rule was changed since you read it (If-Match): read it again');
    }
    const body = validateRuleBody(merge(current, req.body as Record<string, unknown>));
    assertAudioElsewhere(deps, body, current);
    const userId = await resolveRuleOwner(deps, principal, body.userId, current.userId);
    // a rule saved before the check existed can always be switched off: disabled, with the same owner and steps, it is not checked
    const switchedOff = !body.enabled && userId === current.userId && sameTargets(body.steps, current.steps);
    if (!switchedOff) await assertNoLoop(deps, body, userId);
    const updatedAt = new Date(deps.clock.now()).toISOString();
    const rule = toRule(body, { id: current.id, userId, createdAt: current.createdAt, updatedAt });
    if (await deps.store.saveRuleChecked(rule, current)) return rule;
    if (!(await deps.store.getUser(userId))) throw BadRequestError.field('userId', 'must name an existing user');
    return undefined;
  });
  res.set('ETag', ruleEtag(saved)).json(saved);
}

/** A rule's version as an HTTP entity tag: a digest of the whole stored rule (two saves in one millisecond differ). */
export function ruleEtag(rule: Rule): string {
  return `"${createHash('sha256').update(JSON.stringify(rule)).digest('base64url').slice(0, 27)}"`;
}

/** If-Match: `*`, or a list of entity tags (weak ones compared by their value) one of which is `etag`. */
function etagMatches(ifMatch: string, etag: string): boolean {
  return ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, '')).some((tag) => tag === '*' || tag === etag);
}

async function visibleRule(deps: AppDeps, principal: Principal, id: string): Promise<Rule> {
  return visibleOr404(principal, await deps.store.getRule(id), 'rule');
}

function toRule(body: RuleBody, server: Pick<Rule, 'id' | 'userId' | 'createdAt' | 'updatedAt'>): Rule {
  const { userId: _requested, ...fields } = body;
  return { id: server.id, userId: server.userId, ...fields, createdAt: server.createdAt, updatedAt: server.updatedAt };
}

/** `q`: a case-insensitive substring of the name or of any destination's label or target. */
function matchesRule(rule: Rule, q: string | undefined): boolean {
  const destinations = rule.steps.flatMap((s) => s.destinations);
  return matchesText([rule.name, ...destinations.flatMap((d) => [d.label, d.to])], q);
}
