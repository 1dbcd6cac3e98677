import { CallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import type { Core } from './core';
import { seconds } from './durations';
import { voicemailBoxAnswered } from './parties';
import { Stopped, type HangupBy } from './scope';
import type { CalleeScript, TimelineEvent } from './types';

export type RingResult = 'answered' | typeof CallStatus.Busy | typeof CallStatus.Failed | typeof CallStatus.NoAnswer | typeof CallStatus.Canceled;

/**
 * Rings an outbound leg as its callee's script says. Busy and failed end at once; a callee that never
 * answers rings until the leg is stopped (the Dial or call timeout → no-answer, anything else → canceled).
 */
export async function ring(core: Core, leg: SimCall, script: CalleeScript | undefined): Promise<RingResult> {
  leg.status = CallStatus.Ringing;
  leg.startedAt = core.clock.now();
  core.timeline.add(leg.sid, leg.who, 'ringing');
  if (script?.kind === 'busy') return CallStatus.Busy;
  if (script?.kind === 'failed') return CallStatus.Failed;
  try {
    if (script?.kind === 'answer' || script?.kind === 'voicemail') await leg.life.sleep(core.clock, seconds(script.after));
    else await leg.life.race(new Promise<never>(() => undefined));
    return 'answered';
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    return err.reason.kind === 'hangup' && err.reason.by === 'timeout' ? CallStatus.NoAnswer : CallStatus.Canceled;
  }
}

/** The callee picked up: the leg is live. A voicemail box starts its greeting and will hang up by itself. */
export function markAnswered(core: Core, leg: SimCall, script: CalleeScript | undefined): void {
  leg.answeredAt = core.clock.now();
  leg.status = CallStatus.InProgress;
  if (script?.kind === 'voicemail') {
    core.timeline.add(leg.sid, leg.who, 'voicemail-greeting', 'carrier voicemail picked up');
    voicemailBoxAnswered(core, leg, script);
  } else {
    core.timeline.add(leg.sid, leg.who, 'answered');
  }
}

const HANGUP_DETAIL: Record<HangupBy, string> = {
  caller: 'the caller hung up',
  callee: 'hung up',
  app: 'hung up by the TwiML',
  api: 'ended through the REST API',
  timeout: 'ring timeout',
  'lost-race': 'another destination was connected first',
  'dial-ended': 'the Dial ended',
  'time-limit': 'time limit reached',
  error: 'application error',
};

/** Ends a leg with its final status and says why in the timeline. */
export function endLeg(core: Core, leg: SimCall, status: CallStatus, by?: HangupBy): void {
  if (leg.ended) return;
  const event: TimelineEvent = status === CallStatus.Completed ? 'hangup' : (status as TimelineEvent);
  core.timeline.add(leg.sid, leg.who, event, by ? HANGUP_DETAIL[by] : undefined);
  leg.finish(status, core.clock.now());
}

/** Who stopped a leg, from its life scope. */
export function stoppedBy(leg: SimCall): HangupBy | undefined {
  const reason = leg.life.stopped;
  return reason?.kind === 'hangup' ? reason.by : undefined;
}
