import { loopCount, sayMs } from '../durations';
import { answer, NEXT, type Flow, type VerbContext } from '../program';
import { intAttr, type TwimlNode } from '../twiml';

/** <Say>, <Play>, <Pause>: they only take time (see durations.ts), interruptible by the call's scope. */
export async function execMedia(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  answer(ctx);
  await playMedia(ctx, node);
  return NEXT;
}

/** Plays one Say/Play/Pause in `ctx.scope` (a Gather passes a scope that digits stop). */
export async function playMedia(ctx: VerbContext, node: TwimlNode): Promise<void> {
  const { ms, detail } = mediaLength(ctx, node);
  const event = node.name === 'Say' ? 'say' : node.name === 'Play' ? 'play' : 'pause';
  ctx.core.timeline.add(ctx.call.sid, ctx.call.who, event, detail);
  await ctx.scope.sleep(ctx.core.clock, ms);
}

function mediaLength(ctx: VerbContext, node: TwimlNode): { ms: number; detail: string } {
  if (node.name === 'Pause') {
    const s = intAttr(node, 'length', 1, 0);
    return { ms: s * 1000, detail: `${s} s` };
  }
  const loops = loopCount(node);
  const times = loops > 1 ? ` ×${loops === 1000 ? '∞' : loops}` : '';
  if (node.name === 'Say') return { ms: sayMs(node.text) * loops, detail: `“${ellipsis(node.text, 160)}”${times}` };
  if (node.attrs.digits !== undefined) return { ms: 1000, detail: `sends digits ${node.attrs.digits}` };
  return { ms: ctx.core.settings.playMs(node.text) * loops, detail: `${node.text}${times}` };
}

function ellipsis(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
