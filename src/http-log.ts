import type { RequestHandler } from 'express';
import type { Logger } from './log';

/**
 * One structured line per request (real elapsed time, not the injected call clock) once the response is sent: method, path, status, duration, and the
 * CallSid of a Twilio webhook. Never headers (bearer tokens, signatures) and never the query string
 * (it may carry nothing secret today, but it is not ours to print tomorrow).
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const body: unknown = req.body;
      const callSid = body && typeof body === 'object' && 'CallSid' in body ? String((body as { CallSid: unknown }).CallSid) : undefined;
      const path = req.originalUrl.split('?')[0];
      const line = { method: req.method, path, status: res.statusCode, ms: Math.round((performance.now() - started) * 10) / 10, ...(callSid ? { callSid } : {}) };
      if (path === '/healthz' && res.statusCode < 500) logger.debug(line, 'request');
      else logger.info(line, 'request');
    });
    next();
  };
}
