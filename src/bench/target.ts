import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { twiml } from 'twilio';
import { createApp } from '../app';
import { Background } from '../background';
import { systemClock } from '../clock';
import { loadConfig } from '../config';
import type { AppDeps } from '../deps';
import type { Mode } from '../domain/types';
import { createDeadlineSweeper } from '../extend-ring/deadline';
import { createLogger, silentLogger } from '../log';
import { WebhookNotifier } from '../notify/notifier';
import { TwilioEmulator } from '../simulator/emulator';
import { VirtualClock } from '../simulator/virtual-clock';
import { createStore } from '../store';
import { createTwilioGateway } from '../twilio/client';
import type { TwilioGateway } from '../twilio/gateway';
import { BENCH_ACCOUNT_SID, BENCH_AUTH_TOKEN, BUSINESS_NUMBER, seedOwner } from './fixtures';
import { bareTwimlApp, startExtendRingFloor } from './floor';

/**
 * A benchmark target in its own process (forked by throughput.ts), so that the load generator does not share
 * its CPU. Roles, from argv (`--role=…`):
 * - bare: the minimal Express Twilio webhook: express.urlencoded() and static TwiML (no signature, no store, no log);
 * - app: the real app wired like server.ts (store, REST gateway, notifier, deadline sweeper), with one owner and rule;
 *   `--gateway=stub` swaps the REST gateway for one answering in process (diagnostic);
 * - floor: the bare app answering static <Enqueue> TwiML and posting `--legs` calls.create to `--api-base-url` per
 *   call (floor.ts, diagnostic);
 * - emulator: the Twilio emulator's fake REST API. Its virtual clock never moves, so created legs stay queued:
 *   no ringing, no status callbacks, nothing rings forever.
 * It tells the parent `{ type: 'ready', url }` over IPC, answers `{ type: 'stats' }`, and stops on `{ type: 'stop' }`.
 */

type Args = Record<string, string>;

export interface TargetStats {
  type: 'stats';
  /** CPU time (user + system) this process has used so far, in ms. */
  cpuMs: number;
  /** app: background tasks (leg placement) still pending. */
  backgroundPending?: number;
  /** emulator: REST requests received (calls.create for legs). */
  restRequests?: number;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function parseArgs(argv: readonly string[]): Args {
  return Object.fromEntries(argv.map((arg) => /^--([^=]+)=(.*)$/.exec(arg)).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]));
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function startBare(): Promise<{ url: string; stats: () => TargetStats; stop: () => Promise<void> }> {
  const vr = new twiml.VoiceResponse();
  vr.dial({ timeout: 40, answerOnBridge: true, action: '/voice/follow-me/dial-action?step=0' }).number('+15551230001');
  const { server, url } = await listen(bareTwimlApp(vr.toString()));
  return { url, stats: () => ({ type: 'stats', cpuMs: cpuMs() }), stop: () => closeServer(server) };
}

async function startApp(args: Args): Promise<{ url: string; stats: () => TargetStats; stop: () => Promise<void> }> {
  const server = http.createServer();
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    PUBLIC_BASE_URL: url,
    TWILIO_ACCOUNT_SID: BENCH_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
    ...(args['api-base-url'] ? { TWILIO_API_BASE_URL: args['api-base-url'] } : {}),
    ...(args.store === 'redis' ? { REDIS_URL: args['redis-url'], REDIS_PREFIX: args.prefix } : {}),
    LOG_LEVEL: args.logs === 'silent' ? 'silent' : 'info',
  });
  // Production logs at info; here the lines are serialized and written to /dev/null.
  const logger = args.logs === 'silent' ? silentLogger : createLogger('info', pino.destination({ dest: '/dev/null', sync: false }));
  const store = createStore(config, logger);
  await store.ping();
  await seedOwner(store, args.mode as Mode);
  const background = new Background(logger);
  const base = { config, store, logger, clock: systemClock, background };
  const notifier = new WebhookNotifier(base);
  const twilio = args.gateway === 'stub' ? stubGateway() : createTwilioGateway(config, logger);
  const deps: AppDeps = { ...base, notifier, ...(twilio ? { twilio } : {}) };
  const sweeper = createDeadlineSweeper(deps);
  server.on('request', createApp(deps));
  sweeper.start();
  return {
    url,
    stats: () => ({ type: 'stats', cpuMs: cpuMs(), backgroundPending: background.size }),
    async stop() {
      await closeServer(server);
      await sweeper.stop();
      await store.close();
    },
  };
}

async function startEmulator(): Promise<{ url: string; stats: () => TargetStats; stop: () => Promise<void> }> {
  const emulator = new TwilioEmulator({ accountSid: BENCH_ACCOUNT_SID, authToken: BENCH_AUTH_TOKEN, clock: new VirtualClock() });
  emulator.verifyCallerId(BUSINESS_NUMBER);
  await emulator.start();
  return { url: emulator.apiBaseUrl, stats: () => ({ type: 'stats', cpuMs: cpuMs(), restRequests: emulator.restRequests.length }), stop: () => emulator.close() };
}

async function startFloor(args: Args): Promise<{ url: string; stats: () => TargetStats; stop: () => Promise<void> }> {
  const floor = await startExtendRingFloor(args['api-base-url'] ?? '', Number(args.legs));
  return { url: floor.url, stats: () => ({ type: 'stats', cpuMs: cpuMs(), backgroundPending: floor.pending() }), stop: () => closeServer(floor.server) };
}

/** Answers every REST request at once, in process: what Extend Ring costs without the REST client's work (diagnostic). */
function stubGateway(): TwilioGateway {
  let next = 0;
  return {
    placeCall: async () => ({ sid: `CA${(next++).toString(16).padStart(32, '0')}` }),
    endCall: async (_sid, status) => status,
    callStatus: async () => undefined,
    redirectCall: async () => true,
    dequeueCaller: async () => true,
    recording: async () => undefined,
    deleteQueue: async () => true,
  };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const start = { bare: startBare, emulator: startEmulator, floor: startFloor }[args.role ?? ''] ?? startApp;
  const target = await start(args);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stats') process.send?.(target.stats());
    if (message.type === 'stop') void target.stop().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url: target.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench target failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
