import { answer, NEXT, warn, type Flow, type VerbContext } from '../program';
import { methodAttr, resolveUrl, type TwimlNode } from '../twiml';

/** <Redirect>: the next document comes from the given URL (relative to the current one). */
export async function execRedirect(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  if (!node.text) {
    warn(ctx, '<Redirect> without a URL; skipped');
    return NEXT;
  }
  return { kind: 'goto', to: { url: resolveUrl(node.text, ctx.documentUrl), method: methodAttr(node) }, purpose: 'redirect' };
}

export async function execHangup(): Promise<Flow> {
  return { kind: 'hangup' };
}

/**
 * <Reject reason="rejected|busy">: only as the first verb of an unanswered incoming call, which then ends
 * unanswered (status no-answer for 'rejected', busy for 'busy'). Anywhere else it just hangs up.
 */
export async function execReject(ctx: VerbContext, node: TwimlNode): Promise<Flow> {
  if (!ctx.firstVerb || ctx.call.answered || ctx.call.direction !== 'inbound') {
    warn(ctx, '<Reject> is only honoured as the first verb of an incoming call; hanging up instead');
    answer(ctx);
    return { kind: 'hangup' };
  }
  return { kind: 'rejected', reason: node.attrs.reason === 'busy' ? 'busy' : 'rejected' };
}
