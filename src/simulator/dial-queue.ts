import { DialCallStatus } from '../twilio/constants';
import { actionAfterHangup, afterDial, type DialResult, type DialSpec } from './dial-spec';
import { answer, type Flow, type VerbContext } from './program';
import { QueueBridge, type QueueMember, type QueueRecord } from './queues';
import { Stopped } from './scope';

/**
 * <Dial><Queue>name</Queue></Dial>: connects to the caller at the front of the queue; on an empty queue
 * it waits for someone to arrive until the Dial timeout (no-answer). The Queue's `url` plays to the
 * dequeued caller first. A queue that does not exist is an error (the Dial fails). When the connected
 * caller leaves, this call continues with the Dial's action (DialCallSid = the caller's CallSid).
 */
export async function execDialQueue(ctx: VerbContext, spec: DialSpec): Promise<Flow> {
  const { core, call } = ctx;
  const noun = spec.nouns.find((n) => n.kind === 'Queue');
  const queue = noun && core.queues.findByName(noun.target);
  answer(ctx);
  if (!noun || !queue) {
    const message = `<Dial><Queue>${noun?.target ?? ''}</Queue>: no such queue`;
    core.report({ kind: 'application-error', code: 12200, message, callSid: call.sid });
    core.timeline.add(call.sid, call.who, 'application-error', message);
    return afterDial(spec, { status: DialCallStatus.Failed, bridged: false, durationS: 0 });
  }
  const member = await takeCaller(ctx, spec, queue);
  if (!member) return afterDial(spec, { status: DialCallStatus.NoAnswer, bridged: false, durationS: 0 });
  const bridge = new QueueBridge(call, member.call, noun.url ? { url: noun.url, method: noun.method } : undefined);
  member.bridge = bridge;
  member.taken.resolve(bridge);
  return stayConnected(ctx, spec, bridge);
}

/** The front caller, or the first to arrive before the timeout; undefined on timeout. */
async function takeCaller(ctx: VerbContext, spec: DialSpec, queue: QueueRecord): Promise<QueueMember | undefined> {
  const wait = queue.waitForMember();
  let member: QueueMember | undefined;
  try {
    const arrived = await ctx.scope.within(ctx.core.clock, wait.promise.then((m) => { member = m; }), spec.timeoutMs);
    if (!arrived) wait.cancel();
    return arrived ? member : undefined;
  } catch (err) {
    wait.cancel();
    if (err instanceof Stopped && err.reason.kind === 'hangup') {
      await actionAfterHangup(ctx, spec, { status: DialCallStatus.Canceled, bridged: false, durationS: 0 });
    }
    throw err;
  }
}

async function stayConnected(ctx: VerbContext, spec: DialSpec, bridge: QueueBridge): Promise<Flow> {
  const { core, call } = ctx;
  const result = (bridged: boolean): DialResult => ({
    status: bridged ? DialCallStatus.Completed : DialCallStatus.NoAnswer, bridged, leg: bridge.caller,
    durationS: bridge.durationS(core.clock.now()),
  });
  let limit: ReturnType<typeof core.clock.setTimeout> | undefined;
  try {
    if (!(await ctx.scope.race(bridge.connected.promise))) return afterDial(spec, result(false));
    call.everBridged = true;
    core.timeline.add(call.sid, call.who, 'bridged', `connected to ${bridge.caller.who}`);
    call.party.bridged(call);
    limit = core.clock.setTimeout(() => call.hangup('time-limit'), spec.timeLimitMs);
    await ctx.scope.race(bridge.ended.promise);
    return afterDial(spec, result(true));
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    const wasConnected = bridge.startedAt !== undefined;
    bridge.leave('agent');
    if (err.reason.kind === 'hangup') await actionAfterHangup(ctx, spec, result(wasConnected));
    throw err;
  } finally {
    if (limit) core.clock.clearTimeout(limit);
  }
}
