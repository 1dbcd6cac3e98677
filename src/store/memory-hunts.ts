import { copyJson } from '../domain/copy';
import type { Hunt, HuntState, Leg, LegStatus } from '../domain/types';
import { ExpiringMap } from './expiring-map';
import type { ClaimResult, FinishLegResult } from './store';

/** One hunt with what only the store sees: its legs, how many are still pending, which step was started, who won. */
interface HuntEntry {
  hunt: Hunt;
  legs: Map<string, Leg>;
  pending: number;
  /** `${cycle}.${step}` of the last step whose legs were recorded. */
  started?: string;
  winner?: string;
}

/** Live statuses only move forward: a late `ringing` never overrides `in-progress`. */
const STATUS_RANK: Record<Exclude<LegStatus, 'done'>, number> = { placing: 1, queued: 2, ringing: 3, 'in-progress': 4 };

const position = (step: number, cycle: number): string => `${cycle}.${step}`;

/**
 * The embedded store's hunts, legs and max-hold deadlines (the same contract as the Redis scripts). Every method is
 * synchronous, so each one is atomic under the single-threaded event loop; values go in and out as copies.
 */
export class MemoryHunts {
  private readonly hunts: ExpiringMap<HuntEntry>;
  private readonly deadlines = new Map<string, number>();

  constructor(now: () => number) {
    this.hunts = new ExpiringMap(now);
  }

  create(hunt: Hunt, ttlSeconds: number): boolean {
    if (this.hunts.get(hunt.callSid)) return false;
    this.hunts.set(hunt.callSid, { hunt: copyJson(hunt), legs: new Map(), pending: 0 }, ttlSeconds * 1000);
    return true;
  }

  get(callSid: string): Hunt | null {
    const entry = this.hunts.get(callSid);
    return entry ? viewOf(entry) : null;
  }

  setQueueSid(callSid: string, queueSid: string): void {
    const entry = this.hunts.get(callSid);
    if (entry) entry.hunt.queueSid ??= queueSid;
  }

  transition(callSid: string, from: readonly HuntState[], to: HuntState): Hunt | null {
    const entry = this.hunts.get(callSid);
    if (!entry || !from.includes(entry.hunt.state)) return null;
    entry.hunt.state = to;
    return viewOf(entry);
  }

  claim(callSid: string, legId: string, to: 'connected' | 'voicemail', legSid?: string): ClaimResult {
    const entry = this.hunts.get(callSid);
    if (!entry || entry.hunt.state === 'abandoned') return 'gone';
    const leg = entry.legs.get(legId);
    if (!leg || (leg.sid !== undefined && leg.sid !== legSid)) return 'not-a-leg';
    // the winner repeating its claim gets the same answer, whatever its leg has done since
    if (entry.hunt.state === to && entry.winner === legId) return 'claimed';
    // a leg of this hunt that ended once the hunt was decided (hung up by the app while its key press was on its way)
    if (leg.status === 'done' && entry.hunt.state !== 'hunting') return 'taken';
    // Twilio may have placed a call whose placement the app counted as failed (no answer in time, a 5xx): it rings all
    // the same, and whoever answers it may take the caller (not one Twilio refused: `refused`, no call exists)
    const adopted = leg.status === 'done' && leg.result === 'failed' && leg.sid === undefined && legSid !== undefined;
    // a leg that was answered may press 2 and hang up at once: its final status can come before its key press
    if (leg.status === 'done' && !adopted && (to !== 'voicemail' || leg.sid === undefined || leg.result !== 'completed')) return 'not-a-leg';
    if (entry.hunt.state === 'hunting') {
      entry.hunt.state = to;
      entry.winner = legId;
      if (adopted) leg.sid = legSid;
      return 'claimed';
    }
    return 'taken';
  }

  startStep(callSid: string, step: number, cycle: number, legs: readonly Leg[]): boolean {
    const entry = this.hunts.get(callSid);
    if (!entry) return false;
    const { hunt } = entry;
    if (hunt.state !== 'hunting' || hunt.step !== step || hunt.cycle !== cycle) return false;
    if (entry.started === position(step, cycle)) return false;
    for (const [id, leg] of entry.legs) if (leg.cycle < cycle - 1) entry.legs.delete(id); // see ExtendRingStore.startStep
    for (const leg of legs) {
      entry.legs.set(leg.id, copyJson(leg));
      if (leg.status !== 'done') entry.pending += 1;
    }
    entry.started = position(step, cycle);
    return true;
  }

  updateLeg(callSid: string, legId: string, patch: { sid?: string; status?: Exclude<LegStatus, 'done'> }): HuntState | null {
    const entry = this.hunts.get(callSid);
    const leg = entry?.legs.get(legId);
    if (leg && leg.status !== 'done') {
      if (patch.sid) leg.sid = patch.sid;
      if (patch.status && STATUS_RANK[patch.status] > STATUS_RANK[leg.status]) leg.status = patch.status;
    }
    return entry ? entry.hunt.state : null;
  }

  finishLeg(callSid: string, legId: string, result: string): FinishLegResult {
    const entry = this.hunts.get(callSid);
    const leg = entry?.legs.get(legId);
    if (!entry || !leg || leg.status === 'done') return { counted: false };
    leg.status = 'done';
    if (result) leg.result = result;
    entry.pending -= 1;
    const next = moveOnIfIdle(entry);
    return next ? { counted: true, next } : { counted: true };
  }

  advanceIdleStep(callSid: string): FinishLegResult['next'] {
    const entry = this.hunts.get(callSid);
    return entry ? moveOnIfIdle(entry) : undefined;
  }

  listLegs(callSid: string): Leg[] {
    const legs = [...(this.hunts.get(callSid)?.legs.values() ?? [])].map(copyJson);
    return legs.sort((a, b) => a.cycle - b.cycle || a.step - b.step || a.index - b.index);
  }

  /** A call's deadline stays until claimed or removed: a second one for the same call changes nothing. */
  addDeadline(callSid: string, dueMs: number): void {
    if (!this.deadlines.has(callSid)) this.deadlines.set(callSid, dueMs);
  }

  setDeadline(key: string, dueMs: number): void {
    this.deadlines.set(key, dueMs);
  }

  removeDeadline(callSid: string): void {
    this.deadlines.delete(callSid);
  }

  claimDueDeadlines(nowMs: number, limit: number, leaseMs = 0): string[] {
    const due = [...this.deadlines].filter(([, dueMs]) => dueMs <= nowMs).sort(([, a], [, b]) => a - b);
    const claimed = due.slice(0, Math.max(0, Math.floor(limit))).map(([key]) => key);
    for (const key of claimed) {
      if (leaseMs > 0) this.deadlines.set(key, nowMs + leaseMs);
      else this.deadlines.delete(key);
    }
    return claimed;
  }

  deadlineOf(key: string): number | undefined {
    return this.deadlines.get(key);
  }

  releaseDeadline(key: string, leasedUntilMs: number): void {
    if (this.deadlines.get(key) === leasedUntilMs) this.deadlines.delete(key);
  }
}

/** finish_leg.lua's second half: a hunting hunt whose started step has nothing pending moves to the next step. */
function moveOnIfIdle(entry: HuntEntry): FinishLegResult['next'] {
  const { hunt } = entry;
  const steps = hunt.plan?.steps.length ?? 0;
  if (entry.pending > 0 || hunt.state !== 'hunting' || entry.started !== position(hunt.step, hunt.cycle) || steps < 1) return undefined;
  hunt.step += 1;
  if (hunt.step >= steps) {
    hunt.step = 0;
    hunt.cycle += 1;
  }
  return { step: hunt.step, cycle: hunt.cycle };
}

/** The hunt as the store answers it: a copy, with the leg that claimed the caller, if one has. */
function viewOf(entry: HuntEntry): Hunt {
  const hunt = copyJson(entry.hunt);
  if (entry.winner !== undefined) hunt.winner = entry.winner;
  return hunt;
}
