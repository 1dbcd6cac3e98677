import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The load balancer in front of several app instances sharing one PUBLIC_BASE_URL: each request goes to the
 * first instance still in service ('failover'), or to the next one in turn ('round-robin').
 */
export class InstanceProxy {
  readonly instances: Array<{ url: string; inService: boolean }> = [];
  private server?: http.Server;
  private turn = 0;
  url = '';

  constructor(private readonly mode: 'failover' | 'round-robin') {}

  async start(): Promise<this> {
    ({ server: this.server, url: this.url } = await listen((req, res) => this.forward(req, res)));
    return this;
  }

  add(url: string): void {
    this.instances.push({ url, inService: true });
  }

  /** Takes an instance out of service: no request reaches it any more. */
  drain(url: string): void {
    for (const instance of this.instances) if (instance.url === url) instance.inService = false;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private pick(): string | undefined {
    const live = this.instances.filter((i) => i.inService);
    if (live.length === 0) return undefined;
    if (this.mode === 'failover') return live[0]?.url;
    return live[this.turn++ % live.length]?.url;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = this.pick();
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const upstream = http.request(target + (req.url ?? '/'), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  }
}

/** An HTTP server on an ephemeral local port. */
export async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
