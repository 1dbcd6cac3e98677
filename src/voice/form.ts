import express, { type RequestHandler } from 'express';

/** More name=value pairs than this in one webhook is not Twilio: refused with 413, like Express's own form parser. */
export const MAX_FORM_PARAMETERS = 1000;

/** Reads the body as text (size limit, charset, content-type check: body-parser's), when it is a form. */
const readForm = express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' });

/**
 * Parses Twilio's form body so that the signature can be checked over it. Twilio posts flat name=value pairs,
 * so the WHATWG form parser does (a repeated name gives a list, as Twilio's signature expects); it costs a fraction
 * of Express's `urlencoded()`, which goes through `qs` for nested objects Twilio never sends. Any other content
 * type leaves an empty body, which no signature covers.
 */
export const parseTwilioForm: RequestHandler = (req, res, next) => {
  readForm(req, res, (err?: unknown) => {
    if (err) return next(err);
    if (typeof req.body !== 'string') {
      req.body = {};
      return next();
    }
    const form = parseForm(req.body);
    if (!form) return next(Object.assign(new Error('too many form parameters'), { status: 413, type: 'parameters.too.many' }));
    req.body = form;
    next();
  });
};

/** name → value, or → values when the name repeats; undefined past MAX_FORM_PARAMETERS. */
export function parseForm(text: string): Record<string, string | string[]> | undefined {
  const form: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (++count > MAX_FORM_PARAMETERS) return undefined;
    const had = form[name];
    form[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return form;
}
