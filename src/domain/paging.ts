import Joi from 'joi';
import type { CallRecord, CallbackRequest, Rule, User, Voicemail } from './types';

/**
 * Sorting and paging shared by every list (DESIGN §4 "Lists"): `sort` is a field name with an optional
 * leading `-` (descending), `page` ≥ 1 (default 1), `pageSize` 1..100 (default 20). Text compares
 * case-insensitively; ties are broken by the sorting's tie breakers (createdAt, then id), always ascending.
 * `total` counts every matching item before paging. Pure code: stores return everything, this pages it.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface PageQuery {
  /** A sortable field, optionally prefixed with `-`. */
  sort: string;
  page: number;
  pageSize: number;
}

export type SortValue = string | number | boolean | null | undefined;

export interface Sorting<T> {
  /** Sortable fields by the name a client puts in `sort`. */
  readonly fields: Readonly<Record<string, (item: T) => SortValue>>;
  /** The sort applied when the query names none. */
  readonly defaultSort: string;
  /** Applied in order, ascending, when the sort field ties. */
  readonly ties: ReadonlyArray<(item: T) => SortValue>;
  /** `ties` in words, for the API's documentation. */
  readonly tiesText: string;
}

const collator = new Intl.Collator('en', { sensitivity: 'accent', numeric: false });

/** Joi keys for `sort`, `page` and `pageSize`; combine with a list's own filters (`Joi.object(keys)`). */
export function pageQueryKeys(sorting: Sorting<never>): Record<string, Joi.Schema> {
  const names = Object.keys(sorting.fields);
  const allowed = names.flatMap((f) => [f, `-${f}`]);
  return {
    sort: Joi.string()
      .valid(...allowed)
      .default(sorting.defaultSort)
      .messages({ 'any.only': `{{#label}} must be one of ${names.join(', ')} (prefix - for descending)` }),
    page: Joi.number().integer().min(1).max(Number.MAX_SAFE_INTEGER).default(1),
    pageSize: Joi.number().integer().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  };
}

/** Validates a query string's paging part (other keys are ignored). Throws Joi.ValidationError. */
export function parsePageQuery(query: unknown, sorting: Sorting<never>): PageQuery {
  const schema = Joi.object(pageQueryKeys(sorting)).unknown(true);
  const { value, error } = schema.validate(query ?? {}, { abortEarly: false, convert: true });
  if (error) throw error;
  return { sort: value.sort, page: value.page, pageSize: value.pageSize };
}

/** Sorts (a copy of) the items by `sort` ("name" or "-name"), then by the sorting's tie breakers. */
export function sortItems<T>(items: readonly T[], sort: string, sorting: Sorting<T>): T[] {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const key = sorting.fields[field];
  if (!key) throw new RangeError(`not a sortable field: ${field}`);
  return [...items].sort((a, b) => {
    const primary = compareValues(key(a), key(b), descending);
    if (primary !== 0) return primary;
    for (const tie of sorting.ties) {
      const c = compareValues(tie(a), tie(b), false);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** Sorts, then cuts out the requested page. */
export function pageOf<T>(items: readonly T[], query: PageQuery, sorting: Sorting<T>): Page<T> {
  const sorted = sortItems(items, query.sort, sorting);
  const start = (query.page - 1) * query.pageSize;
  return { items: sorted.slice(start, start + query.pageSize), page: query.page, pageSize: query.pageSize, total: sorted.length };
}

/** Missing values sort last in either direction; strings ignore case. */
export function compareValues(a: SortValue, b: SortValue, descending: boolean): number {
  const aMissing = a === undefined || a === null;
  const bMissing = b === undefined || b === null;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const c = typeof a === 'string' && typeof b === 'string' ? collator.compare(a, b) : a < b ? -1 : a > b ? 1 : 0;
  return descending ? -c : c;
}

const byCreatedThenId = [(x: { createdAt: string }) => x.createdAt, (x: { id: string }) => x.id] as const;
/** The tie-break of every list but the call log's. */
const createdThenId = { ties: byCreatedThenId, tiesText: 'createdAt, then id' };

export const RULE_SORTING: Sorting<Rule> = {
  fields: {
    name: (r) => r.name,
    priority: (r) => r.priority,
    createdAt: (r) => r.createdAt,
    updatedAt: (r) => r.updatedAt,
    mode: (r) => r.mode,
  },
  defaultSort: 'createdAt',
  ...createdThenId,
};

export const USER_SORTING: Sorting<User> = {
  fields: { name: (u) => u.name, createdAt: (u) => u.createdAt, updatedAt: (u) => u.updatedAt, role: (u) => u.role },
  defaultSort: 'createdAt',
  ...createdThenId,
};

export const VOICEMAIL_SORTING: Sorting<Voicemail> = {
  fields: { createdAt: (v) => v.createdAt, from: (v) => v.from, to: (v) => v.to, durationSeconds: (v) => v.durationSeconds },
  defaultSort: '-createdAt',
  ...createdThenId,
};

export const CALLBACK_SORTING: Sorting<CallbackRequest> = {
  fields: {
    createdAt: (c) => c.createdAt,
    updatedAt: (c) => c.updatedAt,
    from: (c) => c.from,
    to: (c) => c.to,
    status: (c) => c.status,
  },
  defaultSort: '-createdAt',
  ...createdThenId,
};

export const CALL_SORTING: Sorting<CallRecord> = {
  fields: {
    startedAt: (c) => c.startedAt,
    endedAt: (c) => c.endedAt,
    from: (c) => c.from,
    to: (c) => c.to,
    outcome: (c) => c.outcome,
    mode: (c) => c.mode,
  },
  defaultSort: '-startedAt',
  ties: [(c) => c.startedAt, (c) => c.callSid],
  tiesText: 'startedAt, then callSid',
};
