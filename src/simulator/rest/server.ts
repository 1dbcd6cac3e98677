import type http from 'node:http';
import type { Core } from '../core';
import type { OutboundCalls } from '../outbound';
import { callRoutes } from './calls';
import type { FormBody } from './form';
import { accountPath, errorBody, RestFailure } from './json';
import { queueRoutes } from './queues';
import { recordingRoutes } from './recordings';
import { routeMatcher, type RestReply, type RouteMatcher } from './router';
import { pathOf, readForm, writeReply } from './wire';

/** A failure to inject: the next `times` matching requests (default 1) answer `status`. */
export interface RestFault {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Matched against the request path (a string matches when contained in it), e.g. '/Calls.json'. */
  pathMatch: string | RegExp;
  status: 400 | 429 | 500 | 503;
  /** Twilio's error code and message in the body (default: a generic one for the status). */
  code?: number;
  message?: string;
  times?: number;
}

/** One REST request the emulator received, with the status it answered. */
export interface RestRequestLog {
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, unknown>>;
  status?: number;
}

export class FaultBook {
  private readonly faults: Array<RestFault & { left: number }> = [];

  add(fault: RestFault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Consumes one use of the first fault matching the request. */
  take(method: string, path: string): RestFault | undefined {
    const fault = this.faults.find((f) => f.left > 0 && (!f.method || f.method === method)
      && (typeof f.pathMatch === 'string' ? path.includes(f.pathMatch) : f.pathMatch.test(path)));
    if (fault) fault.left--;
    return fault;
  }
}

const FAULT_BODIES: Record<RestFault['status'], [number, string]> = {
  400: [21200, 'Bad Request'],
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)(\/.*)$/;

function failure(status: number, code: number, message: string): RestReply {
  return { status, json: errorBody(status, code, message) };
}

function notFound(path: string): RestReply {
  return failure(404, 20404, `The requested resource ${path} was not found`);
}

/**
 * The fake REST API, shaped like api.twilio.com/2010-04-01 so that the real `twilio` client works against
 * it: HTTP basic auth with the account SID and auth token (401 otherwise), form-encoded parameters, JSON
 * bodies, Twilio error bodies. Every request is logged with the status it got; injected faults come after
 * the credentials are checked.
 */
export function createRestHandler(core: Core, outbound: OutboundCalls, faults: FaultBook, log: RestRequestLog[], isOwnNumber: (n: string) => boolean): http.RequestListener {
  const route = routeMatcher([...callRoutes(core, outbound, isOwnNumber), ...queueRoutes(core), ...recordingRoutes(core)]);
  const account = accountPath(core.accountSid);
  const isAuthorized = authorization(core);
  return (req, res) => {
    core.tracker.track(new Promise<void>((resolve) => res.once('close', resolve)));
    readForm(req, (body) => {
      const method = req.method ?? 'GET';
      const path = pathOf(req.url);
      const params = body === 'too-large' ? {} : body;
      const entry: RestRequestLog = { at: core.clock.now(), method, path, params: { ...params } };
      log.push(entry);
      const reply = body === 'too-large' ? failure(413, 20001, 'The request body is too large')
        : !isAuthorized(req.headers.authorization) ? failure(401, 20003, 'Authenticate')
          : answer({ core, faults, route, account }, method, path, params);
      entry.status = reply.status;
      writeReply(res, reply);
    });
  };
}

interface Answering {
  core: Core;
  faults: FaultBook;
  route: RouteMatcher;
  /** The path every resource is under: /2010-04-01/Accounts/<the account SID>. */
  account: string;
}

/** An authenticated request: another account's resources are not found, an injected fault answers instead, else its route. */
function answer({ core, faults, route, account }: Answering, method: string, path: string, body: FormBody): RestReply {
  const accountSid = ACCOUNT_PATH.exec(path)?.[1];
  if (accountSid !== undefined && accountSid !== core.accountSid) return notFound(path);
  const fault = faults.take(method, path);
  if (fault) {
    const [code, message] = FAULT_BODIES[fault.status];
    core.timeline.add('-', 'REST API', 'rest', `injected ${fault.status} for ${method} ${path}`);
    return failure(fault.status, fault.code ?? code, fault.message ?? message);
  }
  const below = belowAccount(path, account);
  const found = below === undefined ? undefined : route(method, below);
  if (!found) return notFound(path);
  try {
    return found.route.handle({ method, params: found.params, body });
  } catch (err) {
    if (err instanceof RestFailure) return failure(err.status, err.code, err.message);
    core.internalErrors.push(err);
    return failure(500, 20500, 'Internal Server Error');
  }
}

/** The part of `path` below the account's own path (case-insensitive, on a segment boundary); undefined outside it. */
function belowAccount(path: string, account: string): string | undefined {
  if (path.length <= account.length || path[account.length] !== '/') return undefined;
  return path.slice(0, account.length).toLowerCase() === account.toLowerCase() ? path.slice(account.length) : undefined;
}

/** HTTP basic auth with the account SID and auth token; the header the `twilio` client sends is recognised at once. */
function authorization(core: Core): (header: string | undefined) => boolean {
  const expected = `Basic ${Buffer.from(`${core.accountSid}:${core.opts.authToken}`).toString('base64')}`;
  return (header) => {
    if (header === expected) return true;
    const [scheme, encoded] = (header ?? '').split(' ');
    const decoded = Buffer.from(encoded ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return scheme === 'Basic' && colon >= 0 && decoded.slice(0, colon) === core.accountSid && decoded.slice(colon + 1) === core.opts.authToken;
  };
}
