import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { BadRequestError } from './errors';

/** The largest JSON body the API reads, in kB (1024 bytes): beyond it, 413. */
export const BODY_LIMIT_KB = 100;
export const BODY_LIMIT = `${BODY_LIMIT_KB}kb`;

/**
 * Fields and items (every object property and array item, at any depth) a body may hold. The largest valid bodies (a
 * rule with 20 steps of 10 phones and 20 schedule windows, its preview naming every phone) hold under 2,000. Past this
 * a body is refused before validation: 100 kB can hold 30,000 wrong items, and Joi would build (and the API send
 * back) an error for each — megabytes of answer and most of a second of CPU, holding up every call meanwhile.
 */
export const MAX_BODY_NODES = 2500;

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

/** 400 for a JSON body with more than MAX_BODY_NODES fields and items. */
export const boundedBody: RequestHandler = (req, _res, next) => {
  if (nodesOver(req.body, MAX_BODY_NODES)) {
    throw new BadRequestError(`request body holds more than ${MAX_BODY_NODES} fields and items`, [
      { path: '', message: `holds more than ${MAX_BODY_NODES} fields and items` },
    ]);
  }
  next();
};

/** True when `value` holds more than `max` object properties and array items in all. */
function nodesOver(value: unknown, max: number): boolean {
  const pending: unknown[] = [value];
  let count = 0;
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    const children = Array.isArray(next) ? next : Object.values(next);
    count += children.length;
    if (count > max) return true;
    pending.push(...children);
  }
  return false;
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
