import express, { type RequestHandler } from 'express';
import { BadRequestError } from './errors';

export const BODY_LIMIT = '100kb';

/** Parses JSON bodies (application/json, ≤ 100 kB) and notes an empty one, which body-parser would turn into `{}`. */
export function jsonBody(): RequestHandler {
  return express.json({
    limit: BODY_LIMIT,
    strict: true,
    verify: (_req, res, buf) => {
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
