import autocannon from 'autocannon';
import { CallSids, INCOMING_PATH, signedIncoming } from './fixtures';
import { paced } from './paced';
import { percentile } from './stats';
import { withTargets, type Target, type TargetSpec } from './targets';

/**
 * /voice/incoming under load (autocannon): saturating throughput with 50 connections, and latency at a steady
 * request rate. Every request is a new call (unique CallSid) signed like Twilio signs it.
 */

export interface ThroughputOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  logs: 'info' | 'silent';
  /** Absent: Redis is unreachable, only the memory store runs. */
  redis?: { url: string; prefix: string };
}

export interface LatencyOptions extends ThroughputOptions {
  rate: number;
}

/** extendRingStubbed: Extend Ring with a gateway that answers calls.create at once without any I/O (diagnostic: the cost of REST). */
export type Scenario = 'bare' | 'followMe' | 'extendRing' | 'extendRingStubbed';

export interface ThroughputRow {
  scenario: Scenario;
  store: 'none' | 'memory' | 'redis';
  reqPerSec: number;
  requests: number;
  non2xx: number;
  /** Answers without the scenario's TwiML verb (non-2xx included): a fallback answer must not count as throughput. */
  wrongTwiml: number;
  /** Connection errors, timeouts (no answer within autocannon's 10 s) included. */
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** CPU time the target process used per answered request during the measured run (less sensitive to a busy machine than req/s). */
  cpuMsPerRequest: number;
  /** Extend Ring: the emulator's CPU time per answered request (Twilio's side, which shares this machine here). */
  emulatorCpuMsPerRequest?: number;
  /** Extend Ring: calls.create requests the emulator received while the measured run lasted. */
  legsPlaced?: number;
  /** Extend Ring: background tasks (placing legs) still pending when the run ended. */
  backlogAtEnd?: number;
}

export interface LatencyRow {
  scenario: Scenario;
  store: 'memory' | 'redis';
  /** paced: open loop, one request every 1000/rate ms; autocannon: overallRate (each second's quota sent as a burst). */
  generator: 'paced' | 'autocannon';
  rate: number;
  /** autocannon: its connections; paced: none (as many sockets as requests in flight). */
  connections?: number;
  /** The rate actually achieved (answers / duration): below `rate` when the app could not keep up. */
  achievedPerSec: number;
  requests: number;
  /** Answers without the expected TwiML verb, non-2xx included. */
  bad: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** paced: the generator's own worst lag behind schedule (a busy machine delays the sending too). */
  maxSendLagMs?: number;
}

/** autocannon's overallRate run uses this many connections (the latency part's second generator). */
const RATE_CONNECTIONS = 10;

const sids = new CallSids();

interface LoadOptions {
  /** A TwiML verb every answer must contain, e.g. '<Enqueue'. */
  verb: string;
  connections: number;
  durationS: number;
  overallRate?: number;
  onResponseTime?: (ms: number) => void;
}

/** One autocannon run against a target's /voice/incoming; each request gets a fresh CallSid and its own signature. */
function load(url: string, options: LoadOptions): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      connections: options.connections,
      duration: options.durationS,
      ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      verifyBody: (body) => typeof body === 'string' && body.includes(options.verb),
      requests: [{
        method: 'POST',
        path: INCOMING_PATH,
        setupRequest: (request) => ({ ...request, ...signedIncoming(url, sids.next()) }),
      }],
    }, (err, result) => (err ? reject(err) : resolve(result)));
    const record = options.onResponseTime;
    if (record) instance.on('response', (_client, _status, _bytes, ms) => record(ms));
  });
}

const EXPECTED_VERB: Record<Scenario, string> = { bare: '<Dial', followMe: '<Dial', extendRing: '<Enqueue', extendRingStubbed: '<Enqueue' };

/** One signed request before the load: the target must answer 200 text/xml with the scenario's TwiML verb. */
async function preflight(target: Target, scenario: Scenario): Promise<void> {
  const { body, headers } = signedIncoming(target.url, sids.next());
  const response = await fetch(target.url + INCOMING_PATH, { method: 'POST', body, headers });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.includes('xml') || !text.includes(EXPECTED_VERB[scenario])) {
    throw new Error(`${scenario}: /voice/incoming answered ${response.status} ${type}: ${text.slice(0, 300)}`);
  }
}

function specOf(scenario: Scenario, store: 'memory' | 'redis', options: ThroughputOptions, prefix: string): TargetSpec {
  if (scenario === 'bare') return { role: 'bare' };
  const app = {
    role: 'app' as const, mode: scenario === 'followMe' ? 'followMe' as const : 'extendRing' as const, logs: options.logs,
    ...(scenario === 'extendRingStubbed' ? { gateway: 'stub' as const } : {}),
  };
  return store === 'redis' && options.redis
    ? { ...app, store, redisUrl: options.redis.url, prefix }
    : { ...app, store: 'memory' };
}

/** Warm-up, then the measured saturating run. */
async function saturate(scenario: Scenario, store: ThroughputRow['store'], options: ThroughputOptions, prefix: string): Promise<ThroughputRow> {
  return withTargets(specOf(scenario, store === 'redis' ? 'redis' : 'memory', options, prefix), async (target, emulator) => {
    await preflight(target, scenario);
    const verb = EXPECTED_VERB[scenario];
    await load(target.url, { verb, connections: options.connections, durationS: options.warmupS });
    const [before, emuBefore] = [await target.stats(), await emulator?.stats()];
    const result = await load(target.url, { verb, connections: options.connections, durationS: options.durationS });
    const [after, emuAfter] = [await target.stats(), await emulator?.stats()];
    const answered = Math.max(1, result.requests.total);
    return {
      scenario, store,
      reqPerSec: result.requests.average,
      requests: result.requests.total,
      non2xx: result.non2xx,
      wrongTwiml: result.mismatches,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyP50Ms: result.latency.p50,
      latencyP99Ms: result.latency.p99,
      cpuMsPerRequest: (after.cpuMs - before.cpuMs) / answered,
      ...(emuBefore && emuAfter ? {
        emulatorCpuMsPerRequest: (emuAfter.cpuMs - emuBefore.cpuMs) / answered,
        legsPlaced: (emuAfter.restRequests ?? 0) - (emuBefore.restRequests ?? 0),
      } : {}),
      ...(after.backgroundPending !== undefined && scenario !== 'followMe' ? { backlogAtEnd: after.backgroundPending } : {}),
    };
  });
}

/**
 * Part 1: the bare Express baseline, then Follow Me, Extend Ring and (diagnostic) Extend Ring with a stubbed REST
 * gateway, each on the memory store and (when reachable) Redis.
 */
export async function runThroughput(options: ThroughputOptions, progress: (line: string) => void): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const stores: Array<'memory' | 'redis'> = options.redis ? ['memory', 'redis'] : ['memory'];
  const plan: Array<[Scenario, ThroughputRow['store']]> = [['bare', 'none']];
  for (const scenario of ['followMe', 'extendRing', 'extendRingStubbed'] as const) for (const store of stores) plan.push([scenario, store]);
  for (const [index, [scenario, store]] of plan.entries()) {
    progress(`throughput: ${scenario} (${store}), ${options.warmupS} s warm-up + ${options.durationS} s …`);
    rows.push(await saturate(scenario, store, options, `${options.redis?.prefix ?? ''}tp${index}:`));
  }
  return rows;
}

/**
 * Part 2: latency at a steady request rate, Follow Me and Extend Ring on Redis: the paced open-loop generator
 * (the verdict), then autocannon overallRate over RATE_CONNECTIONS connections for comparison.
 */
export async function runLatency(options: LatencyOptions, progress: (line: string) => void): Promise<LatencyRow[]> {
  if (!options.redis) return [];
  const rows: LatencyRow[] = [];
  for (const [index, scenario] of (['followMe', 'extendRing'] as const).entries()) {
    progress(`latency: ${scenario} (redis) at ${options.rate} req/s, ${options.durationS} s paced + ${options.durationS} s autocannon …`);
    const prefix = `${options.redis.prefix}lat${index}:`;
    rows.push(...await withTargets(specOf(scenario, 'redis', options, prefix), (target) => steadyRuns(target, scenario, options)));
  }
  return rows;
}

async function steadyRuns(target: Target, scenario: Scenario, options: LatencyOptions): Promise<LatencyRow[]> {
  await preflight(target, scenario);
  const verb = EXPECTED_VERB[scenario];
  const { rate, durationS } = options;
  const common = { scenario, store: 'redis' as const, rate };
  await paced(target.url, { rate, durationS: options.warmupS, verb });
  const open = await paced(target.url, { rate, durationS, verb });
  const times: number[] = [];
  const result = await load(target.url, { verb, connections: RATE_CONNECTIONS, overallRate: rate, durationS, onResponseTime: (ms) => times.push(ms) });
  times.sort((a, b) => a - b);
  return [
    {
      ...common, generator: 'paced', achievedPerSec: (open.times.length * 1000) / open.elapsedMs, requests: open.sent, bad: open.bad, errors: open.errors,
      ...spread(open.times), maxSendLagMs: open.maxSendLagMs,
    },
    {
      ...common, generator: 'autocannon', connections: RATE_CONNECTIONS, achievedPerSec: result.requests.total / durationS,
      requests: result.requests.total, bad: result.mismatches, errors: result.errors, ...spread(times),
    },
  ];
}

function spread(sorted: readonly number[]): Pick<LatencyRow, 'p50Ms' | 'p90Ms' | 'p99Ms' | 'maxMs'> {
  return { p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? Number.NaN };
}
