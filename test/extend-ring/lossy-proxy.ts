import http from 'node:http';
import { closeServer, listen } from './proxy';

/** Which request is lost, and where: 'before' the app sees it, or 'after' the app handled it (its answer is lost). */
interface Loss {
  where: 'before' | 'after';
  match: (path: string, body: string) => boolean;
  /** Matching requests still to lose. */
  left: number;
}

/**
 * Between Twilio and the app (PUBLIC_BASE_URL points here): forwards every request, except one chosen to be lost,
 * which gets a 502 as a load balancer answers during a deploy or a failover. Twilio does not retry webhooks.
 */
export class LossyProxy {
  url = '';
  /** The app's own base URL, set once it listens. */
  target = '';
  private server?: http.Server;
  private loss?: Loss;

  async start(): Promise<this> {
    ({ server: this.server, url: this.url } = await listen((req, res) => this.forward(req, res)));
    return this;
  }

  /** The next request matching `match` (path with query, form body) is lost; `times` such requests in a row. */
  loseOnce(where: Loss['where'], match: Loss['match'], times = 1): void {
    this.loss = { where, match, left: times };
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const loss = this.loss?.match(req.url ?? '/', body.toString()) ? this.loss : undefined;
      if (loss && --loss.left === 0) this.loss = undefined;
      if (loss?.where === 'before') {
        res.writeHead(502).end();
        return;
      }
      const upstream = http.request(this.target + (req.url ?? '/'), { method: req.method, headers: req.headers }, (answer) => {
        if (loss) {
          answer.resume();
          answer.on('end', () => res.writeHead(502).end());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  }
}
