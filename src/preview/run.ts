import { whereRung } from '../domain/select';
import type { Rule } from '../domain/types';
import type { Logger } from '../log';
import type { TwilioEmulator } from '../simulator/emulator';
import { formatOffset } from '../simulator/timeline';
import type { EmulatedCall } from '../simulator/views';
import { calleeScripts, destinationTo } from './callees';
import { CALLER_NAME, describeCallLog, describeEntries, legName, mergeEvents, type PreviewEvent } from './events';
import { PreviewAbandonedError } from './guard';
import { previewOutcome, type Observed, type PreviewOutcome } from './outcome';
import type { Behaviour } from './request';
import { previewOwner, startPreviewWorld, type PreviewWorld } from './world';

/** Who calls in every preview, and the business number used when the owner has none. */
export const PREVIEW_CALLER_NUMBER = '+15557654321';
export const SAMPLE_BUSINESS_NUMBER = '+15550000100';
/** Virtual time is played in slices this long; between slices the real-time budget is checked. */
const SLICE_SECONDS = 60;
/** Virtual time allowed beyond the rule's own ring, hold and voicemail times (whispers, talking, goodbyes). */
const SLACK_SECONDS = 600;
/** Longer timelines are cut (an hour of Extend Ring holds a few hundred events). */
export const MAX_EVENTS = 2000;

export interface PreviewInput {
  /** The rule as stored, or an unsaved body made into one. */
  rule: Rule;
  owner: { id: string; name: string; numbers: readonly string[] };
  /** What each destination does, by its `to`; unlisted destinations ring out. */
  destinations: Readonly<Record<string, Behaviour>>;
}

export interface PreviewResult {
  events: PreviewEvent[];
  outcome: PreviewOutcome;
  /** How the preview differs from a real call (schedule ignored, disabled rule run anyway, timeline cut). */
  notes: string[];
}

/**
 * Plays one call to the rule's owner in an isolated world (see world.ts), the rule being the only one there and
 * always applying, and tells what happened. `expired()` stops the playing between slices (PreviewAbandonedError).
 * The world is always closed before this returns or throws.
 */
export async function runPreview(input: PreviewInput, options: { logger: Logger; expired: () => boolean }): Promise<PreviewResult> {
  const { rule, notes } = alwaysApplying(input.rule, input.owner.numbers);
  const world = await startPreviewWorld(options.logger);
  try {
    const number = input.owner.numbers[0] ?? SAMPLE_BUSINESS_NUMBER;
    const numbers = input.owner.numbers.length > 0 ? [...input.owner.numbers] : [number];
    await world.seed(previewOwner(input.owner, numbers, world.deps.clock.now()), rule, number);
    for (const [target, script] of calleeScripts(rule.steps, input.destinations)) world.em.callee(target, script);
    const call = await world.em.placeCall({ from: PREVIEW_CALLER_NUMBER, to: number, caller: { label: CALLER_NAME } });
    const limitSeconds = virtualTimeLimit(rule);
    if (!(await play(world.em, call, limitSeconds, options.expired))) {
      notes.push(`The preview stopped after ${formatOffset(limitSeconds)} of simulated time; the call was still going.`);
    }
    return { ...(await describeCall(world, call, notes)), notes };
  } finally {
    await world.close();
  }
}

/** The call in words (the emulator's timeline merged with the app's call log) and where the caller ended up. */
async function describeCall(world: PreviewWorld, call: EmulatedCall, notes: string[]): Promise<Omit<PreviewResult, 'notes'>> {
  const record = await world.deps.store.getCall(call.sid);
  const seen: Observed = {
    record, entries: world.em.timeline, legs: world.em.legs(), stoppedAt: world.deps.clock.now(),
    call: { startedAt: call.startedAt, ...(call.outcome ? { outcome: call.outcome } : {}), ...(call.endedAt ? { endedAt: call.endedAt } : {}) },
  };
  const legs = new Map(seen.legs.map((l) => [l.sid, legName(l.label, destinationTo(l.target), l.target.startsWith('client:'))]));
  const events = mergeEvents(
    describeEntries(seen.entries, { callerSid: call.sid, legs }),
    describeCallLog(record?.events ?? [], call.startedAt),
  );
  if (events.length > MAX_EVENTS) notes.push(`The timeline is cut after ${MAX_EVENTS} of its ${events.length} events.`);
  return { events: events.slice(0, MAX_EVENTS), outcome: previewOutcome(seen) };
}

/** The rule as the preview runs it: enabled, without a schedule; notes say so when that differs from the real rule. */
function alwaysApplying(rule: Rule, ownNumbers: readonly string[]): { rule: Rule; notes: string[] } {
  const { schedule, ...rest } = rule;
  const notes: string[] = [];
  for (const number of ownNumbers.filter((n) => whereRung(rule.steps, n))) {
    notes.push(`A real call passes this rule over: it rings ${number}, one of the owner's business numbers, which would start it again.`);
  }
  if (schedule) {
    notes.push(`The rule has a schedule (${schedule.timezone}); the preview ignores it and plays the call as if it came within the schedule.`);
  }
  if (!rule.enabled) notes.push('The rule is disabled; the preview plays it as if it were enabled.');
  return { rule: { ...rest, enabled: true }, notes };
}

/** Enough virtual time for every step to ring out (Follow Me) or the whole hold (Extend Ring), then voicemail. */
export function virtualTimeLimit(rule: Rule): number {
  const hunting = rule.mode === 'extendRing' ? rule.maxHoldMinutes * 60 : rule.steps.reduce((sum, s) => sum + s.ringSeconds, 0);
  return hunting + rule.voicemail.maxLengthSeconds + SLACK_SECONDS;
}

/**
 * Plays virtual time slice by slice until the call has ended and its callbacks were delivered (true) or
 * `limitSeconds` have passed (false). Throws PreviewAbandonedError between slices once `expired()`.
 */
async function play(em: TwilioEmulator, call: EmulatedCall, limitSeconds: number, expired: () => boolean): Promise<boolean> {
  for (let played = 0; played < limitSeconds; played += SLICE_SECONDS) {
    if (expired()) throw new PreviewAbandonedError();
    await em.run({ maxSeconds: Math.min(SLICE_SECONDS, limitSeconds - played) });
    if (call.endedAt !== undefined) {
      await em.run({ maxSeconds: SLICE_SECONDS });
      return true;
    }
  }
  return false;
}
