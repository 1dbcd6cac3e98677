import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Sorting } from '../../domain/paging';
import { ref, type OperationObject, type ParameterObject, type ParameterOrRef, type ResponseObject, type ResponseOrRef, type SchemaObject } from './types';

/** Building blocks of the paths: shared parameters, error responses, JSON bodies, list operations. */

export const sharedParameters: Record<string, ParameterObject> = {
  id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
  page: { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
  pageSize: { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
  userId: {
    name: 'userId', in: 'query', schema: { type: 'string', minLength: 1, maxLength: 100 },
    description: 'only this user\'s items; administrators may name anyone, everyone else only themselves (403 otherwise)',
  },
  q: { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'case-insensitive text search' },
};

const errorContent = { 'application/json': { schema: ref('Error') } };

export const sharedResponses: Record<string, ResponseObject> = {
  BadRequest: { description: 'validation failed (details name each field), or the body is not a JSON object', content: errorContent },
  Unauthorized: { description: 'no bearer token, or one nobody holds', content: errorContent },
  Forbidden: { description: 'authenticated but not allowed', content: errorContent },
  NotFound: { description: 'unknown, or not the caller\'s to see', content: errorContent },
  Conflict: {
    description: 'a number already belongs to another user (number_taken), the record kept changing under this change (edit_conflict: try again), '
      + 'or, for a test notification, the user has no receiver (no_receiver) or a test of theirs is still waiting (notify_test_in_progress)',
    content: errorContent,
  },
  PreconditionFailed: {
    description: 'If-Match names a version (ETag) that is no longer the stored one: someone changed it since; read it again',
    content: errorContent,
  },
  PayloadTooLarge: { description: 'the body is over 100 kB (payload_too_large)', content: errorContent },
  UnsupportedMediaType: { description: 'the body is not UTF-8 (another charset, or bytes that are not UTF-8): unsupported_media_type', content: errorContent },
  Unavailable: { description: 'the data store (or Twilio, where noted) is unavailable', content: errorContent },
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 503;
const ERROR_RESPONSES: Record<ErrorStatus, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 412: 'PreconditionFailed',
  413: 'PayloadTooLarge', 415: 'UnsupportedMediaType', 503: 'Unavailable',
};

/** A JSON response of a component schema (or an inline one). */
export function json(description: string, schema: string | SchemaObject): ResponseObject {
  return { description, content: { 'application/json': { schema: typeof schema === 'string' ? ref(schema) : schema } } };
}

export const noContent: ResponseObject = { description: 'done; no body' };

export interface OperationSpec {
  id: string;
  summary: string;
  description?: string;
  tag: string;
  parameters?: ParameterOrRef[];
  /** Component schema name of the JSON request body. */
  body?: string;
  responses: Record<string, ResponseOrRef>;
  /** Error statuses beyond 401 and 503, which every authenticated operation has (and 413, 415 every one with a body). */
  errors?: ErrorStatus[];
  /** No bearer token needed. */
  public?: boolean;
}

export function operation(spec: OperationSpec): OperationObject {
  const bodyErrors: ErrorStatus[] = spec.body ? [413, 415] : [];
  const errors: ErrorStatus[] = spec.public ? [...(spec.errors ?? []), ...bodyErrors] : [401, ...(spec.errors ?? []), ...bodyErrors, 503];
  const responses: Record<string, ResponseOrRef> = { ...spec.responses };
  for (const status of errors) responses[String(status)] ??= { $ref: `#/components/responses/${ERROR_RESPONSES[status]}` };
  return {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(spec.body) } } } } : {}),
    responses,
    ...(spec.public ? { security: [] } : {}),
  };
}

export const param = (name: keyof typeof sharedParameters): ParameterOrRef => ({ $ref: `#/components/parameters/${name}` });

/** `sort`: a sortable field, `-` first for descending. */
export function sortParameter(sorting: Sorting<never>): ParameterObject {
  const fields = Object.keys(sorting.fields);
  return {
    name: 'sort', in: 'query',
    description: `a field name, prefixed with - for descending; text sorts case-insensitively; ties by ${sorting.tiesText}`,
    schema: { type: 'string', enum: fields.flatMap((f) => [f, `-${f}`]), default: sorting.defaultSort },
  };
}

/** A list operation: `{ items, page, pageSize, total }` of `item`, with the shared paging query. */
export function listOperation(spec: {
  id: string; summary: string; tag: string; item: string; sorting: Sorting<never>; filters: Array<'userId' | 'q'>; description?: string;
}): OperationObject {
  return operation({
    id: spec.id,
    summary: spec.summary,
    tag: spec.tag,
    ...(spec.description ? { description: spec.description } : {}),
    parameters: [sortParameter(spec.sorting), param('page'), param('pageSize'), ...spec.filters.map(param)],
    responses: { 200: json('one page', `${spec.item}Page`) },
    errors: [400, 403],
  });
}
