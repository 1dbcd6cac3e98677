import autocannon from 'autocannon';
import { CallSids, extendRingRule, INCOMING_PATH, signedIncoming } from './fixtures';
import { startTarget, withTargets, type Target, type TargetSpec } from './targets';

/**
 * /voice/incoming under saturating load (autocannon, 50 connections). Every request is a new call (unique CallSid)
 * signed like Twilio signs it. The bare app and the scenario run side by side and are loaded in alternating rounds
 * (bare, ours, bare, ours …): this machine's speed drifts by 2–3× within minutes, and rounds a few seconds apart see
 * the same machine, so their ratio holds where two runs a minute apart did not.
 */

export interface ThroughputOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  logs: 'info' | 'silent';
  /** Absent: Redis is unreachable, only the memory store runs. */
  redis?: { url: string; prefix: string };
}

/**
 * extendRingStubbed: Extend Ring with a gateway that answers calls.create at once without any I/O (diagnostic: the cost
 * of REST). extendRingFloor: the bare app plus step 0's calls.create, raw (floor.ts; diagnostic: the best any Extend
 * Ring app could do here).
 */
export type Scenario = 'bare' | 'followMe' | 'extendRing' | 'extendRingStubbed' | 'extendRingFloor';

/** Answers counted over the rounds of one side. */
export interface SideTotals {
  requests: number;
  /** Time under load, plus (ours) the time waiting for its leg placements to finish after each round. */
  seconds: number;
  reqPerSec: number;
  /** CPU time the process used per answer (1000 / it = what one core could answer). */
  cpuMsPerRequest: number;
}

export interface ThroughputRow {
  scenario: Exclude<Scenario, 'bare'>;
  /** none: the floor, which keeps nothing. */
  store: 'memory' | 'redis' | 'none';
  ours: SideTotals;
  /** The bare app, loaded in the rounds between ours. */
  bare: SideTotals;
  /** ours.reqPerSec / bare.reqPerSec. */
  ratioToBare: number;
  rounds: number;
  non2xx: number;
  /** Answers without the scenario's TwiML verb (non-2xx included): a fallback answer must not count as throughput. */
  wrongTwiml: number;
  /** Connection errors, timeouts (no answer within autocannon's 10 s) included. */
  errors: number;
  /** Extend Ring: calls.create requests the emulator received. */
  legsPlaced?: number;
  /** Extend Ring: time spent after the rounds waiting for leg placements still pending (counted in ours.seconds). */
  drainSeconds?: number;
  /** Extend Ring: the emulator's CPU time per answer (Twilio's side, which shares this machine here). */
  emulatorCpuMsPerRequest?: number;
}

const sids = new CallSids();

interface LoadOptions {
  /** A TwiML verb every answer must contain, e.g. '<Enqueue'. */
  verb: string;
  connections: number;
  durationS: number;
}

/** One autocannon run against a target's /voice/incoming; each request gets a fresh CallSid and its own signature. */
function load(url: string, options: LoadOptions): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url,
      connections: options.connections,
      duration: options.durationS,
      verifyBody: (body) => typeof body === 'string' && body.includes(options.verb),
      requests: [{
        method: 'POST',
        path: INCOMING_PATH,
        setupRequest: (request) => ({ ...request, ...signedIncoming(url, sids.next()) }),
      }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

export const EXPECTED_VERB: Record<Scenario, string> = {
  bare: '<Dial', followMe: '<Dial', extendRing: '<Enqueue', extendRingStubbed: '<Enqueue', extendRingFloor: '<Enqueue',
};

/** One signed request before the load: the target must answer 200 text/xml with the scenario's TwiML verb. */
export async function preflight(target: Target, scenario: Scenario): Promise<void> {
  const { body, headers } = signedIncoming(target.url, sids.next());
  const response = await fetch(target.url + INCOMING_PATH, { method: 'POST', body, headers });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.includes('xml') || !text.includes(EXPECTED_VERB[scenario])) {
    throw new Error(`${scenario}: /voice/incoming answered ${response.status} ${type}: ${text.slice(0, 300)}`);
  }
}

export function specOf(scenario: Scenario, store: ThroughputRow['store'], options: ThroughputOptions, prefix: string): TargetSpec {
  if (scenario === 'bare') return { role: 'bare' };
  if (scenario === 'extendRingFloor') return { role: 'floor', legs: extendRingRule().steps[0]?.destinations.length ?? 0 };
  const app = {
    role: 'app' as const, mode: scenario === 'followMe' ? 'followMe' as const : 'extendRing' as const, logs: options.logs,
    ...(scenario === 'extendRingStubbed' ? { gateway: 'stub' as const } : {}),
  };
  return store === 'redis' && options.redis
    ? { ...app, store, redisUrl: options.redis.url, prefix }
    : { ...app, store: 'memory' };
}

const DRAIN_POLL_MS = 20;
const DRAIN_LIMIT_MS = 60_000;

/** Waits until the app has no background task (leg placement) pending; resolves with the time it took, in s. */
async function drain(target: Target): Promise<number> {
  const started = performance.now();
  while ((await target.stats()).backgroundPending) {
    if (performance.now() - started > DRAIN_LIMIT_MS) throw new Error(`leg placements still pending after ${DRAIN_LIMIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  return (performance.now() - started) / 1000;
}

interface Round {
  result: autocannon.Result;
  cpuMs: number;
  /** Under load plus drainSeconds. */
  seconds: number;
  drainSeconds: number;
}

/** One loaded round of one side: its answers, the CPU its process used, and how long it took (drain included). */
async function round(target: Target, verb: string, options: Omit<LoadOptions, 'verb'>, waitForBackground: boolean): Promise<Round> {
  const before = await target.stats();
  const started = performance.now();
  const result = await load(target.url, { ...options, verb });
  const loaded = (performance.now() - started) / 1000;
  const drained = waitForBackground ? await drain(target) : 0;
  const after = await target.stats();
  return { result, cpuMs: after.cpuMs - before.cpuMs, seconds: loaded + drained, drainSeconds: drained };
}

function totals(rounds: readonly Round[]): SideTotals {
  const requests = rounds.reduce((sum, r) => sum + r.result.requests.total, 0);
  const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
  const cpuMs = rounds.reduce((sum, r) => sum + r.cpuMs, 0);
  return { requests, seconds, reqPerSec: requests / seconds, cpuMsPerRequest: cpuMs / Math.max(1, requests) };
}

/** Rounds of this length, as many as fit the measured duration (at least 2 of each side). */
const ROUND_S = 2;

/** How the measured duration is cut into alternating rounds: rounds of ROUND_S (less for short runs), at least 2 a side. */
function roundsOf(options: ThroughputOptions): { roundS: number; count: number } {
  const roundS = Math.min(ROUND_S, options.durationS / 2);
  return { roundS, count: Math.max(2, Math.round(options.durationS / roundS)) };
}

/** The scenario and the bare app side by side: warm-up, then alternating rounds. */
async function saturate(scenario: ThroughputRow['scenario'], store: ThroughputRow['store'], options: ThroughputOptions, prefix: string): Promise<ThroughputRow> {
  const bare = await startTarget({ role: 'bare' });
  try {
    return await withTargets(specOf(scenario, store, options, prefix), async (target, emulator) => {
      await Promise.all([preflight(target, scenario), preflight(bare, 'bare')]);
      const verb = EXPECTED_VERB[scenario];
      const background = scenario !== 'followMe';
      const { roundS, count } = roundsOf(options);
      const loadOptions = { connections: options.connections, durationS: roundS };
      await round(bare, EXPECTED_VERB.bare, { ...loadOptions, durationS: options.warmupS }, false);
      await round(target, verb, { ...loadOptions, durationS: options.warmupS }, background);
      const emuBefore = await emulator?.stats();
      const [ours, theirs]: [Round[], Round[]] = [[], []];
      for (let i = 0; i < count; i++) {
        theirs.push(await round(bare, EXPECTED_VERB.bare, loadOptions, false));
        ours.push(await round(target, verb, loadOptions, background));
      }
      const emuAfter = await emulator?.stats();
      const [o, b] = [totals(ours), totals(theirs)];
      const sum = (f: (r: autocannon.Result) => number): number => ours.reduce((acc, r) => acc + f(r.result), 0);
      return {
        scenario, store, ours: o, bare: b, ratioToBare: o.reqPerSec / b.reqPerSec, rounds: count,
        non2xx: sum((r) => r.non2xx), wrongTwiml: sum((r) => r.mismatches), errors: sum((r) => r.errors),
        ...(background ? { drainSeconds: ours.reduce((acc, r) => acc + r.drainSeconds, 0) } : {}),
        ...(emuBefore && emuAfter ? {
          legsPlaced: (emuAfter.restRequests ?? 0) - (emuBefore.restRequests ?? 0),
          emulatorCpuMsPerRequest: (emuAfter.cpuMs - emuBefore.cpuMs) / Math.max(1, o.requests),
        } : {}),
      };
    });
  } finally {
    await bare.stop();
  }
}

/**
 * Part 1: Follow Me, Extend Ring and (diagnostic) Extend Ring with a stubbed REST gateway, each on the memory store
 * and (when reachable) Redis, then (diagnostic) the Extend Ring floor, each against its own bare Express app in
 * alternating rounds.
 */
export async function runThroughput(options: ThroughputOptions, progress: (line: string) => void): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const stores: Array<'memory' | 'redis'> = options.redis ? ['memory', 'redis'] : ['memory'];
  const plan: Array<[ThroughputRow['scenario'], ThroughputRow['store']]> = [];
  for (const scenario of ['followMe', 'extendRing', 'extendRingStubbed'] as const) for (const store of stores) plan.push([scenario, store]);
  plan.push(['extendRingFloor', 'none']);
  for (const [index, [scenario, store]] of plan.entries()) {
    const { roundS, count } = roundsOf(options);
    progress(`throughput: ${scenario} (${store}) against bare Express: ${options.warmupS} s warm-up each, then ${count} rounds of ${roundS} s each, alternating …`);
    rows.push(await saturate(scenario, store, options, `${options.redis?.prefix ?? ''}tp${index}:`));
  }
  return rows;
}
