/**
 * Every Redis key name the app uses, under one configurable prefix.
 *
 * Hash tags ({…}) decide which keys share a Redis Cluster slot, so every Lua script touches keys of one slot:
 * - {dir}   the directory: users, number owners, token hashes, rules and their per-user indexes;
 * - {vm}    voicemails and their indexes;  {cb} callback requests and their indexes;
 * - {calls} the call-log indexes (sorted by start time, entries cleaned lazily);
 * - {CallSid} everything about one call: its hunt snapshot, its live state with its legs, and its call-log entry;
 * - {deadlines} the max-hold deadlines of every call (one sorted set, touched alone).
 */
export interface RedisKeys {
  readonly prefix: string;
  /** String: the schema version of the data under this prefix (schema.ts). */
  readonly schema: string;
  /** Hash: user id → user JSON. */
  readonly users: string;
  /** Hash: E.164 number → owner's user id. */
  readonly numbers: string;
  /** Hash: SHA-256 token hash → user id. */
  readonly tokens: string;
  /** Hash: rule id → rule JSON. */
  readonly rules: string;
  /** Set of a user's rule ids. */
  userRules(userId: string): string;
  /** What userRules() puts before the user id (scripts that move a rule between users build the key from it). */
  readonly userRulesPrefix: string;

  /** Hash: data (JSON), transcription, transcriptionStatus. */
  voicemail(id: string): string;
  /** Set of every voicemail id. */
  readonly voicemails: string;
  /** Set of a user's voicemail ids. */
  userVoicemails(userId: string): string;
  readonly userVoicemailsPrefix: string;

  /** Hash: callback id → callback JSON. */
  readonly callbacks: string;
  userCallbacks(userId: string): string;
  readonly userCallbacksPrefix: string;

  /** String: the hunt snapshot JSON without state/step/cycle (never changes), with an expiry. */
  hunt(callSid: string): string;
  /**
   * Hash, same expiry as the snapshot: the hunt's live fields (state, step, cycle, steps, pending, started, winner)
   * and its legs, three or four small fields each ('<legId>:d' descriptor, ':s' status, ':sid', ':r' result).
   */
  huntState(callSid: string): string;
  /** Sorted set of CallSids scored by their max-hold deadline (epoch ms). */
  readonly deadlines: string;
  /** Hash: data (JSON without events/outcome/endedAt), events (JSON objects joined by commas), outcome, endedAt. */
  call(callSid: string): string;
  /** Sorted set of every call SID, scored by the epoch ms it was logged. */
  readonly calls: string;
  /** Sorted set of a user's call SIDs, scored like `calls`. */
  userCalls(userId: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  const dir = `${prefix}{dir}:`;
  const vm = `${prefix}{vm}:`;
  const cb = `${prefix}{cb}:`;
  const calls = `${prefix}{calls}:`;
  return Object.freeze({
    prefix,
    schema: `${prefix}schema`,
    users: `${dir}users`,
    numbers: `${dir}numbers`,
    tokens: `${dir}tokens`,
    rules: `${dir}rules`,
    userRules: (userId: string) => `${dir}user-rules:${userId}`,
    userRulesPrefix: `${dir}user-rules:`,

    voicemail: (id: string) => `${vm}voicemail:${id}`,
    voicemails: `${vm}all`,
    userVoicemails: (userId: string) => `${vm}user:${userId}`,
    userVoicemailsPrefix: `${vm}user:`,

    callbacks: `${cb}callbacks`,
    userCallbacks: (userId: string) => `${cb}user:${userId}`,
    userCallbacksPrefix: `${cb}user:`,

    hunt: (callSid: string) => `${prefix}hunt:{${callSid}}`,
    huntState: (callSid: string) => `${prefix}hunt-state:{${callSid}}`,
    deadlines: `${prefix}{deadlines}`,
    call: (callSid: string) => `${prefix}call:{${callSid}}`,
    calls: `${calls}all`,
    userCalls: (userId: string) => `${calls}user:${userId}`,
  });
}
