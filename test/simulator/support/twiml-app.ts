import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';
import { TwilioEmulator } from '../../../src/simulator/emulator';
import type { EmulatorOptions } from '../../../src/simulator/types';
import { VirtualClock } from '../../../src/simulator/virtual-clock';

export const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const AUTH_TOKEN = 'emulator-test-token-0123456789';
export const BUSINESS = '+15550000100';
export const CALLER = '+15557654321';

/** What a route answers: TwiML text (200 text/xml), or a raw response. */
export type Reply = string | { status?: number; type?: string; body: string };
export type Route = (params: Record<string, string>, query: Record<string, string>) => Reply | Promise<Reply>;

export interface Received {
  readonly path: string;
  readonly method: string;
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
}

/**
 * A tiny TwiML app for emulator tests: it checks X-Twilio-Signature exactly as a real app must
 * (403 when wrong) and answers from per-path routes. Unknown paths answer 404.
 */
export class TwimlApp {
  readonly received: Received[] = [];
  readonly forged: string[] = [];
  private readonly routes = new Map<string, Route>();
  private server?: http.Server;
  baseUrl = '';

  async start(): Promise<this> {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.use((req, res) => void this.handle(req, res));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  on(path: string, route: Route): this {
    this.routes.set(path, route);
    return this;
  }

  /** Requests received on one path (query string excluded). */
  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: express.Request, res: express.Response): Promise<void> {
    const params = (req.method === 'POST' ? req.body : {}) as Record<string, string>;
    const signature = req.header('x-twilio-signature') ?? '';
    if (!twilio.validateRequest(AUTH_TOKEN, signature, this.url(req.originalUrl), params)) {
      this.forged.push(req.originalUrl);
      res.status(403).end();
      return;
    }
    const query = Object.fromEntries(new URLSearchParams(req.originalUrl.split('?')[1] ?? ''));
    this.received.push({ path: req.path, method: req.method, params, query });
    const route = this.routes.get(req.path);
    if (!route) {
      res.status(404).type('text/plain').send('no route');
      return;
    }
    const reply = await route(params, query);
    const r = typeof reply === 'string' ? { body: reply } : reply;
    res.status(r.status ?? 200).type(r.type ?? 'text/xml').send(r.body);
  }
}

export interface Rig {
  clock: VirtualClock;
  em: TwilioEmulator;
  app: TwimlApp;
  close(): Promise<void>;
}

/** An emulator, a virtual clock and a TwiML app; the business number's voice URL is /incoming. */
export async function rig(opts: Partial<EmulatorOptions> = {}, numberExtras: { statusCallback?: string; fallbackUrl?: string } = {}): Promise<Rig> {
  const clock = new VirtualClock();
  const em = new TwilioEmulator({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, clock, ...opts });
  const app = await new TwimlApp().start();
  await em.start();
  em.configureNumber(BUSINESS, {
    voiceUrl: app.url('/incoming'),
    ...(numberExtras.statusCallback ? { statusCallback: app.url(numberExtras.statusCallback) } : {}),
    ...(numberExtras.fallbackUrl ? { fallbackUrl: app.url(numberExtras.fallbackUrl) } : {}),
  });
  return {
    clock, em, app,
    async close() {
      await em.close();
      await app.close();
    },
  };
}

/** TwiML built the way the app builds it. */
export function twiml(build: (vr: twilio.twiml.VoiceResponse) => void): string {
  const vr = new twilio.twiml.VoiceResponse();
  build(vr);
  return vr.toString();
}

/** Seconds from the call's start to a virtual instant. */
export function secondsSince(start: number, at: number | undefined): number | undefined {
  return at === undefined ? undefined : (at - start) / 1000;
}
