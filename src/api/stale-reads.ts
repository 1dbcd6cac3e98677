import { ConflictError } from './errors';

/** Attempts at a change before giving up on a record that keeps changing under it. */
const CHANGE_ATTEMPTS = 5;

/**
 * A change saved only if nobody changed the record since it was read (the stores' compare-and-set): `attempt` reads,
 * changes and tries to save, answering the saved record, or undefined when the record had changed meanwhile; it is then
 * run again on a fresh read. 409 `edit_conflict` once the record kept changing CHANGE_ATTEMPTS times.
 */
export async function untilSaved<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  for (let tries = 0; tries < CHANGE_ATTEMPTS; tries += 1) {
    const saved = await attempt();
    if (saved !== undefined) return saved;
  }
  throw new ConflictError('edit_conflict', `the ${what} kept changing while this change was saved: try again`);
}
