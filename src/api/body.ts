import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { BadRequestError } from './errors';

export const BODY_LIMIT = '100kb';

/**
 * Parses JSON bodies (application/json, ≤ 100 kB) and notes an empty one, which body-parser would turn into `{}`.
 * UTF-8 only (415 otherwise): body-parser would decode another declared charset (UTF-16), and would read bytes that
 * are not UTF-8 (a Latin-1 "é") as U+FFFD, storing a name nobody typed.
 */
export function jsonBody(): RequestHandler {
  return express.json({
    limit: BODY_LIMIT,
    strict: true,
    verify: (_req, res, buf, encoding) => {
      if (encoding !== 'utf-8' || !isUtf8(buf)) {
        throw Object.assign(new Error('request body is not UTF-8'), { status: 415, type: 'charset.unsupported' });
      }
      if (buf.toString('utf8').trim() === '') (res as express.Response).locals.emptyBody = true;
    },
  });
}

/** For routes that take a body: 400 unless it is a JSON object sent as application/json. */
export const requireJsonObject: RequestHandler = (req, res, next) => {
  if (res.locals.emptyBody === true || req.body === undefined) {
    throw new BadRequestError('request body must be a JSON object sent with Content-Type: application/json', [], 'invalid_json');
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new BadRequestError('body must be a JSON object', [{ path: '', message: 'must be a JSON object' }]);
  }
  next();
};
