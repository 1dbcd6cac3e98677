import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app';
import { Background } from '../../src/background';
import { systemClock, type Clock } from '../../src/clock';
import { loadConfig, type Config } from '../../src/config';
import type { AppDeps } from '../../src/deps';
import { createDeadlineSweeper } from '../../src/extend-ring/deadline';
import type { DeadlineSweeper } from '../../src/extend-ring/sweeper';
import { silentLogger, type Logger } from '../../src/log';
import { WebhookNotifier, type RetryPolicy } from '../../src/notify/notifier';
import { MemoryStore } from '../../src/store/memory';
import type { Store } from '../../src/store/store';
import { createTwilioGateway } from '../../src/twilio/client';
import type { TwilioGateway } from '../../src/twilio/gateway';

export const TEST_AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const TEST_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface RunningApp {
  /** http://127.0.0.1:<port> — also the app's PUBLIC_BASE_URL, so signatures match. */
  readonly baseUrl: string;
  readonly config: Config;
  readonly deps: AppDeps;
  readonly server: http.Server;
  /** The app's deadline sweeper, when StartOptions.sweeper asked for one (running). */
  readonly sweeper?: DeadlineSweeper;
  close(): Promise<void>;
}

export interface StartOptions {
  store?: Store;
  clock?: Clock;
  logger?: Logger;
  /** Extra environment variables (strings, as in process.env). */
  env?: Record<string, string>;
  /** Close the store when the app closes (default true). */
  closeStore?: boolean;
  /** Retry policy of the app's notifier (default: DEFAULT_RETRY_POLICY). */
  notifyRetry?: RetryPolicy;
  /**
   * Twilio REST access (deps.twilio): a gateway, or 'env' for the production one, createTwilioGateway(config),
   * which reaches env.TWILIO_API_BASE_URL (e.g. the emulator's apiBaseUrl). Default: none.
   */
  twilio?: TwilioGateway | 'env';
  /** Start a deadline sweeper on the app's clock, as server.ts does (stopped by close()). */
  sweeper?: { intervalMs?: number };
}

/** Starts the real app on an ephemeral port, configured the way a user would configure it. */
export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const logger = options.logger ?? silentLogger;
  const store = options.store ?? new MemoryStore();
  const base = { config, store, logger, clock: options.clock ?? systemClock, background: new Background(logger) };
  const notifier = new WebhookNotifier(base, options.notifyRetry);
  const twilio = options.twilio === 'env' ? createTwilioGateway(config, logger) : options.twilio;
  const deps: AppDeps = { ...base, notifier, ...(twilio ? { twilio } : {}) };
  server.on('request', createApp(deps));
  const sweeper = options.sweeper ? createDeadlineSweeper(deps, options.sweeper) : undefined;
  sweeper?.start();
  return {
    baseUrl,
    config,
    deps,
    server,
    ...(sweeper ? { sweeper } : {}),
    async close() {
      await sweeper?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.background.idle();
      if (options.closeStore !== false) await store.close();
    },
  };
}
