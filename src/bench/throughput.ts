import autocannon from 'autocannon';
import { CallSids, INCOMING_PATH, signedIncoming } from './fixtures';
import { withTargets, type Target, type TargetSpec } from './targets';

/**
 * /voice/incoming under saturating load (autocannon, 50 connections). Every request is a new call (unique CallSid)
 * signed like Twilio signs it.
 */

export interface ThroughputOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  logs: 'info' | 'silent';
  /** Absent: Redis is unreachable, only the memory store runs. */
  redis?: { url: string; prefix: string };
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

export const EXPECTED_VERB: Record<Scenario, string> = { bare: '<Dial', followMe: '<Dial', extendRing: '<Enqueue', extendRingStubbed: '<Enqueue' };

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

export function specOf(scenario: Scenario, store: 'memory' | 'redis', options: ThroughputOptions, prefix: string): TargetSpec {
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
