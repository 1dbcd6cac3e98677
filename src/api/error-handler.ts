import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import Joi from 'joi';
import type { Logger } from '../log';
import { NumberTakenError, StoreUnavailableError } from '../store/store';
import { BODY_LIMIT_KB } from './body';
import { allowedMethods } from './allowed-methods';
import { ApiError, ConflictError, MethodNotAllowedError, NotFoundError, type ErrorDetail } from './errors';

/**
 * A request no route of `router` took: 405 with `Allow` when the path has routes for other methods (`PUT /api/users`),
 * 404 for a path it does not have at all. An OPTIONS request is left to Express, which answers it with `Allow`.
 */
export function unknownRoute(router: Router): RequestHandler {
  return (req, res, next) => {
    const allowed = allowedMethods(router, req.path);
    const where = `${req.baseUrl}${req.path}`;
    if (allowed.length === 0) {
      next(new NotFoundError(`no such endpoint: ${req.method} ${where}`));
      return;
    }
    if (req.method === 'OPTIONS') {
      next();
      return;
    }
    res.set('Allow', allowed.join(', '));
    next(new MethodNotAllowedError(`${req.method} is not supported on ${where}; it takes ${allowed.join(', ')}`));
  };
}

/** The one place where errors become responses. Unexpected errors are logged (without headers) and answer 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      const level = err instanceof StoreUnavailableError ? 'warn' : 'error';
      logger[level]({ err, method: req.method, path: req.originalUrl.split('?')[0] }, 'management API request failed');
    }
    if (apiError.status === 401) res.set('WWW-Authenticate', 'Bearer');
    res.status(apiError.status).json(apiError.toBody());
  };
}

/** Maps any thrown value to the API error it answers as. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (Joi.isError(err)) return fromValidationError(err);
  if (err instanceof NumberTakenError) {
    return new ConflictError('number_taken', `number ${err.number} already belongs to another user`, [
      { path: 'numbers', message: `${err.number} already belongs to another user` },
    ]);
  }
  if (err instanceof StoreUnavailableError) {
    return new ApiError(503, 'store_unavailable', 'the data store is unavailable; try again shortly');
  }
  // Express's router cannot decode a path parameter (`/api/calls/%ZZ`): URIError with status 400
  if (err instanceof URIError) return new ApiError(400, 'bad_request', 'the request path is not validly percent-encoded');
  const bodyError = fromBodyParserError(err);
  if (bodyError) return bodyError;
  return new ApiError(500, 'internal', 'internal error');
}

/** A body with many problems is answered with the first of them: enough to fix it, in an answer of a few kB. */
const MAX_DETAILS = 50;
const MAX_SENTENCES = 10;

/**
 * Joi → 400 validation_failed. `details[].path` is dotted (`steps.0.ringSeconds`) and `details[].message`
 * omits the field; the top-level `message` names it (`steps[0].ringSeconds must be …`), one per problem.
 */
export function fromValidationError(err: Joi.ValidationError): ApiError {
  const problems = err.details.map((d) => {
    const label = d.path.length > 0 ? (d.context?.label ?? d.path.join('.')) : 'body';
    const message = withoutLabel(d.message, d.context?.label);
    return { path: d.path.map(String).join('.'), message, sentence: `${label} ${message}` };
  });
  const details: ErrorDetail[] = problems.slice(0, MAX_DETAILS).map(({ path, message }) => ({ path, message }));
  const more = problems.length - MAX_SENTENCES;
  const message = problems.slice(0, MAX_SENTENCES).map((p) => p.sentence).join('; ') + (more > 0 ? `; and ${more} more` : '');
  return new ApiError(400, 'validation_failed', message || 'invalid request', details);
}

/** `"steps[0].ringSeconds" must be …` → `must be …` (joi quotes labels unless told otherwise). */
function withoutLabel(message: string, label: string | undefined): string {
  if (!label) return message;
  for (const prefix of [`"${label}"`, label]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length).trimStart();
  }
  return message;
}

/**
 * Errors raised by express.json (body-parser): they carry `status`, and `type` except for a body that does not
 * decompress as its Content-Encoding says (zlib's error, made a 400).
 */
function fromBodyParserError(err: unknown): ApiError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, status, expose } = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (type === undefined && expose !== true) return null;
  if (type === 'entity.parse.failed') return new ApiError(400, 'invalid_json', 'request body is not valid JSON');
  if (type === 'entity.too.large') return new ApiError(413, 'payload_too_large', `request body is over the API's limit of ${BODY_LIMIT_KB} kB`);
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new ApiError(415, 'unsupported_media_type', 'request body must be UTF-8 JSON');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(400, 'bad_request', 'the request body could not be read (its encoding or format)');
  }
  return null;
}
