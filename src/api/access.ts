import type { AppDeps } from '../deps';
import type { Principal } from './auth';
import { BadRequestError, ForbiddenError, NotFoundError } from './errors';

/**
 * Who sees and changes what (DESIGN §4 "Permissions"): administrators everything; everyone else their
 * own records only, and another user's record is 404 (never "exists but forbidden"). Rule writes also
 * need the `canManageRules` grant.
 */

/** The owner filter a list uses: any (or the asked-for user) for admins, else the caller; 403 for someone else's. */
export function ownerFilter(principal: Principal, requestedUserId: string | undefined): string | undefined {
  if (principal.isAdmin) return requestedUserId;
  if (requestedUserId !== undefined && requestedUserId !== principal.user.id) {
    throw new ForbiddenError('you may only list your own records', [{ path: 'userId', message: 'must be your own user id' }]);
  }
  return principal.user.id;
}

/** The record when the caller may see it; 404 when it does not exist or is not theirs. */
export function visibleOr404<T extends { userId: string }>(principal: Principal, item: T | null, what: string): T {
  if (!item || (!principal.isAdmin && item.userId !== principal.user.id)) throw new NotFoundError(`${what} not found`);
  return item;
}

/** 403 unless the caller may create, change or delete rules at all. */
export function assertMayWriteRules(principal: Principal): void {
  if (principal.isAdmin || principal.user.canManageRules) return;
  throw new ForbiddenError('you may read your rules but not change them: an administrator has not granted you canManageRules');
}

/**
 * The owner a rule write ends up with. Admins must name an existing user (or keep `currentOwner`);
 * everyone else owns what they write: another `userId` is 403.
 */
export async function resolveRuleOwner(
  deps: AppDeps,
  principal: Principal,
  requestedUserId: string | undefined,
  currentOwner?: string,
): Promise<string> {
  if (!principal.isAdmin) {
    if (requestedUserId !== undefined && requestedUserId !== principal.user.id) {
      throw new ForbiddenError('you may only manage your own rules', [{ path: 'userId', message: 'must be your own user id' }]);
    }
    return principal.user.id;
  }
  const userId = requestedUserId ?? currentOwner;
  if (userId === undefined) throw BadRequestError.field('userId', 'is required: name the user who owns this rule');
  if (userId !== currentOwner && !(await deps.store.getUser(userId))) {
    throw BadRequestError.field('userId', 'must name an existing user');
  }
  return userId;
}
