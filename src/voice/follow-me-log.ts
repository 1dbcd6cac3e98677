import type { CallEvent, CallEventType, CallRecord, Destination, HuntPlan } from '../domain/types';
import { DialCallStatus } from '../twilio/constants';
import type { VoiceContext } from './context';
import type { DialActionInput } from './follow-me';

/**
 * What a Follow Me call's log says of a step's Dial, from the Dial action and what the phones' whispers logged (with
 * confirm): which phone answered, declined, was left by the caller, or did not answer.
 */

const LEG_EVENTS: Record<string, CallEventType> = {
  [DialCallStatus.NoAnswer]: 'leg-no-answer',
  [DialCallStatus.Busy]: 'leg-busy',
  [DialCallStatus.Failed]: 'leg-failed',
  [DialCallStatus.Canceled]: 'leg-canceled',
};

function legEventOf(dialCallStatus: string): CallEventType {
  return LEG_EVENTS[dialCallStatus] ?? 'leg-failed';
}

type LegFields = { step: number; destination?: string; legSid?: string };

/**
 * What the call log says of a Dial that connected nobody. A leg answered but not put through declined: the same event
 * its whisper's key press may have logged already, which the call log then keeps once. Twilio reports such a Dial
 * `completed` unbridged or `no-answer` (TWILIO.md, uncertain): a leg the call log shows answering (in its whisper, with
 * confirm) declined under either reading, and the Dial's status then speaks for the step's other phones, unnamed. A
 * caller who hung up meanwhile ended the Dial: see callerGoneEvents.
 */
export function unconnectedEvents(
  input: DialActionInput, plan: HuntPlan, leg: LegFields, logged: CallRecord | null, callerGone: boolean,
): Array<Omit<CallEvent, 'at'>> {
  if (callerGone) return callerGoneEvents(input, plan, leg, logged);
  // its whisper's key press (or lack of one) has told already that this leg declined
  const declined: Array<Omit<CallEvent, 'at'>> = declinedInWhisper(input, logged) ? [] : [{ type: 'leg-declined', ...leg }];
  if (input.dialCallStatus === DialCallStatus.Completed) return declined;
  const type = legEventOf(input.dialCallStatus);
  if (!answeredInWhisper(input, logged)) return [{ type, ...leg, detail: input.dialCallStatus }];
  const others = (plan.steps[input.step]?.destinations.length ?? 0) > 1;
  return others ? [...declined, { type, step: input.step, detail: input.dialCallStatus }] : declined;
}

/** A phone that answered (its whisper playing, or just accepted) when the caller hung up. */
const CALLER_LEFT = 'answered, but the caller hung up before being put through';

/**
 * The caller hung up, ending the Dial (Twilio reports it `canceled`, whichever phone had answered): each phone of the step
 * the call log shows answering, and not declining, is said to have answered and been left by the caller; the phones that
 * were still ringing stopped, in one line (named by the Dial's leg when that is not one that answered).
 */
function callerGoneEvents(input: DialActionInput, plan: HuntPlan, leg: LegFields, logged: CallRecord | null): Array<Omit<CallEvent, 'at'>> {
  const stepEvents = logged?.events.filter((e) => e.step === input.step && e.legSid !== undefined) ?? [];
  const answered = [...new Set(stepEvents.filter((e) => e.type === 'leg-answered').map((e) => e.legSid))];
  const type = input.dialCallStatus === DialCallStatus.Completed ? 'leg-canceled' : legEventOf(input.dialCallStatus);
  if (answered.length === 0) return [{ type, ...leg, detail: input.dialCallStatus }];
  const events: Array<Omit<CallEvent, 'at'>> = answered
    .filter((sid) => !stepEvents.some((e) => e.type === 'leg-declined' && e.legSid === sid))
    .map((sid) => {
      const destination = stepEvents.find((e) => e.legSid === sid && e.destination !== undefined)?.destination;
      return { type: 'leg-ended', step: input.step, ...(destination ? { destination } : {}), legSid: sid, detail: CALLER_LEFT };
    });
  if ((plan.steps[input.step]?.destinations.length ?? 0) > answered.length) {
    const named = input.dialCallSid !== undefined && !answered.includes(input.dialCallSid);
    events.push(named ? { type, ...leg, detail: input.dialCallStatus } : { type, step: input.step, detail: input.dialCallStatus });
  }
  return events;
}

/** The Dial's leg (DialCallSid) answered in this step, as its whisper logged it (confirm only). */
function answeredInWhisper(input: DialActionInput, logged: CallRecord | null): boolean {
  return loggedForDialLeg(input, logged, 'leg-answered');
}

/** The Dial's leg declined in this step's whisper (a key other than 1, or none), as the call log has it (confirm only). */
function declinedInWhisper(input: DialActionInput, logged: CallRecord | null): boolean {
  return loggedForDialLeg(input, logged, 'leg-declined');
}

function loggedForDialLeg(input: DialActionInput, logged: CallRecord | null, type: CallEventType): boolean {
  return input.dialCallSid !== undefined
    && (logged?.events.some((e) => e.type === type && e.step === input.step && e.legSid === input.dialCallSid) ?? false);
}

/** When the connected leg pressed 1 in its whisper, as the call log has it (confirm only). */
export function acceptedAt(input: DialActionInput, logged: CallRecord | null): number | undefined {
  return logged?.events.find((e) => e.type === 'leg-accepted' && e.step === input.step
    && (input.dialCallSid === undefined || e.legSid === input.dialCallSid))?.at;
}

/** The step's destination when it has only one: the leg of its Dial, whoever answered or did not. */
export function soleDestination(plan: HuntPlan, step: number): Destination | undefined {
  const destinations = plan.steps[step]?.destinations;
  return destinations?.length === 1 ? destinations[0] : undefined;
}

/** The destination the call log named for this leg in its whisper (only a confirming rule has whispers). */
export function destinationLogged(input: DialActionInput, logged: CallRecord | null): string | undefined {
  if (!input.dialCallSid) return undefined;
  return logged?.events.find((e) => e.legSid === input.dialCallSid && e.destination !== undefined)?.destination;
}

/** The call log, read only to describe a leg: a failure is logged and changes nothing in the call (the log is a record). */
export async function readCallLog(callSid: string, ctx: VoiceContext): Promise<CallRecord | null> {
  try {
    return await ctx.deps.store.getCall(callSid);
  } catch (err) {
    ctx.log.warn({ err }, 'call log: could not read the entry');
    return null;
  }
}

