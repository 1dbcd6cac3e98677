import type { SimCall } from './call';
import type { Core } from './core';
import type { FetchSpec } from './scope';
import { parseTwiml, TwimlParseError, type TwimlNode } from './twiml';
import type { WebhookExchange, WebhookPurpose } from './types';
import { twimlResponseProblem } from './webhooks';

export type Loaded =
  | { ok: true; doc: TwimlNode; url: string }
  | { ok: false; code: number; message: string; url: string };

/**
 * Fetches the TwiML a call runs next. A failed fetch (non-2xx, no answer in 15 s, a Content-Type that is
 * not XML, invalid XML) makes Twilio request the fallback URL with ErrorCode and ErrorUrl; without one,
 * or when that fails too, the party hears "An application error has occurred" and the call ends.
 */
export async function loadDocument(core: Core, call: SimCall, spec: FetchSpec, purpose: WebhookPurpose): Promise<Loaded> {
  if (spec.twiml !== undefined) return interpretInline(spec);
  const params = { ...call.params(), ...spec.params };
  const first = interpret(await send(core, call, spec.url, spec.method, params, purpose));
  if (first.ok) return first;
  if (!call.fallback || purpose === 'fallback') return applicationError(core, call, first);

  core.report({ kind: 'fallback-used', code: first.code, url: first.url, message: first.message, callSid: call.sid });
  core.timeline.add(call.sid, call.who, 'fallback', `${first.message}; requesting the fallback URL`);
  const fallbackParams = { ...params, ErrorCode: String(first.code), ErrorUrl: spec.url };
  const second = interpret(await send(core, call, call.fallback.url, call.fallback.method, fallbackParams, 'fallback'));
  return second.ok ? second : applicationError(core, call, second);
}

function send(
  core: Core, call: SimCall, url: string, method: 'GET' | 'POST', params: Record<string, string>, purpose: WebhookPurpose,
): Promise<WebhookExchange> {
  return core.webhooks.send({ url, method, params, purpose, callSid: call.sid, log: call.requests });
}

function interpret(ex: WebhookExchange): Loaded {
  const problem = twimlResponseProblem(ex);
  if (problem) return { ok: false, ...problem, url: ex.url };
  return parse(ex.body ?? '', ex.url);
}

function interpretInline(spec: FetchSpec): Loaded {
  return parse(spec.twiml ?? '', spec.url);
}

function parse(xml: string, url: string): Loaded {
  try {
    return { ok: true, doc: parseTwiml(xml), url };
  } catch (err) {
    if (err instanceof TwimlParseError) return { ok: false, code: 12100, message: `invalid TwiML: ${err.message}`, url };
    throw err;
  }
}

function applicationError(core: Core, call: SimCall, problem: Extract<Loaded, { ok: false }>): Loaded {
  core.report({ kind: 'application-error', code: problem.code, url: problem.url, message: problem.message, callSid: call.sid });
  core.timeline.add(
    call.sid, call.who, 'application-error',
    `${problem.message} (error ${problem.code}): "An application error has occurred", the call ends`,
  );
  return problem;
}
