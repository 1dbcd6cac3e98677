import type http from 'node:http';
import { parseForm, type FormBody } from './form';
import type { RestReply } from './router';

/** Reading requests and writing replies of the fake REST API on plain node:http. */

/** Bodies past this size are refused (413), like Express's urlencoded parser by default. */
export const MAX_BODY_BYTES = 100 * 1024;

/** The request path without its query (what routes match). */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query < 0 ? raw : raw.slice(0, query);
}

function isForm(req: http.IncomingMessage): boolean {
  const type = req.headers['content-type'];
  if (!type) return false;
  const semicolon = type.indexOf(';');
  return (semicolon < 0 ? type : type.slice(0, semicolon)).trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Reads the whole body, then hands over its form parameters ({} for a body that is not form-encoded), or
 * 'too-large'. Nothing is handed over when the request fails (the client went away: nobody to answer).
 */
export function readForm(req: http.IncomingMessage, done: (body: FormBody | 'too-large') => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return done('too-large');
    if (!isForm(req) || size === 0) return done({});
    done(parseForm((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')));
  });
}

/** Writes a reply: JSON as `application/json; charset=utf-8`, other content with its type, or no body at all. */
export function writeReply(res: http.ServerResponse, reply: RestReply): void {
  if ('json' in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  } else if ('body' in reply) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': reply.body.length });
    res.end(reply.body);
  } else {
    res.writeHead(reply.status);
    res.end();
  }
}
