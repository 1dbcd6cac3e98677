import type { DigitListener } from '../call';
import { answer, follow, NEXT, warn, type Flow, type VerbContext } from '../program';
import { Deferred, Scope, Stopped } from '../scope';
import { boolAttr, intAttr, methodAttr, type TwimlNode } from '../twiml';
import { playMedia } from './media';

const PROMPTS = new Set(['Say', 'Play', 'Pause']);

/**
 * <Gather>: plays its nested Say/Play/Pause while listening (a digit stops the prompt), then waits
 * `timeout` s (default 5) for each further digit. Done at `numDigits` digits or on `finishOnKey` ('#').
 * Digits → the `action` (default: the current document URL) with `Digits`. No input → no request,
 * execution continues with the next verb (unless actionOnEmptyResult="true").
 */
export async function execGather(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  answer(ctx);
  const rules = gatherRules(node);
  if (!/dtmf/.test(node.attrs.input ?? 'dtmf')) warn(ctx, `<Gather input="${node.attrs.input}">: the emulator only keys digits`);
  const listener = ctx.call.dtmf.listen();
  const promptsDone = new Deferred<void>();
  ctx.call.party.gatherStarted(ctx.call, promptsDone.promise);
  try {
    await playPrompts(ctx, node, listener);
    promptsDone.resolve();
    await collect(ctx, listener, rules);
  } finally {
    listener.close();
    promptsDone.resolve();
  }
  const digits = takeDigits(listener.digits, rules);
  if (digits === '' && !boolAttr(node, 'actionOnEmptyResult', false)) {
    // on hold (waitUrl TwiML) no key is the rule, not news: the line would repeat every round of hold music
    if (ctx.mode !== 'wait') ctx.core.timeline.add(ctx.call.sid, ctx.call.who, 'gather-no-input', 'no key pressed; on to the next verb');
    return NEXT;
  }
  const params: Record<string, string> = { Digits: digits };
  if (listener.digits.includes(rules.finishOnKey) && rules.finishOnKey) params.FinishedOnKey = rules.finishOnKey;
  return { kind: 'goto', to: follow(ctx, node.attrs.action, methodAttr(node), params), purpose: 'action' };
}

interface GatherRules {
  numDigits: number;
  timeoutMs: number;
  finishOnKey: string;
}

function gatherRules(node: TwimlNode): GatherRules {
  return {
    numDigits: intAttr(node, 'numDigits', Infinity, 1),
    timeoutMs: intAttr(node, 'timeout', 5, 0) * 1000,
    finishOnKey: node.attrs.finishOnKey ?? '#',
  };
}

async function playPrompts(ctx: VerbContext, node: TwimlNode, listener: DigitListener): Promise<void> {
  const prompt = new Scope(ctx.scope);
  void listener.next().then(() => prompt.stop({ kind: 'barge-in' }));
  try {
    for (const child of node.children) {
      if (listener.digits) return;
      if (!PROMPTS.has(child.name)) {
        warn(ctx, `<${child.name}> cannot be nested in <Gather>; skipped`);
        continue;
      }
      await playMedia({ ...ctx, scope: prompt }, child);
    }
  } catch (err) {
    if (!(err instanceof Stopped && err.reason.kind === 'barge-in')) throw err;
  } finally {
    prompt.dispose();
  }
}

async function collect(ctx: VerbContext, listener: DigitListener, rules: GatherRules): Promise<void> {
  while (!complete(listener.digits, rules)) {
    const got = await ctx.scope.within(ctx.core.clock, listener.next(), rules.timeoutMs);
    if (!got) return;
  }
}

function complete(pressed: string, rules: GatherRules): boolean {
  return (rules.finishOnKey !== '' && pressed.includes(rules.finishOnKey)) || pressed.length >= rules.numDigits;
}

function takeDigits(pressed: string, rules: GatherRules): string {
  const cut = rules.finishOnKey ? pressed.split(rules.finishOnKey)[0] : pressed;
  return cut.slice(0, Number.isFinite(rules.numDigits) ? rules.numDigits : undefined);
}
