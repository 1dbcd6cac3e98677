import http from 'node:http';
import { closeServer, listen } from '../extend-ring/proxy';

/**
 * A reverse proxy that serves the app under a path prefix (PUBLIC_BASE_URL https://example.com/calls, README
 * "Deploying"): <prefix>/… goes to the app as /…, with the request line rewritten and nothing else (no
 * X-Forwarded-Prefix: the app knows its prefix from PUBLIC_BASE_URL only). Anything outside the prefix is 404, and
 * remembered in `refused`, so that a URL pointing at the host root shows.
 */
export interface PrefixProxy {
  /** The proxy's origin (http://127.0.0.1:<port>), without the prefix. */
  readonly url: string;
  /** Method and path of every request that was not under the prefix. */
  readonly refused: string[];
  close(): Promise<void>;
}

export async function prefixProxy(prefix: string, target: () => string): Promise<PrefixProxy> {
  const refused: string[] = [];
  const { server, url } = await listen((req, res) => {
    const path = req.url ?? '/';
    if (!path.startsWith(`${prefix}/`)) {
      refused.push(`${req.method} ${path}`);
      res.writeHead(404).end();
      return;
    }
    const upstream = http.request(target() + path.slice(prefix.length), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return { url, refused, close: () => closeServer(server) };
}
