import { parse } from 'node:querystring';

/** A form-encoded body as the REST API reads it: a repeated key gives a list. */
export type FormBody = Readonly<Record<string, string | string[] | undefined>>;

/** At most this many parameters are read from a body (as Express's urlencoded parser did). */
const MAX_PARAMETERS = 1000;

/** `application/x-www-form-urlencoded` text (`+` is a space, percent escapes are UTF-8). */
export function parseForm(text: string): FormBody {
  return text ? parse(text, '&', '=', { maxKeys: MAX_PARAMETERS }) : {};
}

/** The value of `key`; of a repeated key, the last one. */
export function text(body: FormBody, key: string): string | undefined {
  const v = body[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** An HTTP method parameter (`Method`, `StatusCallbackMethod`…): GET when it says so, else POST. */
export function method(body: FormBody, key: string): 'GET' | 'POST' {
  return text(body, key)?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}
