/**
 * The management API's error family (DESIGN §4): every failure leaves as
 * `{ "error": { "code", "message", "details": [ { "path", "message" } ] } }` with the status below.
 * Throw these from routes; the one error middleware (api/error-handler) renders them.
 */

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `steps.0.ringSeconds`. */
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** 400: the request itself is wrong (a field, the query, the body). */
export class BadRequestError extends ApiError {
  constructor(message: string, details: ErrorDetail[] = [], code = 'validation_failed') {
    super(400, code, message, details);
    this.name = 'BadRequestError';
  }

  /** A 400 about one field. */
  static field(path: string, message: string): BadRequestError {
    return new BadRequestError(`${path} ${message}`, [{ path, message }]);
  }
}

/** 401: no bearer token, or one nobody holds. */
export class UnauthorizedError extends ApiError {
  constructor(message = 'a valid bearer token is required') {
    super(401, 'unauthorized', message);
    this.name = 'UnauthorizedError';
  }
}

/** 403: authenticated, but not allowed to do this. */
export class ForbiddenError extends ApiError {
  constructor(message = 'not allowed', details: ErrorDetail[] = []) {
    super(403, 'forbidden', message, details);
    this.name = 'ForbiddenError';
  }
}

/** 404: unknown — or not the caller's to see. */
export class NotFoundError extends ApiError {
  constructor(message = 'not found') {
    super(404, 'not_found', message);
    this.name = 'NotFoundError';
  }
}

/** 405: the path exists, the method does not (the `Allow` header, set where this is raised, lists those it takes). */
export class MethodNotAllowedError extends ApiError {
  constructor(message: string) {
    super(405, 'method_not_allowed', message);
    this.name = 'MethodNotAllowedError';
  }
}

/** 412: the client's If-Match names a version that is no longer the stored one (someone changed it since). */
export class PreconditionFailedError extends ApiError {
  constructor(message: string) {
    super(412, 'precondition_failed', message);
    this.name = 'PreconditionFailedError';
  }
}

/** 409: conflicts with what is stored (a number owned by someone else). */
export class ConflictError extends ApiError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(409, code, message, details);
    this.name = 'ConflictError';
  }
}
