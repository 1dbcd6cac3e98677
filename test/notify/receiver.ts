import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it: the raw body, exactly the bytes sent (signatures are over them). */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP status to answer with (and a Retry-After header); `hang`: never answer; `drop`: close the connection without an answer. */
export type Answer = number | { status: number; retryAfter: string } | 'hang' | 'drop';

/**
 * A real HTTP server standing in for a customer's notification endpoint. It answers with `answers` in order
 * (the last one repeats) and keeps every request it got.
 */
export class Receiver {
  readonly received: Received[] = [];

  private constructor(private readonly server: http.Server, readonly url: string, private readonly answers: Answer[]) {}

  static async start(answers: Answer[] = [200], path = '/hooks/calls'): Promise<Receiver> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new Receiver(server, `http://127.0.0.1:${port}${path}`, answers);
    server.on('request', (req, res) => receiver.onRequest(req, res));
    return receiver;
  }

  /** The JSON events received, parsed. */
  events(): Array<Record<string, unknown>> {
    return this.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = this.answers[Math.min(this.received.length, this.answers.length - 1)] ?? 200;
      this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (answer === 'hang') return;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const [status, retryAfter] = typeof answer === 'number' ? [answer] : [answer.status, answer.retryAfter];
      res.writeHead(status, { 'Content-Type': 'text/plain', ...(retryAfter ? { 'Retry-After': retryAfter } : {}) })
        .end(status < 300 ? 'thanks' : 'not now');
    });
  }
}
