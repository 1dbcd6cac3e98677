import { pathOf } from './timeline';
import type { TimerHandle } from '../clock';
import { CallStatus, DialCallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import { execDialQueue } from './dial-queue';
import { actionAfterHangup, afterDial, parseDial, type DialNoun, type DialResult, type DialSpec } from './dial-spec';
import { endLeg, markAnswered, ring, stoppedBy } from './legs';
import { calleeParty } from './parties';
import { answer, type Flow, type VerbContext } from './program';
import { Deferred, Stopped, type HangupBy, type StopReason } from './scope';
import type { TwimlNode } from './twiml';
import type { CalleeScript } from './types';

/**
 * <Dial> with Number/Client/Sip nouns: every leg rings at once; the first whose whisper ends (or that has
 * none) is bridged and the others stop; at `timeout` the legs still ringing give up (no-answer). The
 * bridged call lasts until either side hangs up. Then `action` gets DialCallStatus, DialCallSid,
 * DialCallDuration, DialBridged — also when the caller hung up (its TwiML then ignored). Without
 * `action`, execution continues with the next verb.
 */
export async function execDial(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  const spec = parseDial(ctx, node);
  if (spec.nouns.some((n) => n.kind === 'Queue')) return execDialQueue(ctx, spec);
  if (!spec.answerOnBridge) answer(ctx);
  const run = new DialRun(ctx, spec);
  let result: DialResult;
  try {
    result = await ctx.scope.race(run.start());
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    const aborted = run.abort(err.reason);
    if (err.reason.kind === 'hangup') await actionAfterHangup(ctx, spec, aborted);
    throw err;
  }
  return afterDial(spec, result);
}

/** One execution of a <Dial>: its legs, the race to be bridged, the ring timeout. */
class DialRun {
  private readonly legs: SimCall[] = [];
  private winner?: SimCall;
  private timedOut = false;
  private readonly result = new Deferred<DialResult>();
  private readonly timers: TimerHandle[] = [];

  constructor(private readonly ctx: VerbContext, private readonly spec: DialSpec) {}

  start(): Promise<DialResult> {
    const { core, call } = this.ctx;
    const started = this.spec.nouns.map((noun) => {
      const script = core.callees.next(noun.target);
      const leg = core.newCall({
        from: this.spec.callerId ?? call.from, to: noun.target, direction: 'outbound-dial', parentSid: call.sid,
        label: script?.label, party: calleeParty(core, script), status: CallStatus.Queued,
      });
      this.legs.push(leg);
      return { leg, noun, script };
    });
    if (started.length === 0) this.finish({ status: DialCallStatus.Failed, bridged: false, durationS: 0 });
    else this.timers.push(core.clock.setTimeout(() => this.onTimeout(), this.spec.timeoutMs));
    for (const { leg, noun, script } of started) core.spawn(`dial leg ${leg.sid}`, () => this.runLeg(leg, noun, script));
    return this.result.promise;
  }

  /** The caller hung up or was redirected: every leg ends; the result is what the action would report. */
  abort(reason: StopReason): DialResult {
    const by: HangupBy = reason.kind === 'hangup' && reason.by === 'caller' ? 'caller' : 'dial-ended';
    for (const leg of this.legs) if (!leg.ended) leg.hangup(by);
    this.clearTimers();
    const w = this.winner;
    const now = this.ctx.core.clock.now();
    return w
      ? { status: DialCallStatus.Completed, bridged: true, leg: w, durationS: Math.ceil((now - (w.answeredAt ?? now)) / 1000) }
      : { status: DialCallStatus.Canceled, bridged: false, leg: this.legs[0], durationS: 0 };
  }

  private async runLeg(leg: SimCall, noun: DialNoun, script: CalleeScript | undefined): Promise<void> {
    const { core } = this.ctx;
    let status: CallStatus = CallStatus.Completed;
    let by: HangupBy | undefined;
    try {
      ({ status, by } = await this.legLife(leg, noun, script));
    } catch (err) {
      if (!(err instanceof Stopped)) {
        endLeg(core, leg, CallStatus.Failed, 'error');
        throw err;
      }
      status = leg.answered ? CallStatus.Completed : CallStatus.Canceled;
    }
    endLeg(core, leg, status, by ?? stoppedBy(leg));
    this.onLegEnded(leg);
  }

  private async legLife(leg: SimCall, noun: DialNoun, script: CalleeScript | undefined): Promise<{ status: CallStatus; by?: HangupBy }> {
    const { core } = this.ctx;
    const rung = await ring(core, leg, script);
    if (rung !== 'answered') return { status: rung };
    markAnswered(core, leg, script);
    this.onAnswered(leg);
    if (noun.url) {
      core.timeline.add(leg.sid, leg.who, 'whisper', `plays ${pathOf(noun.url)}`);
      const end = await core.runProgram(core, leg, { url: noun.url, method: noun.method }, { mode: 'whisper', purpose: 'whisper' });
      if (end.kind !== 'ended') return { status: CallStatus.Completed, by: end.kind === 'error' ? 'error' : 'app' };
    }
    if (!this.bridge(leg)) return { status: CallStatus.Completed, by: 'lost-race' };
    await leg.life.race(new Promise<never>(() => undefined));
    return { status: CallStatus.Completed };
  }

  private onAnswered(leg: SimCall): void {
    if (this.ctx.core.settings.cancelOtherLegsAt !== 'answer') return;
    for (const other of this.legs) if (other !== leg && !other.answered && !other.ended) other.hangup('lost-race');
  }

  private bridge(leg: SimCall): boolean {
    if (this.winner || this.result.settled) return false;
    const { core, call } = this.ctx;
    this.winner = leg;
    this.clearTimers();
    for (const other of this.legs) if (other !== leg && !other.ended) other.hangup('lost-race');
    answer(this.ctx);
    leg.everBridged = call.everBridged = true;
    call.milestone = { kind: 'connected', to: leg.to, legSid: leg.sid, answeredBy: leg.party.answeredBy ?? 'human' };
    core.timeline.add(leg.sid, leg.who, 'bridged', `connected to ${call.who}`);
    leg.party.bridged(leg);
    this.timers.push(core.clock.setTimeout(() => leg.hangup('time-limit'), this.spec.timeLimitMs));
    return true;
  }

  private onTimeout(): void {
    this.timedOut = true;
    for (const leg of this.legs) if (!leg.answered && !leg.ended) leg.hangup('timeout');
  }

  private onLegEnded(leg: SimCall): void {
    if (this.result.settled) return;
    if (leg === this.winner) {
      this.finish({ status: DialCallStatus.Completed, bridged: true, leg, durationS: leg.durationSeconds });
    } else if (!this.winner && this.legs.every((l) => l.ended)) {
      this.finish(this.unconnected());
    }
  }

  /** Nobody was bridged: the most telling status of all legs. */
  private unconnected(): DialResult {
    const answered = this.legs.find((l) => l.answered);
    const has = (s: CallStatus) => this.legs.some((l) => l.status === s);
    const status: DialCallStatus = this.timedOut ? DialCallStatus.NoAnswer
      : answered ? this.ctx.core.settings.whisperRejectedDialStatus
      : has(CallStatus.Busy) ? DialCallStatus.Busy
      : has(CallStatus.NoAnswer) ? DialCallStatus.NoAnswer
      : has(CallStatus.Canceled) ? DialCallStatus.Canceled
      : DialCallStatus.Failed;
    const leg = answered ?? this.legs[0];
    return { status, bridged: false, leg, durationS: leg.durationSeconds };
  }

  private finish(result: DialResult): void {
    this.clearTimers();
    this.result.resolve(result);
  }

  private clearTimers(): void {
    for (const t of this.timers.splice(0)) this.ctx.core.clock.clearTimeout(t);
  }
}
