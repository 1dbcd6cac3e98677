import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../app';
import { Background } from '../../background';
import { loadConfig, type Config } from '../../config';
import type { AppDeps } from '../../deps';
import type { CallbackRequest, CallRecord, Voicemail } from '../../domain/types';
import { createDeadlineSweeper } from '../../extend-ring/deadline';
import type { DeadlineSweeper } from '../../extend-ring/sweeper';
import { createLogger, type Logger } from '../../log';
import { MemoryStore } from '../../store/memory';
import { createTwilioGateway } from '../../twilio/client';
import type { TwilioGateway } from '../../twilio/gateway';
import { ACTION_GRACE_MS } from '../../voice/status';
import { VoicePath } from '../../voice/urls';
import { TwilioEmulator } from '../emulator';
import type { CallOutcome, CalleeScript, LegView, RecordingView, TimelineEntry } from '../types';
import { DEFAULT_VIRTUAL_START, VirtualClock } from '../virtual-clock';
import { describeOutcome } from './outcome';
import { loadScenarios } from './registry';
import type { Scenario } from './types';

/** How often the in-process app claims due max-hold deadlines, in virtual time (DESIGN: within 1 s). */
const SWEEP_INTERVAL_MS = 1000;

export class UnknownScenarioError extends Error {
  constructor(readonly scenario: string) {
    super(`no scenario named "${scenario}"`);
    this.name = 'UnknownScenarioError';
  }
}

export interface RunOptions {
  /** Show what each party heard (Say, Play, Pause) in the timeline text. */
  verbose?: boolean;
  /** The app's log level (default: silent). */
  logLevel?: Config['logLevel'];
  /** Twilio REST access for the app (default: the production gateway, pointed at the emulator's REST API). */
  gateway?: (config: Config, logger: Logger) => TwilioGateway | undefined;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  /** The emulator's timeline, one event per line. */
  readonly timeline: string;
  readonly entries: readonly TimelineEntry[];
  /** Where the caller ended up; undefined if the call was still live when maxSeconds ran out. */
  readonly outcome?: CallOutcome;
  /** The outcome in a sentence. */
  readonly summary: string;
  /** Virtual epoch ms when the call was placed. */
  readonly startedAt: number;
  readonly legs: readonly LegView[];
  readonly recordings: readonly RecordingView[];
  /** What the app stored (GET /api/voicemails as the administrator). */
  readonly voicemails: readonly Voicemail[];
  /** Callback numbers callers left (GET /api/callbacks as the administrator). */
  readonly callbacks: readonly CallbackRequest[];
  /** The call log (GET /api/calls as the administrator): outcome and timeline of each call, as the owner sees it. */
  readonly calls: readonly CallRecord[];
}

/**
 * Plays a scenario against the real app, in process and wired like server.ts: the embedded store, the REST
 * gateway (TWILIO_API_BASE_URL = the emulator's API), the deadline sweeper, a VirtualClock shared with the
 * emulator, fresh credentials, PUBLIC_BASE_URL = the app's own ephemeral port. The user and rules are
 * created through the app's management API, the call is played by the emulator, everything is closed after.
 */
export async function runScenario(nameOrScenario: string | Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const scenario = typeof nameOrScenario === 'string' ? findScenario(nameOrScenario) : nameOrScenario;
  const world = await startWorld(scenario, options);
  try {
    const number = await world.setUp();
    configureCallees(world.em, scenario);
    const { from, ...caller } = scenario.caller;
    const call = await world.em.placeCall({ from, to: number, caller });
    await world.em.run(scenario.maxSeconds === undefined ? {} : { maxSeconds: scenario.maxSeconds });
    // a call that ended may still wait for its last action (voice/status.ts): its outcome is settled once the grace is over
    if (call.endedAt !== undefined) await world.em.advance((ACTION_GRACE_MS + 2 * SWEEP_INTERVAL_MS) / 1000);
    const outcome = call.outcome;
    const callbacks = await world.api<{ items: CallbackRequest[] }>('GET', '/api/callbacks?pageSize=100').then((p) => p.items);
    return {
      scenario,
      timeline: world.em.formatTimeline({ verbose: options.verbose ?? false }),
      entries: [...world.em.timeline],
      ...(outcome ? { outcome } : {}),
      summary: describeOutcome(call, world.em, callbacks),
      startedAt: call.startedAt,
      legs: world.em.legs(),
      recordings: world.em.recordings(),
      voicemails: await world.api<{ items: Voicemail[] }>('GET', '/api/voicemails?pageSize=100').then((p) => p.items),
      callbacks,
      calls: await world.api<{ items: CallRecord[] }>('GET', '/api/calls?pageSize=100').then((p) => p.items),
    };
  } finally {
    await world.close();
  }
}

export function findScenario(name: string): Scenario {
  const scenario = loadScenarios().get(name);
  if (!scenario) throw new UnknownScenarioError(name);
  return scenario;
}

interface World {
  readonly em: TwilioEmulator;
  /** Creates the user and rules through the API and configures the number; returns the number to call. */
  setUp(): Promise<string>;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

async function startWorld(scenario: Scenario, options: RunOptions): Promise<World> {
  const clock = new VirtualClock(scenario.at ? parseInstant(scenario.at) : DEFAULT_VIRTUAL_START);
  const credentials = freshCredentials();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let app: { deps: AppDeps; sweeper: DeadlineSweeper } | undefined;
  const em = new TwilioEmulator({
    ...scenario.emulator, accountSid: credentials.accountSid, authToken: credentials.authToken, clock,
    quiesce: async () => {
      await app?.deps.background.idle();
      await app?.sweeper.idle();
    },
  });
  await em.start();
  const deps = appDeps({ clock, baseUrl, credentials, apiBaseUrl: em.apiBaseUrl }, options);
  const sweeper = createDeadlineSweeper(deps, { intervalMs: SWEEP_INTERVAL_MS });
  app = { deps, sweeper };
  server.on('request', createApp(deps));
  sweeper.start();
  const api = apiClient(baseUrl, credentials.adminToken);
  return {
    em,
    api,
    setUp: () => createOwner(scenario, api, em, baseUrl),
    async close() {
      await em.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sweeper.stop();
      await deps.background.idle();
      await deps.store.close();
    },
  };
}

interface Setting {
  clock: VirtualClock;
  baseUrl: string;
  credentials: Credentials;
  apiBaseUrl: string;
}

/** The app's dependencies, configured the way an operator would, pointed at the emulator. */
function appDeps({ clock, baseUrl, credentials, apiBaseUrl }: Setting, options: RunOptions): AppDeps {
  const config = loadConfig({
    PORT: new URL(baseUrl).port, PUBLIC_BASE_URL: baseUrl, TWILIO_ACCOUNT_SID: credentials.accountSid,
    TWILIO_AUTH_TOKEN: credentials.authToken, TWILIO_API_BASE_URL: apiBaseUrl, ADMIN_TOKEN: credentials.adminToken,
    LOG_LEVEL: options.logLevel ?? 'silent',
  });
  const logger = createLogger(config.logLevel, process.stderr);
  const twilio = (options.gateway ?? createTwilioGateway)(config, logger);
  return {
    config, logger, clock,
    store: new MemoryStore(() => clock.now()),
    background: new Background(logger),
    ...(twilio ? { twilio } : {}),
  };
}

async function createOwner(scenario: Scenario, api: World['api'], em: TwilioEmulator, baseUrl: string): Promise<string> {
  const user = await api<{ id: string }>('POST', '/api/users', { ...scenario.user, canManageRules: true });
  for (const rule of scenario.rules) await api('POST', '/api/rules', { ...rule, userId: user.id });
  const number = scenario.user.numbers[0];
  em.configureNumber(number, {
    voiceUrl: baseUrl + VoicePath.Incoming,
    statusCallback: baseUrl + VoicePath.Status,
    fallbackUrl: baseUrl + VoicePath.Fallback,
    label: `${scenario.user.name}'s number`,
  });
  return number;
}

/** Scripts as given, named after the rule's destination labels; labelled destinations without a script never answer. */
function configureCallees(em: TwilioEmulator, scenario: Scenario): void {
  const labels = new Map<string, string>();
  for (const rule of scenario.rules) {
    for (const step of rule.steps) {
      for (const d of step.destinations) if (d.label) labels.set(d.type === 'client' ? `client:${d.to}` : d.to, d.label);
    }
  }
  const withLabel = (target: string, s: CalleeScript): CalleeScript => ({ ...s, label: s.label ?? labels.get(target) });
  for (const [target, script] of Object.entries(scenario.callees)) {
    em.callee(target, Array.isArray(script) ? script.map((s) => withLabel(target, s)) : withLabel(target, script));
  }
  for (const [target, label] of labels) {
    if (!(target in scenario.callees)) em.callee(target, { kind: 'no-answer', label });
  }
}

function apiClient(baseUrl: string, adminToken: string): World['api'] {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

interface Credentials {
  accountSid: string;
  authToken: string;
  adminToken: string;
}

/** Credentials that exist only for this run: the emulator signs with them, the app checks them. */
function freshCredentials(): Credentials {
  return {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    adminToken: randomBytes(24).toString('base64url'),
  };
}

function parseInstant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`scenario start time "${iso}" is not an ISO 8601 instant`);
  return ms;
}
