import type { Request, RequestHandler } from 'express';
import type { Logger } from './log';

/**
 * One structured line per request (real elapsed time, not the injected call clock) once the response is sent: method, path, status, duration, and the
 * CallSid of a Twilio webhook (and the leg's, for a leg's). Never headers (bearer tokens, signatures) and never the query string
 * (it may carry nothing secret today, but it is not ours to print tomorrow).
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const path = req.originalUrl.split('?')[0];
      const line = { method: req.method, path, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10, ...callsOf(req) };
      if ((path === '/healthz' || path === '/livez') && res.statusCode < 500) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}

/**
 * The calls a Twilio webhook is about: its CallSid; for a request about a leg (our URL's `call` names the inbound call),
 * the inbound call as `callSid` and the leg's own as `legSid`, as the app's other lines name them.
 */
function callsOf(req: Request): { callSid?: string; legSid?: string } {
  const body: unknown = req.body;
  const own = body && typeof body === 'object' && 'CallSid' in body ? String((body as { CallSid: unknown }).CallSid) : undefined;
  // only a leg's webhook names `call` in its query (read only then: every request passes here)
  const query = req.originalUrl.split('?')[1];
  const call = query?.includes('call=') ? new URLSearchParams(query).get('call') ?? undefined : undefined;
  if (!call) return own ? { callSid: own } : {};
  return own && own !== call ? { callSid: call, legSid: own } : { callSid: call };
}
