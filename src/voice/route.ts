import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps';
import type { VoiceContext } from './context';
import { WebhookParams } from './params';
import { isExpectedFailure } from './safe';
import { sayAndHangup, Speech, type VoiceResponse } from './twiml';
import type { VoiceUrls } from './urls';

/** A webhook stage as the router sees it: parameters in, TwiML out. */
export type RouteStage = (params: WebhookParams, ctx: VoiceContext) => Promise<VoiceResponse> | VoiceResponse;

/**
 * Adapts a stage to Express with the guarantee every /voice/* answer keeps (DESIGN §5): 200 text/xml with
 * valid TwiML, never 5xx. Whatever the stage throws (store down, missing parameter, bug) is logged with the
 * CallSid and answered with `fallback` — the safest useful TwiML for who is on the line.
 */
export function voiceRoute(deps: AppDeps, urls: VoiceUrls, stage: RouteStage, fallback: RouteStage): RequestHandler {
  return async (req, res) => {
    const params = new WebhookParams(req);
    const ctx: VoiceContext = { deps, urls, log: deps.logger.child(callContext(params)) };
    const twiml = await answerStage(stage, fallback, params, ctx, req.baseUrl + req.path);
    sendTwiml(res, twiml.toString());
  };
}

/** 200 text/xml, written directly: Express's send() would work the same headers out again for every answer. */
function sendTwiml(res: Response, xml: string): void {
  res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

/**
 * A stage's answer; should it throw, the failure is logged (with `path`) and `fallback` answers; should that throw
 * too, an apology. Never rejects. Also how the number's fallback URL answers a failed stage again.
 */
export async function answerStage(
  stage: RouteStage, fallback: RouteStage, params: WebhookParams, ctx: VoiceContext, path: string,
): Promise<VoiceResponse> {
  try {
    return await stage(params, ctx);
  } catch (err) {
    const level = isExpectedFailure(err) ? 'warn' : 'error';
    ctx.log[level]({ err, path }, 'voice webhook failed: answering safe TwiML');
    return runFallback(fallback, params, ctx);
  }
}

async function runFallback(fallback: RouteStage, params: WebhookParams, ctx: VoiceContext): Promise<VoiceResponse> {
  try {
    return await fallback(params, ctx);
  } catch (err) {
    ctx.log.error({ err }, 'voice webhook fallback failed: apologising');
    return sayAndHangup(Speech.unavailable);
  }
}

/** Log fields of a request: the inbound call's CallSid, and the leg's own when the request is about a leg. */
function callContext(params: WebhookParams): Record<string, string> {
  const callSid = params.huntCallSid();
  const own = params.form('CallSid');
  return {
    ...(callSid ? { callSid } : {}),
    ...(own && own !== callSid ? { legSid: own } : {}),
  };
}

/**
 * Last line of the voice router: a client error before any stage ran (malformed or oversized body) keeps
 * its 4xx status; anything else still gets 200 TwiML.
 */
export function voiceErrorHandler(deps: AppDeps): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const log = deps.logger.child(callContext(new WebhookParams(req)));
    const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      log.warn({ err, path: req.baseUrl + req.path, status }, 'voice webhook rejected before its stage');
      res.status(status).type('text/plain').send('Bad request');
      return;
    }
    log.error({ err, path: req.baseUrl + req.path }, 'voice webhook failed outside its stage: apologising');
    sendTwiml(res, sayAndHangup(Speech.unavailable).toString());
  };
}
