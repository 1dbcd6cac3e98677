import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app';
import { Background } from '../background';
import { loadConfig } from '../config';
import type { AppDeps } from '../deps';
import { hashToken } from '../domain/ids';
import type { Rule, UserRecord } from '../domain/types';
import { createDeadlineSweeper } from '../extend-ring/deadline';
import type { Logger } from '../log';
import { TwilioEmulator } from '../simulator/emulator';
import { DEFAULT_VIRTUAL_START, VirtualClock } from '../simulator/virtual-clock';
import { MemoryStore } from '../store/memory';
import { createTwilioGateway } from '../twilio/client';
import { VoicePath } from '../voice/urls';

/** How often the isolated app claims due max-hold deadlines, in virtual time (DESIGN: within 1 s). */
const SWEEP_INTERVAL_MS = 1000;

/**
 * A world of its own for one preview: the real app (createApp) on 127.0.0.1 with a fresh embedded store, no
 * notifier, credentials made for this preview alone, PUBLIC_BASE_URL = its own ephemeral port, the REST gateway
 * pointed at the emulator's API and a deadline sweeper — all on one VirtualClock shared with the emulator.
 * Nothing in it can reach the real store, real Twilio or a real notification webhook.
 */
export interface PreviewWorld {
  readonly em: TwilioEmulator;
  /** The isolated app's dependencies (its store holds the call log of the preview call). */
  readonly deps: AppDeps;
  /** Stores the owner and the rule and routes `number` to the app, as an operator would configure it. */
  seed(owner: UserRecord, rule: Rule, number: string): Promise<void>;
  /** Closes everything that was started, whatever state the preview is in; later calls wait for the first. */
  close(): Promise<void>;
}

/** Starts a preview world; on a failure half-way, closes what was already started and rethrows. */
export async function startPreviewWorld(logger: Logger): Promise<PreviewWorld> {
  const closers: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeAll([...closers].reverse()));
  try {
    return await build(logger, closers, close);
  } catch (err) {
    await close();
    throw err;
  }
}

async function build(logger: Logger, closers: Array<() => Promise<void>>, close: () => Promise<void>): Promise<PreviewWorld> {
  const clock = new VirtualClock(DEFAULT_VIRTUAL_START);
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const server = await listen();
  closers.push(() => closeServer(server));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let app: { deps: AppDeps; sweeperIdle: () => Promise<void> } | undefined;
  const em = new TwilioEmulator({
    accountSid, authToken, clock,
    quiesce: async () => {
      await app?.deps.background.idle();
      await app?.sweeperIdle();
    },
  });
  await em.start();
  closers.push(() => em.close());
  const config = loadConfig({
    PORT: new URL(baseUrl).port, PUBLIC_BASE_URL: baseUrl, TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: em.apiBaseUrl, LOG_LEVEL: 'silent',
  });
  const twilio = createTwilioGateway(config, logger);
  const store = new MemoryStore(() => clock.now());
  const background = new Background(logger);
  const deps: AppDeps = { config, logger, clock, store, background, ...(twilio ? { twilio } : {}) };
  closers.push(async () => {
    await background.idle();
    await store.close();
  });
  const sweeper = createDeadlineSweeper(deps, { intervalMs: SWEEP_INTERVAL_MS });
  app = { deps, sweeperIdle: () => sweeper.idle() };
  server.on('request', createApp(deps));
  sweeper.start();
  closers.push(() => sweeper.stop());
  return { em, deps, seed: (owner, rule, number) => seed(deps, em, baseUrl, { owner, rule, number }), close };
}

async function seed(deps: AppDeps, em: TwilioEmulator, baseUrl: string, world: { owner: UserRecord; rule: Rule; number: string }): Promise<void> {
  await deps.store.createUser(world.owner);
  await deps.store.saveRule(world.rule);
  em.configureNumber(world.number, {
    voiceUrl: baseUrl + VoicePath.Incoming,
    statusCallback: baseUrl + VoicePath.Status,
    fallbackUrl: baseUrl + VoicePath.Fallback,
    label: `${world.owner.name}'s number`,
  });
}

/** The owner as the isolated store keeps them: the given numbers, a token nobody holds. */
export function previewOwner(user: { id: string; name: string }, numbers: readonly string[], nowMs: number): UserRecord {
  const now = new Date(nowMs).toISOString();
  return {
    id: user.id, name: user.name, role: 'user', numbers: [...numbers], canManageRules: false,
    tokenHash: hashToken(randomBytes(32).toString('hex')), createdAt: now, updatedAt: now,
  };
}

/** Runs every closer, in order, even when one fails; then rethrows the first failure. */
async function closeAll(closers: Array<() => Promise<void>>): Promise<void> {
  const failures: unknown[] = [];
  for (const closeOne of closers) await closeOne().catch((err: unknown) => failures.push(err));
  if (failures.length > 0) throw failures[0];
}

async function listen(): Promise<http.Server> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
