import type { User, UserRecord } from '../domain/types';

/** A user as the API shows it: never the token hash. */
export function toPublicUser(record: UserRecord | User): User {
  const { tokenHash: _hidden, ...user } = record as UserRecord;
  return user;
}

/** What stands for a secret a reader may not see. */
const MASK = '***';

/**
 * A URL with the credentials in it masked: the password shown as `***` (`https://user:***@host/path`), or a user name
 * given without a password (a token, then) shown as `***`. A URL without credentials is returned as it is.
 */
export function maskCredentials(url: string): string {
  // stored URLs are validated http(s) URLs: this is not one, so none of it is shown
  if (!URL.canParse(url)) return MASK;
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return url;
  if (parsed.password) parsed.password = MASK;
  else parsed.username = MASK;
  return parsed.href;
}

/**
 * A user reading themselves (GET /api/me): the credentials in their notifyUrl are masked unless they are an
 * administrator (an administrator put them there; only administrators read or change them in full).
 */
export function toSelfView(user: User, isAdmin: boolean): User {
  if (isAdmin || user.notifyUrl === undefined) return user;
  return { ...user, notifyUrl: maskCredentials(user.notifyUrl) };
}
