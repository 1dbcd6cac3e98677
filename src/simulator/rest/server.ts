import express from 'express';
import type { Core } from '../core';
import type { OutboundCalls } from '../outbound';
import { callRoutes } from './calls';
import { errorBody, RestFailure } from './json';
import { queueRoutes } from './queues';
import { recordingRoutes } from './recordings';

/** A failure to inject: the next `times` matching requests (default 1) answer `status`. */
export interface RestFault {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Matched against the request path (a string matches when contained in it), e.g. '/Calls.json'. */
  pathMatch: string | RegExp;
  status: 429 | 500 | 503;
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
  429: [20429, 'Too Many Requests'],
  500: [20500, 'Internal Server Error'],
  503: [20503, 'Service Unavailable'],
};

const ACCOUNT_PATH = /^\/2010-04-01\/Accounts\/([^/]+)(\/.*)$/;

/**
 * The fake REST API, shaped like api.twilio.com/2010-04-01 so that the real `twilio` client works against
 * it: HTTP basic auth with the account SID and auth token (401 otherwise), JSON bodies, Twilio error bodies.
 */
export function createRestApp(core: Core, outbound: OutboundCalls, faults: FaultBook, log: RestRequestLog[], isOwnNumber: (n: string) => boolean): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    core.tracker.track(new Promise<void>((resolve) => {
      res.on('finish', resolve);
      res.on('close', resolve);
    }));
    next();
  });
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => {
    const entry: RestRequestLog = { at: core.clock.now(), method: req.method, path: req.path, params: { ...(req.body ?? {}) } };
    log.push(entry);
    res.on('finish', () => { entry.status = res.statusCode; });
    next();
  });
  app.use(authenticate(core));
  app.use((req, res, next) => {
    const fault = faults.take(req.method, req.path);
    if (!fault) return next();
    const [code, message] = FAULT_BODIES[fault.status];
    core.timeline.add('-', 'REST API', 'rest', `injected ${fault.status} for ${req.method} ${req.path}`);
    res.status(fault.status).json(errorBody(fault.status, code, message));
  });
  const account = express.Router();
  account.use(callRoutes(core, outbound, isOwnNumber));
  account.use(queueRoutes(core));
  account.use(recordingRoutes(core));
  app.use(`/2010-04-01/Accounts/${core.accountSid}`, account);
  app.use((req, res) => {
    res.status(404).json(errorBody(404, 20404, `The requested resource ${req.path} was not found`));
  });
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof RestFailure) return void res.status(err.status).json(errorBody(err.status, err.code, err.message));
    core.internalErrors.push(err);
    res.status(500).json(errorBody(500, 20500, 'Internal Server Error'));
  });
  return app;
}

function authenticate(core: Core): express.RequestHandler {
  return (req, res, next) => {
    const [scheme, encoded] = (req.header('authorization') ?? '').split(' ');
    const decoded = Buffer.from(encoded ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (scheme !== 'Basic' || colon < 0 || user !== core.accountSid || password !== core.opts.authToken) {
      res.status(401).json(errorBody(401, 20003, 'Authenticate'));
      return;
    }
    const account = ACCOUNT_PATH.exec(req.path)?.[1];
    if (account !== undefined && account !== core.accountSid) {
      res.status(404).json(errorBody(404, 20404, `The requested resource ${req.path} was not found`));
      return;
    }
    next();
  };
}
