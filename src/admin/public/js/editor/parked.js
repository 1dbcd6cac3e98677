/**
 * Unsaved rule changes kept while the server made the user sign in again (their token stopped working mid-edit): held
 * in this tab's memory for that user and that rule only, handed back once, and dropped when anyone else signs in.
 * `entry`: { userId, ruleKey (the rule id, or 'new'), draft, etag (the version the changes were made to) }.
 */
let parked = null;

export function park(entry) {
  parked = entry;
}

/** The changes parked for this user and rule (then forgotten), or null; changes of another user are dropped. */
export function unpark(userId, ruleKey) {
  const entry = parked;
  if (!entry) return null;
  if (entry.userId !== userId) parked = null;
  if (entry.userId !== userId || entry.ruleKey !== ruleKey) return null;
  parked = null;
  return entry;
}
