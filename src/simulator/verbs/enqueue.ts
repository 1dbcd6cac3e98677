import { CallStatus, type QueueResult } from '../../twilio/constants';
import { answer, NEXT, warn, type Flow, type VerbContext } from '../program';
import type { QueueBridge, QueueMember, QueueRecord } from '../queues';
import { Scope, Stopped } from '../scope';
import { methodAttr, resolveUrl, type TwimlNode } from '../twiml';

interface Exit {
  readonly queue: QueueRecord;
  readonly action?: string;
  readonly method: 'GET' | 'POST';
  readonly enqueuedAt: number;
  /** When an agent took the caller: QueueTime counts the wait only. */
  dequeuedAt?: number;
}

type HoldExit = { kind: 'taken'; bridge: QueueBridge } | { kind: 'leave' } | { kind: 'hangup' } | { kind: 'error'; code: number };

/** A waitUrl document that takes no time is re-requested at once; after this many in a row, it is slowed down. */
const IDLE_WAIT_LOOPS = 3;

/**
 * <Enqueue action waitUrl>name</Enqueue>: the caller waits in the named queue (created on first use) while
 * the waitUrl TwiML plays, re-requested whenever it runs out. The caller leaves the queue when an agent's
 * <Dial><Queue> takes them (QueueResult=bridged once that call ends), on <Leave/> (leave), on hanging up
 * (hangup), or when moved through REST (redirected). With `action` that URL is then requested; its TwiML
 * is ignored when the caller is gone or was redirected. Without `action`, execution continues.
 */
export async function execEnqueue(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  answer(ctx);
  const { core, call } = ctx;
  const queue = core.queues.findByName(node.text) ?? core.queues.create(node.text);
  const exit: Exit = {
    queue, method: methodAttr(node), enqueuedAt: core.clock.now(),
    ...(node.attrs.action ? { action: resolveUrl(node.attrs.action, ctx.documentUrl) } : {}),
  };
  if (queue.members.length >= queue.maxSize) return leaveWith(ctx, exit, 'queue-full');
  const member = queue.add(call);
  core.timeline.add(call.sid, call.who, 'enqueued', `${queue.name} (${queue.sid})`);
  let outcome: HoldExit;
  try {
    outcome = await hold(ctx, node, member);
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    queue.remove(member);
    member.bridge?.leave('caller');
    const result = err.reason.kind === 'redirect' ? 'redirected' : 'hangup';
    core.timeline.add(call.sid, call.who, 'left-queue', `${queue.name}: ${result}`);
    if (err.reason.kind === 'redirect' && exit.action && core.settings.redirectedQueueAction === 'followed') {
      // the reading where Twilio runs the action's answer instead of the redirect's TwiML
      throw new Stopped({ ...err.reason, to: { url: exit.action, method: exit.method, params: exitParams(ctx, exit, result) } });
    }
    await requestIgnored(ctx, exit, result);
    throw err;
  }
  queue.remove(member);
  if (outcome.kind === 'taken') return connectToAgent(ctx, exit, outcome.bridge);
  member.bridge?.leave('caller');
  core.timeline.add(call.sid, call.who, 'left-queue', `${queue.name}: ${outcome.kind}`);
  if (outcome.kind === 'leave') return leaveWith(ctx, exit, 'leave');
  if (outcome.kind === 'error') return outcome;
  await requestIgnored(ctx, exit, 'hangup');
  return { kind: 'hangup' };
}

/** <Leave/>: in a wait URL's TwiML, takes the caller out of the queue. */
export async function execLeave(ctx: VerbContext): Promise<Flow> {
  if (ctx.mode === 'wait') return { kind: 'leave' };
  warn(ctx, '<Leave> outside a queue wait URL; ignored');
  return NEXT;
}

/** Waits in the queue: the wait URL plays until an agent takes the caller or the wait TwiML ends the wait. */
async function hold(ctx: VerbContext, node: TwimlNode, member: QueueMember): Promise<HoldExit> {
  const waitScope = new Scope(ctx.scope);
  const music = playWaitUrl(ctx, node, member, waitScope);
  const settled = music.catch((err: unknown) => {
    if (err instanceof Stopped && err.reason.kind === 'leave-wait') return undefined;
    throw err;
  });
  try {
    const taken = member.taken.promise.then((bridge): HoldExit => ({ kind: 'taken', bridge }));
    const first = await ctx.scope.race(Promise.race([music, taken]));
    if (first.kind === 'taken') {
      waitScope.stop({ kind: 'leave-wait', why: 'bridging' });
      await settled;
    }
    return first;
  } finally {
    // a hangup or redirect reached us through ctx.scope already; anything else would be an emulator bug
    settled.catch((err: unknown) => {
      if (!(err instanceof Stopped)) ctx.core.internalErrors.push(err);
    });
    waitScope.dispose();
  }
}

async function playWaitUrl(ctx: VerbContext, node: TwimlNode, member: QueueMember, scope: Scope): Promise<HoldExit> {
  const { core, call } = ctx;
  if (!node.attrs.waitUrl) {
    core.timeline.add(call.sid, call.who, 'play', 'Twilio’s default hold music');
    return scope.race(new Promise<never>(() => undefined));
  }
  const url = resolveUrl(node.attrs.waitUrl, ctx.documentUrl);
  const method = methodAttr(node, 'waitUrlMethod');
  for (let idle = 0; ; ) {
    const started = core.clock.now();
    const end = await core.runProgram(core, call, { url, method, params: waitParams(member, core.clock.now()) }, { mode: 'wait', purpose: 'wait-url', scope });
    if (end.kind === 'leave' || end.kind === 'hangup') return { kind: end.kind };
    if (end.kind === 'error') return end;
    idle = core.clock.now() === started ? idle + 1 : 0;
    if (idle === IDLE_WAIT_LOOPS) warn({ ...ctx, scope, documentUrl: url }, 'the wait URL TwiML takes no time: Twilio would request it again and again');
    if (idle >= IDLE_WAIT_LOOPS) await scope.sleep(core.clock, 5000);
  }
}

/** Parameters of every wait URL request. */
function waitParams(member: QueueMember, now: number): Record<string, string> {
  const { queue } = member;
  return {
    QueueSid: queue.sid,
    QueuePosition: String(Math.max(1, queue.position(member))),
    QueueTime: String(Math.floor((now - member.enqueuedAt) / 1000)),
    AvgQueueTime: String(queue.averageWaitS),
    CurrentQueueSize: String(queue.members.length),
    MaxQueueSize: String(queue.maxSize),
  };
}

/** Taken by an agent: the Queue noun's url plays to the caller, then both are connected until one leaves. */
async function connectToAgent(ctx: VerbContext, exit: Exit, bridge: QueueBridge): Promise<Flow> {
  const { core, call } = ctx;
  exit.dequeuedAt = core.clock.now();
  core.timeline.add(call.sid, call.who, 'dequeued', `${exit.queue.name}: taken by ${bridge.agent.who}`);
  try {
    if (bridge.url) {
      const end = await core.runProgram(core, call, bridge.url, { mode: 'whisper', purpose: 'whisper', scope: ctx.scope });
      if (end.kind !== 'ended') {
        bridge.leave('caller');
        return end.kind === 'error' ? end : { kind: 'hangup' };
      }
    }
    bridge.connect(core.clock.now());
    call.everBridged = true;
    call.milestone = { kind: 'connected', to: bridge.agent.to, legSid: bridge.agent.sid, answeredBy: bridge.agent.party.answeredBy ?? 'human' };
    await ctx.scope.race(bridge.ended.promise);
    return leaveWith(ctx, exit, 'bridged');
  } catch (err) {
    if (!(err instanceof Stopped)) throw err;
    const wasConnected = bridge.startedAt !== undefined;
    bridge.leave('caller');
    const redirected = err.reason.kind === 'redirect';
    await requestIgnored(ctx, exit, redirected ? (wasConnected ? 'redirected-from-bridged' : 'redirected') : wasConnected ? 'bridged' : 'hangup');
    throw err;
  }
}

function exitParams(ctx: VerbContext, exit: Exit, result: QueueResult): Record<string, string> {
  return {
    QueueResult: result,
    QueueSid: exit.queue.sid,
    QueueTime: String(Math.floor(((exit.dequeuedAt ?? ctx.core.clock.now()) - exit.enqueuedAt) / 1000)),
  };
}

/** The caller is still here: the action's TwiML runs next (or the next verb without action). */
function leaveWith(ctx: VerbContext, exit: Exit, result: QueueResult): Flow {
  if (!exit.action) return NEXT;
  return { kind: 'goto', to: { url: exit.action, method: exit.method, params: exitParams(ctx, exit, result) }, purpose: 'action' };
}

/** The caller is gone or was moved: Twilio still requests the action, and ignores its TwiML. */
async function requestIgnored(ctx: VerbContext, exit: Exit, result: QueueResult): Promise<void> {
  if (!exit.action) return;
  const status = result === 'hangup' || result === 'bridged' ? CallStatus.Completed : ctx.call.status;
  await ctx.core.callback(ctx.call, {
    url: exit.action, method: exit.method, purpose: 'action', callSid: ctx.call.sid,
    params: { ...ctx.call.params(), CallStatus: status, ...exitParams(ctx, exit, result) },
  });
}
