import type { Redis } from 'ioredis';
import type { CallEvent, Destination, Hunt, HuntState, Leg, LegStatus } from '../../domain/types';
import type { ClaimResult, FinishLegResult } from '../store';
import { encodeEvent } from './codec';
import type { RedisKeys } from './keys';
import { runScript, type ScriptArg } from './scripts';

/**
 * Hunts, their legs and the max-hold deadlines in Redis (Extend Ring). A hunt is two keys sharing the `{CallSid}`
 * hash tag and one expiry: the snapshot (a string, never rewritten) and the live state (a small hash holding
 * state/step/cycle and the legs, kept in Redis's compact encoding: every value is short). One wrapper per script.
 */

type Snapshot = Omit<Hunt, 'state' | 'step' | 'cycle' | 'queueSid' | 'winner'>;

/** The live fields of a hunt, as getHunt reads them and transition_hunt.lua answers them. */
const LIVE_FIELDS = ['state', 'step', 'cycle', 'queueSid', 'winner'] as const;

const huntKeys = (keys: RedisKeys, callSid: string): string[] => [keys.hunt(callSid), keys.huntState(callSid)];

/** create_hunt.lua: false when a hunt exists for that CallSid. */
export async function createHunt(redis: Redis, keys: RedisKeys, hunt: Hunt, ttlMs: number): Promise<boolean> {
  const { state, step, cycle, winner: _winner, ...snapshot } = hunt;
  const reply = await runScript(redis, 'createHunt', huntKeys(keys, hunt.callSid),
    [JSON.stringify(snapshot), ttlMs, state, step, cycle, hunt.plan?.steps.length ?? 0]);
  return reply === 1;
}

/** The snapshot and the live fields, sent together by auto-pipelining (the snapshot never changes: no script needed). */
export async function getHunt(redis: Redis, keys: RedisKeys, callSid: string): Promise<Hunt | null> {
  const [snapshot, live] = await Promise.all([
    redis.get(keys.hunt(callSid)),
    redis.hmget(keys.huntState(callSid), ...LIVE_FIELDS),
  ]);
  return decodeHunt(snapshot, live);
}

function decodeHunt(snapshot: string | null, [state, step, cycle, queueSid, winner]: readonly (string | null | undefined)[]): Hunt | null {
  if (snapshot === null || !state) return null;
  const hunt: Hunt = { ...(JSON.parse(snapshot) as Snapshot), state: state as HuntState, step: Number(step), cycle: Number(cycle) };
  if (queueSid) hunt.queueSid = queueSid;
  if (winner) hunt.winner = winner;
  return hunt;
}

/** set_queue_sid.lua. */
export async function setQueueSid(redis: Redis, keys: RedisKeys, callSid: string, queueSid: string): Promise<void> {
  await runScript(redis, 'setQueueSid', [keys.huntState(callSid)], [queueSid]);
}

/** transition_hunt.lua: the hunt after the move, or null. */
export async function transitionHunt(
  redis: Redis, keys: RedisKeys, callSid: string, from: readonly HuntState[], to: HuntState,
): Promise<Hunt | null> {
  if (from.length === 0) return null;
  const reply = (await runScript(redis, 'transitionHunt', huntKeys(keys, callSid), [to, ...from])) as Array<string | null> | null;
  return reply ? decodeHunt(reply[0] ?? null, reply.slice(1)) : null;
}

const CLAIM_RESULTS: Record<number, ClaimResult> = { 1: 'claimed', 0: 'taken', [-1]: 'gone', [-2]: 'not-a-leg' };

/** claim_hunt.lua. */
export async function claimHunt(
  redis: Redis, keys: RedisKeys, callSid: string, legId: string, to: 'connected' | 'voicemail', legSid?: string,
): Promise<ClaimResult> {
  const reply = await runScript(redis, 'claimHunt', [keys.huntState(callSid)], [legId, to, legSid ?? '']);
  const result = CLAIM_RESULTS[Number(reply)];
  if (!result) throw new Error(`claim_hunt.lua answered ${String(reply)}`);
  return result;
}

/** start_step.lua: false when the step may not be started (see the script). */
export async function startStep(
  redis: Redis, keys: RedisKeys, callSid: string, step: number, cycle: number, legs: readonly Leg[], logEvent?: CallEvent,
): Promise<boolean> {
  const args: ScriptArg[] = [step, cycle, logEvent ? encodeEvent(logEvent) : ''];
  for (const leg of legs) args.push(leg.id, encodeDescriptor(leg), leg.status, leg.sid ?? '', leg.result ?? '');
  return (await runScript(redis, 'startStep', [keys.huntState(callSid), keys.call(callSid)], args)) === 1;
}

/** update_leg.lua: the hunt's state (null: no such hunt). */
export async function updateLeg(
  redis: Redis, keys: RedisKeys, callSid: string, legId: string, patch: { sid?: string; status?: Exclude<LegStatus, 'done'> },
): Promise<HuntState | null> {
  const state = await runScript(redis, 'updateLeg', [keys.huntState(callSid)], [legId, patch.sid ?? '', patch.status ?? '']);
  return typeof state === 'string' ? (state as HuntState) : null;
}

/** finish_leg.lua. */
export async function finishLeg(redis: Redis, keys: RedisKeys, callSid: string, legId: string, result: string): Promise<FinishLegResult> {
  const [code, step, cycle] = (await runScript(redis, 'finishLeg', [keys.huntState(callSid)], [legId, result])) as number[];
  if (code === 2) return { counted: true, next: { step: Number(step), cycle: Number(cycle) } };
  return { counted: code === 1 };
}

/** finish_leg.lua without a leg: moves on a hunt whose started step has nothing pending. */
export async function advanceIdleStep(redis: Redis, keys: RedisKeys, callSid: string): Promise<FinishLegResult['next']> {
  const [code, step, cycle] = (await runScript(redis, 'finishLeg', [keys.huntState(callSid)], ['', ''])) as number[];
  return code === 2 ? { step: Number(step), cycle: Number(cycle) } : undefined;
}

/** Every leg of the hunt, in order of cycle, step and index. */
export async function listLegs(redis: Redis, keys: RedisKeys, callSid: string): Promise<Leg[]> {
  const fields = await redis.hgetall(keys.huntState(callSid));
  const byLeg = new Map<string, Record<string, string>>();
  for (const [field, value] of Object.entries(fields)) {
    const colon = field.lastIndexOf(':');
    if (colon < 0) continue;
    const id = field.slice(0, colon);
    const attributes = byLeg.get(id) ?? {};
    attributes[field.slice(colon + 1)] = value;
    byLeg.set(id, attributes);
  }
  const legs: Leg[] = [];
  for (const [id, attributes] of byLeg) {
    if (attributes.d !== undefined) legs.push(decodeLeg(id, attributes));
  }
  return legs.sort((a, b) => a.cycle - b.cycle || a.step - b.step || a.index - b.index);
}

/** claim_due_deadlines.lua. */
export async function claimDueDeadlines(redis: Redis, keys: RedisKeys, nowMs: number, limit: number, leaseMs = 0): Promise<string[]> {
  if (limit < 1) return [];
  return (await runScript(redis, 'claimDueDeadlines', [keys.deadlines], [nowMs, Math.floor(limit), Math.max(0, leaseMs)])) as string[];
}

/** release_deadline.lua. */
export async function releaseDeadline(redis: Redis, keys: RedisKeys, key: string, leasedUntilMs: number): Promise<void> {
  await runScript(redis, 'releaseDeadline', [keys.deadlines], [key, leasedUntilMs]);
}

/** A leg's fixed part, compact so that the live-state hash keeps Redis's small encoding: [cycle, step, index, type, to, label?]. */
type Descriptor = [number, number, number, Destination['type'], string, string?];

function encodeDescriptor(leg: Leg): string {
  const { type, to, label } = leg.destination;
  const descriptor: Descriptor = [leg.cycle, leg.step, leg.index, type, to];
  if (label !== undefined) descriptor.push(label);
  return JSON.stringify(descriptor);
}

function decodeLeg(id: string, attributes: Record<string, string>): Leg {
  const [cycle, step, index, type, to, label] = JSON.parse(attributes.d!) as Descriptor;
  const leg: Leg = { id, cycle, step, index, destination: { type, to }, status: attributes.s as LegStatus };
  if (label !== undefined) leg.destination.label = label;
  if (attributes.sid) leg.sid = attributes.sid;
  if (attributes.r) leg.result = attributes.r;
  return leg;
}
