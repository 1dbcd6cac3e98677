import { CallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import type { Core } from './core';
import { endLeg, markAnswered, ring, stoppedBy } from './legs';
import { calleeParty } from './parties';
import type { ProgramEnd } from './program';
import type { FetchSpec, HangupBy } from './scope';
import { seededRandom, StatusNotifier, type StatusCallbackConfig } from './status-callbacks';
import type { CalleeScript } from './types';

/** A `calls.create` as the REST API received it. */
export interface OutboundRequest {
  readonly to: string;
  readonly from: string;
  readonly fetch: FetchSpec;
  /** Ring timeout in seconds (Twilio: default 60, at most 600). */
  readonly timeoutS: number;
  readonly statusCallback?: StatusCallbackConfig;
  readonly machineDetection: boolean;
  readonly fallback?: { url: string; method: 'GET' | 'POST' };
}

/** Twilio's default account limit: one API-created call starts per second. */
const PACING_MS = 1000;

/**
 * Calls created through the REST API: queued, then (paced when EmulatorOptions.restPacing) they ring the
 * callee per its script for `timeout` s; on answer their `url` TwiML runs on the callee (a whisper with a
 * Gather works that way). Status callbacks follow the subscribed events; a call canceled while still
 * queued sends none.
 */
export class OutboundCalls {
  private lastStartAt = -Infinity;
  private readonly random = seededRandom(20261124);

  constructor(private readonly core: Core) {}

  create(req: OutboundRequest): SimCall {
    const { core } = this;
    const script = core.callees.next(req.to);
    const call = core.newCall({
      from: req.from, to: req.to, direction: 'outbound-api', label: script?.label, party: calleeParty(core, script), status: CallStatus.Queued,
    });
    call.answerFetch = req.fetch;
    if (req.fallback) call.fallback = req.fallback;
    const answeredBy = (): Record<string, string> =>
      req.machineDetection && call.answered ? { AnsweredBy: call.party.answeredBy === 'machine' ? 'machine_start' : 'human' } : {};
    const notifier = new StatusNotifier(core, call, req.statusCallback, answeredBy, this.random);
    const delay = this.startDelay();
    const paced = delay > 0 ? `; starts in ${delay / 1000} s (1 call per second)` : '';
    core.timeline.add(call.sid, call.who, 'call-created', `REST calls.create from ${req.from}${paced}`);
    const timer = core.clock.setTimeout(() => core.spawn(`outbound call ${call.sid}`, () => this.run(call, script, req, notifier)), delay);
    call.onEnd(() => core.clock.clearTimeout(timer));
    return call;
  }

  /** A call canceled while still queued ends without a single status callback. */
  cancelQueued(call: SimCall): void {
    this.core.timeline.add(call.sid, call.who, 'canceled', 'canceled while queued: no status callbacks');
    call.finish(CallStatus.Canceled, this.core.clock.now());
  }

  /** True while the call has not started ringing. */
  isQueued(call: SimCall): boolean {
    return call.direction === 'outbound-api' && call.status === CallStatus.Queued;
  }

  private startDelay(): number {
    const now = this.core.clock.now();
    if (!this.core.opts.restPacing) return 0;
    const start = Math.max(now, this.lastStartAt + PACING_MS);
    this.lastStartAt = start;
    return start - now;
  }

  private async run(call: SimCall, script: CalleeScript | undefined, req: OutboundRequest, notifier: StatusNotifier): Promise<void> {
    const { core } = this;
    if (call.ended) return;
    notifier.emit('initiated');
    const timeout = core.clock.setTimeout(() => call.hangup('timeout'), req.timeoutS * 1000);
    const ringing = ring(core, call, script);
    if (script?.kind !== 'busy' && script?.kind !== 'failed') notifier.emit('ringing');
    const rung = await ringing;
    core.clock.clearTimeout(timeout);
    if (rung !== 'answered') {
      endLeg(core, call, rung, stoppedBy(call));
      notifier.emit('completed');
      return;
    }
    markAnswered(core, call, script);
    notifier.emit('answered');
    const fetch = call.answerFetch ?? req.fetch;
    const amd: Record<string, string> = req.machineDetection ? { AnsweredBy: call.party.answeredBy === 'machine' ? 'machine_start' : 'human' } : {};
    const end = await core.runProgram(core, call, { ...fetch, params: { ...fetch.params, ...amd } }, { mode: 'call', purpose: 'call-url' });
    endLeg(core, call, CallStatus.Completed, endedBy(end));
    notifier.emit('completed');
  }
}

function endedBy(end: ProgramEnd): HangupBy {
  if (end.kind === 'stopped') return end.reason.kind === 'hangup' ? end.reason.by : 'app';
  return end.kind === 'error' ? 'error' : 'app';
}
