import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../deps';
import { hashToken, newId, newToken } from '../domain/ids';
import { pageOf, USER_SORTING } from '../domain/paging';
import type { User, UserRecord } from '../domain/types';
import { validateUserBody } from '../domain/user-schema';
import { principalOf, requireAdmin } from './auth';
import { requireJsonObject } from './body';
import { BadRequestError, NotFoundError } from './errors';
import { untilSaved } from './stale-reads';
import { whereRung } from '../domain/select';
import { matchesText, parseListQuery } from './lists';
import { notifyTestHandler } from './notify-test';
import { applyPatch } from './patch';
import { maskCredentials, toPublicUser, toSelfView } from './views';

/**
 * GET /api/me: the caller's own user (the bootstrap administrator for ADMIN_TOKEN); the credentials in a notifyUrl are
 * masked for a user who is not an administrator.
 */
export function createMeRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const { user, isAdmin } = principalOf(res);
    res.json(toSelfView(user, isAdmin));
  });
  return router;
}

/** /api/users: administrators only. A user's token is shown once, at creation and on rotation. */
export function createUsersRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(requireAdmin);
  router.post('/', requireJsonObject, (req, res) => createUser(deps, req, res));
  router.get('/', (req, res) => listUsers(deps, req, res));
  router.get('/:id', async (req, res) => {
    res.json(toPublicUser(await existingUser(deps, String(req.params.id))));
  });
  router.patch('/:id', requireJsonObject, (req, res) => patchUser(deps, req, res));
  router.delete('/:id', async (req, res) => {
    if (!(await deps.store.deleteUser(String(req.params.id)))) throw new NotFoundError('user not found');
    res.status(204).end();
  });
  router.post('/:id/token', async (req, res) => {
    const token = newToken();
    await changeUser(deps, String(req.params.id), (current) => ({ ...current, tokenHash: hashToken(token), updatedAt: nowIso(deps) }));
    res.json({ token });
  });
  router.post('/:id/notify-test', notifyTestHandler(deps));
  return router;
}

/** POST /api/users → 201 with the user and its token (the only time the token is shown). 409 when a number is taken. */
async function createUser(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const body = validateUserBody(req.body);
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const token = newToken();
  const record: UserRecord = { id: newId('usr', nowMs), ...body, tokenHash: hashToken(token), createdAt: now, updatedAt: now };
  await deps.store.createUser(record);
  res.status(201).json({ ...toPublicUser(record), token });
}

/** GET /api/users?q=&sort=&page=&pageSize= (q searches name, email and numbers). */
async function listUsers(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const query = parseListQuery(req.query, USER_SORTING);
  const users = (await deps.store.listUsers())
    .map(toPublicUser)
    .filter((u) => matchesText([u.name, u.email, ...u.numbers], query.q));
  res.json(pageOf(users, query, USER_SORTING));
}

/** PATCH /api/users/:id: named fields replaced (numbers as a whole list), the result validated like a create. */
async function patchUser(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const record = await changeUser(deps, String(req.params.id), async (current) => {
    const body = validateUserBody(applyPatch(editableFields(current), keepStoredCredentials(req.body as Record<string, unknown>, current)));
    await assertNotRungByOwnRules(deps, current.id, body.numbers.filter((n) => !current.numbers.includes(n)), body.numbers);
    return { id: current.id, ...body, tokenHash: current.tokenHash, createdAt: current.createdAt, updatedAt: nowIso(deps) };
  });
  res.json(toPublicUser(record));
}

/**
 * Reads the user, makes the change, and saves it only if nobody else changed the user meanwhile; else reads it again
 * and makes the change over (so that a token rotated while a PATCH is in flight stays rotated, and the PATCH stays
 * made). 404 for a user that is gone.
 */
function changeUser(deps: AppDeps, id: string, change: (current: UserRecord) => UserRecord | Promise<UserRecord>): Promise<UserRecord> {
  return untilSaved('user', async () => {
    const current = await existingUser(deps, id);
    const record = await change(current);
    return (await deps.store.updateUser(record, current)) ? record : undefined;
  });
}

function nowIso(deps: AppDeps): string {
  return new Date(deps.clock.now()).toISOString();
}

/**
 * A number a user is given may not be one their own rules ring: a call to it would start the rule that rings it (see
 * api/rules.ts assertNoLoop). 400 naming the number and the rule.
 */
async function assertNotRungByOwnRules(deps: AppDeps, userId: string, added: readonly string[], numbers: readonly string[]): Promise<void> {
  if (added.length === 0) return;
  const rules = await deps.store.listRules({ userId });
  for (const number of added) {
    const rule = rules.find((r) => whereRung(r.steps, number));
    if (!rule) continue;
    const message = `${number} is rung by this user's rule "${rule.name}": a call to it would ring itself; change the rule first`;
    const index = numbers.indexOf(number);
    throw new BadRequestError(`numbers[${index}] ${message}`, [{ path: `numbers.${index}`, message }]);
  }
}

async function existingUser(deps: AppDeps, id: string): Promise<UserRecord> {
  const user = await deps.store.getUser(id);
  if (!user) throw new NotFoundError('user not found');
  return user;
}

/**
 * A PATCH that sends back the notifyUrl as GET /api/me shows it to a user (credentials masked) leaves the stored URL
 * as it is: a form filled from that view must not replace the password with `***`.
 */
function keepStoredCredentials(patch: Record<string, unknown>, current: UserRecord): Record<string, unknown> {
  const stored = current.notifyUrl;
  if (stored === undefined || patch.notifyUrl === stored || patch.notifyUrl !== maskCredentials(stored)) return patch;
  return { ...patch, notifyUrl: stored };
}

function editableFields(user: UserRecord): Record<string, unknown> {
  const { id: _id, createdAt: _c, updatedAt: _u, tokenHash: _t, ...fields } = user as UserRecord & Partial<User>;
  return fields;
}
