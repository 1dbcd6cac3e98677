import { CallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import type { Core } from './core';
import { callerParty, scheduleCaller } from './parties';
import type { ProgramEnd } from './program';
import { describeParty } from './timeline';
import type { CallerScript, CallOutcome } from './types';

/** A Twilio number's voice configuration (DESIGN §5: voice URL, status callback, fallback URL). */
export interface NumberConfig {
  voiceUrl: string;
  voiceMethod?: 'GET' | 'POST';
  statusCallback?: string;
  statusCallbackMethod?: 'GET' | 'POST';
  fallbackUrl?: string;
  fallbackMethod?: 'GET' | 'POST';
  /** Name printed in the timeline, e.g. "John's business line". */
  label?: string;
}

/** A caller dials a configured number: Twilio requests its voice URL with CallStatus=ringing. */
export function startInbound(core: Core, number: string, config: NumberConfig, from: string, caller?: CallerScript): SimCall {
  const call = core.newCall({
    from, to: number, direction: 'inbound', label: caller?.label, party: callerParty(caller), status: CallStatus.Ringing,
  });
  call.startedAt = call.createdAt;
  if (config.fallbackUrl) call.fallback = { url: config.fallbackUrl, method: config.fallbackMethod ?? 'POST' };
  core.timeline.add(call.sid, call.who, 'incoming', `calls ${describeParty(number, config.label)}`);
  scheduleCaller(core, call, caller);
  core.spawn(`inbound call ${call.sid}`, () => runInbound(core, call, config));
  return call;
}

async function runInbound(core: Core, call: SimCall, config: NumberConfig): Promise<void> {
  const end = await core.runProgram(core, call, { url: config.voiceUrl, method: config.voiceMethod ?? 'POST' }, {
    mode: 'call', purpose: 'voice-url',
  });
  const { status, outcome, detail } = conclude(call, end);
  core.timeline.add(call.sid, call.who, end.kind === 'rejected' ? 'rejected' : 'hangup', detail);
  call.outcome = outcome;
  call.finish(status, core.clock.now());
  const url = config.statusCallback;
  if (!url) return;
  core.later(0, 'number status callback', () => core.callback(call, {
    url, method: config.statusCallbackMethod ?? 'POST', purpose: 'status-callback', callSid: call.sid,
    params: {
      ...call.params(), CallDuration: String(call.durationSeconds), Timestamp: new Date(core.clock.now()).toUTCString(),
      CallbackSource: 'call-progress-events', SequenceNumber: '0',
    },
  }));
}

/** Final status and outcome of an incoming call; connecting or leaving a voicemail outranks how it ended. */
function conclude(call: SimCall, end: ProgramEnd): { status: CallStatus; outcome: CallOutcome; detail: string } {
  const status = CallStatus.Completed;
  switch (end.kind) {
    case 'rejected':
      return {
        status: end.reason === 'busy' ? CallStatus.Busy : CallStatus.NoAnswer,
        outcome: { kind: 'rejected', reason: end.reason },
        detail: `rejected (${end.reason})`,
      };
    case 'error':
      return { status, outcome: call.milestone ?? { kind: 'application-error', errorCode: end.code }, detail: 'after an application error' };
    case 'stopped': {
      const by = end.reason.kind === 'hangup' ? end.reason.by : 'app';
      const outcome: CallOutcome = by === 'caller' ? { kind: 'caller-hung-up' } : { kind: 'hangup-by-app' };
      return { status, outcome: call.milestone ?? outcome, detail: by === 'caller' ? 'the caller hung up' : `ended (${by})` };
    }
    default:
      return {
        status,
        outcome: call.milestone ?? { kind: 'hangup-by-app' },
        detail: end.kind === 'hangup' ? 'the app hung up' : 'no more TwiML: Twilio hangs up',
      };
  }
}
