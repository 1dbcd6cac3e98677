import type { RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps';
import { hashToken, secretsEqual } from '../domain/ids';
import type { User } from '../domain/types';
import { ForbiddenError, UnauthorizedError } from './errors';
import { toPublicUser } from './views';

/** Who is calling: a stored user, or the bootstrap administrator holding ADMIN_TOKEN. */
export interface Principal {
  readonly user: User;
  /** ADMIN_TOKEN holders and users with role `admin`. */
  readonly isAdmin: boolean;
}

/** The synthetic user ADMIN_TOKEN authenticates as (not stored; owns no numbers or rules). */
export const BOOTSTRAP_ADMIN: Readonly<User> = Object.freeze({
  id: 'admin',
  name: 'Administrator',
  role: 'admin',
  numbers: [],
  canManageRules: true,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
});

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** Resolves `Authorization: Bearer <token>` into a Principal (res.locals.principal); 401 otherwise. */
export function authenticate(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match?.[1]) throw new UnauthorizedError('an Authorization: Bearer <token> header is required');
    const token = match[1];
    const adminToken = deps.config.adminToken;
    if (adminToken !== undefined && secretsEqual(token, adminToken)) {
      res.locals.principal = { user: { ...BOOTSTRAP_ADMIN, numbers: [] }, isAdmin: true } satisfies Principal;
      next();
      return;
    }
    const record = await deps.store.findUserByTokenHash(hashToken(token));
    if (!record) throw new UnauthorizedError('the bearer token is not valid');
    res.locals.principal = { user: toPublicUser(record), isAdmin: record.role === 'admin' } satisfies Principal;
    next();
  };
}

/** The authenticated caller (set by `authenticate`). */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw new Error('principalOf: authenticate() did not run for this route');
  return principal;
}

/** 403 unless the caller is an administrator. */
export const requireAdmin: RequestHandler = (_req, res, next) => {
  if (!principalOf(res).isAdmin) throw new ForbiddenError('only administrators may do this');
  next();
};
