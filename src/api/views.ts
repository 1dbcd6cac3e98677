import type { User, UserRecord } from '../domain/types';

/** A user as the API shows it: never the token hash. */
export function toPublicUser(record: UserRecord | User): User {
  const { tokenHash: _hidden, ...user } = record as UserRecord;
  return user;
}
