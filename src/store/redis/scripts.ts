import fs from 'node:fs';
import path from 'node:path';
import type { ChainableCommander, Redis } from 'ioredis';

/**
 * The Lua scripts (one atomic change each; contract in each file's header), registered with defineCommand.
 * `keys` is the exact number of KEYS the script takes; everything after them is ARGV.
 */
const SCRIPTS = {
  saveUser: { file: 'save_user.lua', keys: 3 },
  deleteUser: { file: 'delete_user.lua', keys: 5 },
  findUser: { file: 'find_user.lua', keys: 2 },
  findOwnerWithRules: { file: 'find_owner_with_rules.lua', keys: 3 },
  saveOwned: { file: 'save_owned.lua', keys: 2 },
  saveRule: { file: 'save_rule.lua', keys: 3 },
  deleteOwned: { file: 'delete_owned.lua', keys: 1 },
  listOwned: { file: 'list_owned.lua', keys: 2 },
  saveVoicemail: { file: 'save_voicemail.lua', keys: 3 },
  updateVoicemail: { file: 'update_voicemail.lua', keys: 1 },
  deleteVoicemail: { file: 'delete_voicemail.lua', keys: 2 },
  createCall: { file: 'create_call.lua', keys: 1 },
  indexCall: { file: 'index_call.lua', keys: 2 },
  appendCallEvent: { file: 'append_call_event.lua', keys: 1 },
  finishCall: { file: 'finish_call.lua', keys: 1 },
  createHunt: { file: 'create_hunt.lua', keys: 2 },
  transitionHunt: { file: 'transition_hunt.lua', keys: 2 },
  claimHunt: { file: 'claim_hunt.lua', keys: 1 },
  setQueueSid: { file: 'set_queue_sid.lua', keys: 1 },
  startStep: { file: 'start_step.lua', keys: 2 },
  updateLeg: { file: 'update_leg.lua', keys: 1 },
  finishLeg: { file: 'finish_leg.lua', keys: 1 },
  claimDueDeadlines: { file: 'claim_due_deadlines.lua', keys: 1 },
  releaseDeadline: { file: 'release_deadline.lua', keys: 1 },
} as const satisfies Record<string, { file: string; keys: number }>;

export type ScriptName = keyof typeof SCRIPTS;
export type ScriptArg = string | number;

/** The scripts ship next to this module: src/store/redis/lua, copied to dist/store/redis/lua by the build. */
const LUA_DIR = path.join(__dirname, 'lua');

let sources: Map<ScriptName, string> | undefined;

function scriptSources(): Map<ScriptName, string> {
  sources ??= new Map(
    (Object.keys(SCRIPTS) as ScriptName[]).map((name) => [name, fs.readFileSync(path.join(LUA_DIR, SCRIPTS[name].file), 'utf8')]),
  );
  return sources;
}

/** Registers every script on the connection (EVALSHA, falling back to EVAL when Redis does not know it yet). */
export function defineScripts(redis: Redis): void {
  for (const [name, lua] of scriptSources()) {
    redis.defineCommand(name, { lua, numberOfKeys: SCRIPTS[name].keys });
  }
}

type ScriptCall = (...args: ScriptArg[]) => Promise<unknown>;

/** Runs a script now: its KEYS, then its ARGV. */
export function runScript(redis: Redis, name: ScriptName, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
  if (keys.length !== SCRIPTS[name].keys) {
    throw new Error(`script ${name} takes ${SCRIPTS[name].keys} keys, got ${keys.length}`);
  }
  const call = (redis as unknown as Record<ScriptName, ScriptCall | undefined>)[name];
  if (!call) throw new Error(`script ${name} is not defined on this connection (call defineScripts first)`);
  return call.call(redis, ...keys, ...args);
}

/** Sends a pipeline; resolves with each command's reply, or rejects with the first command's error. */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (!results) throw new Error('pipeline was discarded');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
