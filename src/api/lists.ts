import Joi from 'joi';
import { pageQueryKeys, type PageQuery, type Sorting } from '../domain/paging';

/** A list endpoint's query: paging plus the optional `userId` owner filter and `q` text search. */
export interface ListQuery extends PageQuery {
  userId?: string;
  q?: string;
}

const filterKeys = {
  userId: Joi.string().min(1).max(100),
  q: Joi.string().max(200).allow(''),
};

/** Validates a list query (unknown parameters are ignored). Throws Joi.ValidationError naming the parameter. */
export function parseListQuery(query: unknown, sorting: Sorting<never>): ListQuery {
  const schema = Joi.object({ ...pageQueryKeys(sorting), ...filterKeys }).unknown(true);
  const { value, error } = schema.validate(query ?? {}, { abortEarly: false, convert: true });
  if (error) throw error;
  const q = typeof value.q === 'string' && value.q.trim() !== '' ? value.q.trim() : undefined;
  return { sort: value.sort, page: value.page, pageSize: value.pageSize, userId: value.userId, q };
}

/** Case-insensitive substring search over some text fields of an item. */
export function matchesText(fields: ReadonlyArray<string | undefined>, q: string | undefined): boolean {
  if (q === undefined) return true;
  const needle = q.toLocaleLowerCase('en');
  return fields.some((f) => f !== undefined && f.toLocaleLowerCase('en').includes(needle));
}
