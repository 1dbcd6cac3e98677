import type { CallbackRequest } from '../../domain/types';
import type { TwilioEmulator } from '../emulator';
import { describeParty, formatOffset } from '../timeline';
import type { EmulatedCall } from '../views';

/**
 * Where the caller ended up, in one sentence ("connected to Home (+15551230002) at 0:50"). `callbacks`: the callback
 * numbers the app stored for this call, which explain an app hang-up.
 */
export function describeOutcome(call: EmulatedCall, em: TwilioEmulator, callbacks: readonly CallbackRequest[] = []): string {
  const outcome = call.outcome;
  const at = (ms: number | undefined) => (ms === undefined ? '' : ` at ${formatOffset((ms - call.startedAt) / 1000)}`);
  switch (outcome?.kind) {
    case undefined:
      return 'the call was still going when the scenario stopped';
    case 'connected': {
      const leg = em.legs().find((l) => l.sid === outcome.legSid);
      const who = describeParty(outcome.to, leg?.label);
      const machine = outcome.answeredBy === 'machine' ? ' (a voicemail box, not a person)' : '';
      // the moment the two were bridged (Follow Me: answerOnBridge; Extend Ring: the accepted leg takes the queue)
      const bridged = em.timeline.find((e) => e.event === 'bridged' && e.callSid === outcome.legSid);
      return `connected to ${who}${machine}${at(bridged?.at ?? leg?.answeredAt ?? call.answeredAt)}`;
    }
    case 'voicemail': {
      const recording = em.recordings().find((r) => r.sid === outcome.recordingSid);
      return `the caller left a ${outcome.seconds} s voicemail${at(recording?.startedAt)} (${outcome.recordingSid})`;
    }
    case 'hangup-by-app': {
      const left = callbacks.filter((c) => c.callSid === call.sid).map((c) => c.number);
      return left.length > 0
        ? `the caller left a callback number (${left.join(', ')}) and the app ended the call${at(call.endedAt)}`
        : 'the app ended the call without connecting anyone';
    }
    case 'caller-hung-up':
      return 'the caller hung up before anyone answered';
    case 'rejected':
      return `the call was rejected (${outcome.reason})`;
    case 'application-error':
      return `the caller heard “an application error has occurred” (Twilio error ${outcome.errorCode})`;
  }
}
