import { pathOf } from './timeline';
import { CallStatus } from '../twilio/constants';
import type { SimCall } from './call';
import type { Core } from './core';
import { loadDocument } from './loader';
import { Scope, Stopped, type FetchSpec, type StopReason } from './scope';
import { resolveUrl, type TwimlNode } from './twiml';
import type { WebhookPurpose } from './types';

/**
 * - call: a call's main TwiML (all verbs; a redirect from outside starts a new document).
 * - whisper: `<Number url>` TwiML on an answered Dial leg (Say, Play, Pause, Gather, Hangup, Redirect);
 *   running out of verbs means "connect".
 * - wait: an Enqueue waitUrl (Play, Say, Pause, Gather, Redirect, Leave, Hangup).
 */
export type ProgramMode = 'call' | 'whisper' | 'wait';

const ALLOWED: Record<ProgramMode, ReadonlySet<string> | undefined> = {
  call: undefined,
  whisper: new Set(['Say', 'Play', 'Pause', 'Gather', 'Hangup', 'Redirect']),
  wait: new Set(['Say', 'Play', 'Pause', 'Gather', 'Hangup', 'Redirect', 'Leave']),
};

/** How a program finished. Nested programs (whisper, wait) throw Stopped instead of returning 'stopped'. */
export type ProgramEnd =
  | { kind: 'ended' }
  | { kind: 'hangup' }
  | { kind: 'rejected'; reason: 'busy' | 'rejected' }
  | { kind: 'leave' }
  | { kind: 'error'; code: number }
  | { kind: 'stopped'; reason: StopReason };

/** What a verb tells the program to do next. */
export type Flow =
  | { kind: 'next' }
  | { kind: 'goto'; to: FetchSpec; purpose: WebhookPurpose }
  | { kind: 'hangup' }
  | { kind: 'rejected'; reason: 'busy' | 'rejected' }
  | { kind: 'leave' }
  /** An application error ended the call (already reported). */
  | { kind: 'error'; code: number };

export const NEXT: Flow = { kind: 'next' };

export interface VerbContext {
  readonly core: Core;
  readonly call: SimCall;
  /** Stops when the call hangs up or the document is abandoned. */
  readonly scope: Scope;
  /** URL of the document being run: relative URLs and action-less Gather/Record resolve against it. */
  readonly documentUrl: string;
  readonly mode: ProgramMode;
  /** The first verb of the first document of a call not yet answered (where Reject is allowed). */
  readonly firstVerb: boolean;
}

export type VerbHandler = (ctx: VerbContext, node: TwimlNode) => Promise<Flow>;

export interface ProgramOptions {
  mode: ProgramMode;
  purpose: WebhookPurpose;
  /** Parent of each document's scope (default: the call's life). */
  scope?: Scope;
}

export type RunProgram = (core: Core, call: SimCall, first: FetchSpec, opts: ProgramOptions) => Promise<ProgramEnd>;

/** More documents than this at one virtual instant is a redirect loop. */
const MAX_DOCUMENTS_PER_INSTANT = 50;

/** Fetches and runs TwiML documents for one call until one ends the program. */
export const runProgram: RunProgram = async (core, call, first, opts) => {
  let next: FetchSpec | undefined = first;
  let purpose = opts.purpose;
  let firstDocument = opts.mode === 'call' && !call.answered;
  const loop = { at: -1, count: 0 };
  while (next) {
    if (tooManyDocuments(core, call, loop)) return { kind: 'error', code: 12400 };
    const scope = new Scope(opts.scope ?? call.life);
    if (opts.mode === 'call') call.document = scope;
    try {
      const loaded = await loadDocument(core, call, next, purpose);
      scope.throwIfStopped();
      if (!loaded.ok) return { kind: 'error', code: loaded.code };
      const flow = await runVerbs({ core, call, scope, documentUrl: loaded.url, mode: opts.mode, firstVerb: firstDocument }, loaded.doc);
      firstDocument = false;
      if (flow.kind !== 'goto') return flow.kind === 'next' ? { kind: 'ended' } : flow;
      ({ to: next, purpose } = flow);
    } catch (err) {
      if (!(err instanceof Stopped)) throw err;
      if (opts.mode !== 'call') throw err;
      if (err.reason.kind !== 'redirect' || call.life.stopped) return { kind: 'stopped', reason: call.life.stopped ?? err.reason };
      core.timeline.add(call.sid, call.who, 'redirected', err.reason.to.url ? `to ${pathOf(err.reason.to.url)}` : 'to inline TwiML');
      ({ to: next } = err.reason);
      purpose = 'redirect';
      firstDocument = false;
    } finally {
      scope.dispose();
    }
  }
  return { kind: 'ended' };
};

async function runVerbs(ctx: VerbContext, doc: TwimlNode): Promise<Flow> {
  const allowed = ALLOWED[ctx.mode];
  for (const [i, node] of doc.children.entries()) {
    ctx.scope.throwIfStopped();
    const handler = ctx.core.verbs[node.name];
    if (!handler || (allowed && !allowed.has(node.name))) {
      warn(ctx, `<${node.name}> is not allowed here (${ctx.mode} TwiML); skipped`);
      continue;
    }
    const flow = await handler({ ...ctx, firstVerb: ctx.firstVerb && i === 0 }, node);
    if (flow.kind !== 'next') return flow;
  }
  return NEXT;
}

function tooManyDocuments(core: Core, call: SimCall, loop: { at: number; count: number }): boolean {
  const now = core.clock.now();
  if (loop.at !== now) Object.assign(loop, { at: now, count: 0 });
  if (++loop.count <= MAX_DOCUMENTS_PER_INSTANT) return false;
  const message = `more than ${MAX_DOCUMENTS_PER_INSTANT} TwiML documents without any time passing (redirect loop)`;
  core.report({ kind: 'application-error', code: 12400, message, callSid: call.sid });
  core.timeline.add(call.sid, call.who, 'application-error', message);
  return true;
}

export function warn(ctx: VerbContext, message: string): void {
  ctx.core.report({ kind: 'twiml-warning', code: 12200, url: ctx.documentUrl, message, callSid: ctx.call.sid });
  ctx.core.timeline.add(ctx.call.sid, ctx.call.who, 'warning', message);
}

/** Twilio answers an inbound call when it starts executing TwiML (Reject and Dial answerOnBridge excepted). */
export function answer(ctx: Pick<VerbContext, 'core' | 'call'>): void {
  const { call, core } = ctx;
  if (call.answered || call.ended) return;
  call.answeredAt = core.clock.now();
  call.status = CallStatus.InProgress;
}

/** A follow-up document: `action` (or the current URL) with extra parameters. */
export function follow(ctx: VerbContext, url: string | undefined, method: 'GET' | 'POST', params: Record<string, string>): FetchSpec {
  return { url: url ? resolveUrl(url, ctx.documentUrl) : ctx.documentUrl, method, params };
}
