import { DialCallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import { NEXT, warn, type Flow, type VerbContext } from './program';
import { boolAttr, intAttr, methodAttr, resolveUrl, type TwimlNode } from './twiml';

/** Twilio rings at most 10 nouns of one Dial at once. */
export const MAX_DIAL_NOUNS = 10;

export interface DialNoun {
  readonly kind: 'Number' | 'Client' | 'Sip' | 'Queue';
  /** '+15551230001', 'client:john', 'sip:john@example.com', or a queue name. */
  readonly target: string;
  /** Whisper TwiML run on the answering party (Number/Client/Sip) or on the dequeued caller (Queue). */
  readonly url?: string;
  readonly method: 'GET' | 'POST';
}

export interface DialSpec {
  readonly action?: string;
  readonly method: 'GET' | 'POST';
  readonly timeoutMs: number;
  readonly callerId?: string;
  readonly answerOnBridge: boolean;
  readonly timeLimitMs: number;
  readonly nouns: readonly DialNoun[];
}

/** Reads a <Dial>: attributes with Twilio's defaults (timeout 30 s, 5..600) and its nouns. */
export function parseDial(ctx: VerbContext, node: TwimlNode): DialSpec {
  const nouns: DialNoun[] = [];
  if (node.children.length === 0 && node.text) nouns.push({ kind: 'Number', target: node.text, method: 'POST' });
  for (const child of node.children) {
    const noun = parseNoun(ctx, child);
    if (noun) nouns.push(noun);
  }
  if (nouns.length > MAX_DIAL_NOUNS) warn(ctx, `<Dial> with ${nouns.length} nouns: only the first ${MAX_DIAL_NOUNS} ring`);
  return {
    action: node.attrs.action ? resolveUrl(node.attrs.action, ctx.documentUrl) : undefined,
    method: methodAttr(node),
    timeoutMs: intAttr(node, 'timeout', 30, 5, 600) * 1000 + ctx.core.settings.dialSlackMs,
    callerId: node.attrs.callerId,
    answerOnBridge: boolAttr(node, 'answerOnBridge', false),
    timeLimitMs: intAttr(node, 'timeLimit', 14_400, 1) * 1000,
    nouns: nouns.slice(0, MAX_DIAL_NOUNS),
  };
}

function parseNoun(ctx: VerbContext, node: TwimlNode): DialNoun | undefined {
  const url = node.attrs.url ? resolveUrl(node.attrs.url, ctx.documentUrl) : undefined;
  const base = { method: methodAttr(node), ...(url ? { url } : {}) };
  switch (node.name) {
    case 'Number':
    case 'Sip':
    case 'Queue':
      return { kind: node.name, target: node.text, ...base };
    case 'Client': {
      const identity = node.children.find((c) => c.name === 'Identity')?.text ?? node.text;
      return { kind: 'Client', target: identity.startsWith('client:') ? identity : `client:${identity}`, ...base };
    }
    default:
      warn(ctx, `<${node.name}> cannot be dialled by the emulator; skipped`);
      return undefined;
  }
}

export interface DialResult {
  readonly status: DialCallStatus;
  readonly bridged: boolean;
  /** The dialled call (DialCallSid): a leg, or the queued caller for <Dial><Queue>. */
  readonly leg?: SimCall;
  readonly durationS: number;
}

export function dialParams(r: DialResult): Record<string, string> {
  return {
    DialCallStatus: r.status,
    ...(r.leg ? { DialCallSid: r.leg.sid } : {}),
    DialCallDuration: String(r.durationS),
    DialBridged: String(r.bridged),
  };
}

/** After the dialled call: the action (verbs after the Dial are never reached), or the next verb. */
export function afterDial(spec: DialSpec, result: DialResult): Flow {
  if (!spec.action) return NEXT;
  return { kind: 'goto', to: { url: spec.action, method: spec.method, params: dialParams(result) }, purpose: 'action' };
}

/** The action of a Dial whose caller hung up is still requested; its TwiML is ignored. */
export async function actionAfterHangup(ctx: VerbContext, spec: DialSpec, result: DialResult): Promise<void> {
  if (!spec.action) return;
  await ctx.core.callback(ctx.call, {
    url: spec.action, method: spec.method, purpose: 'action', callSid: ctx.call.sid,
    params: { ...ctx.call.params(), CallStatus: 'completed', ...dialParams(result) },
  });
}
