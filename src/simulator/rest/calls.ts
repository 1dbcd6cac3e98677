import { CallStatus } from '../../twilio/constants';
import type { SimCall } from '../call';
import type { Core } from '../core';
import type { OutboundCalls } from '../outbound';
import type { FetchSpec } from '../scope';
import { parseStatusEvents } from '../status-callbacks';
import { accountPath, callJson, page, RestFailure } from './json';
import { method, text, type FormBody as Body } from './form';
import type { RestRoute } from './router';

/** Calls: create, fetch, list, update (cancel, hang up, redirect). */
export function callRoutes(core: Core, outbound: OutboundCalls, isOwnNumber: (n: string) => boolean): RestRoute[] {
  return [
    {
      method: 'POST', path: '/Calls.json', handle: ({ body }) => {
        const call = outbound.create(parseCreate(core, body, isOwnNumber));
        return { status: 201, json: callJson(call, core.clock.now()) };
      },
    },
    {
      method: 'GET', path: '/Calls.json', handle: () => {
        const calls = [...core.calls.values()].reverse().map((c) => callJson(c, core.clock.now()));
        return { status: 200, json: page('calls', `${accountPath(core.accountSid)}/Calls.json`, calls) };
      },
    },
    {
      method: 'GET', path: '/Calls/:sid.json',
      handle: ({ params }) => ({ status: 200, json: callJson(findCall(core, params.sid!), core.clock.now()) }),
    },
    {
      method: 'POST', path: '/Calls/:sid.json', handle: ({ params, body }) => {
        const call = findCall(core, params.sid!);
        const status = updateCall(core, outbound, call, body);
        return { status: 200, json: { ...callJson(call, core.clock.now()), status } };
      },
    },
  ];
}

function findCall(core: Core, sid: string): SimCall {
  const call = core.calls.get(sid);
  if (!call) throw new RestFailure(404, 20404, `The requested resource /Calls/${sid}.json was not found`);
  return call;
}

function parseCreate(core: Core, body: Body, isOwnNumber: (n: string) => boolean) {
  const to = text(body, 'To');
  const from = text(body, 'From');
  const url = text(body, 'Url');
  const twiml = text(body, 'Twiml');
  if (!to) throw new RestFailure(400, 21201, "No 'To' number is specified");
  if (!from) throw new RestFailure(400, 21213, "No 'From' number is specified");
  if (!isOwnNumber(from)) throw new RestFailure(400, 21210, `The source phone number provided, ${from}, is not yet verified for your account`);
  if (!url && twiml === undefined) throw new RestFailure(400, 21205, 'Url parameter is required');
  const timeout = Number(text(body, 'Timeout') ?? 60);
  const statusCallback = text(body, 'StatusCallback');
  const fallbackUrl = text(body, 'FallbackUrl');
  return {
    to, from,
    fetch: inlineOrUrl(core, url, method(body, 'Method'), twiml),
    timeoutS: Number.isFinite(timeout) ? Math.min(600, Math.max(1, timeout)) : 60,
    ...(statusCallback ? {
      statusCallback: { url: statusCallback, method: method(body, 'StatusCallbackMethod'), events: parseStatusEvents(body.StatusCallbackEvent) },
    } : {}),
    machineDetection: Boolean(text(body, 'MachineDetection')),
    ...(fallbackUrl ? { fallback: { url: fallbackUrl, method: method(body, 'FallbackMethod') } } : {}),
  };
}

function inlineOrUrl(core: Core, url: string | undefined, m: 'GET' | 'POST', twiml: string | undefined): FetchSpec {
  if (twiml !== undefined) return { url: `${core.apiBaseUrl}${accountPath(core.accountSid)}/Calls.json`, method: 'POST', twiml };
  return { url: url ?? '', method: m };
}

/**
 * Status=canceled stops a queued or ringing call (no effect on a live one); Status=completed hangs up;
 * Url/Twiml moves a live call to new TwiML (a queued caller leaves its queue) or, before the answer,
 * replaces what it will run. A call that already ended cannot be updated (21220).
 * Returns the status the call has (or is about to have) after the update.
 */
function updateCall(core: Core, outbound: OutboundCalls, call: SimCall, body: Body): CallStatus {
  if (call.ended) throw new RestFailure(400, 21220, 'Call is not in-progress. Cannot redirect.');
  const status = text(body, 'Status');
  const url = text(body, 'Url');
  const twiml = text(body, 'Twiml');
  if (status === CallStatus.Canceled || status === CallStatus.Completed) {
    core.timeline.add(call.sid, call.who, 'rest', `calls.update status=${status}`);
    if (outbound.isQueued(call)) {
      outbound.cancelQueued(call);
      return call.status;
    }
    if (status === CallStatus.Canceled && call.answered) return call.status;
    call.hangup('api');
    return call.answered ? CallStatus.Completed : CallStatus.Canceled;
  }
  if (url || twiml !== undefined) redirectCall(core, call, inlineOrUrl(core, url, method(body, 'Method'), twiml));
  return call.status;
}

/** Moves a call to new TwiML; a queued caller leaves its queue at once (QueueResult=redirected). */
export function redirectCall(core: Core, call: SimCall, to: FetchSpec, source: 'api' | 'queue-member' = 'api'): void {
  const member = core.queues.memberOf(call.sid);
  if (member) member.queue.remove(member);
  if (call.document && !call.document.stopped && (call.answered || call.direction === 'inbound')) {
    call.document.stop({ kind: 'redirect', to, source });
  } else {
    call.answerFetch = to;
  }
}
