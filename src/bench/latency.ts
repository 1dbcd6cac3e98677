import { paced } from './paced';
import { percentile } from './stats';
import { EXPECTED_VERB, preflight, specOf, type Scenario, type ThroughputOptions } from './throughput';
import { withTargets } from './targets';

/**
 * Part 2: latency at a steady request rate, measured with the paced open-loop generator (paced.ts): the bare
 * Express app first (what this machine's network stack, scheduler and garbage collector cost at that rate with
 * no app at all), then Follow Me and Extend Ring on the memory store and, when reachable, on Redis.
 */

export interface LatencyOptions extends ThroughputOptions {
  rate: number;
}

export interface LatencyRow {
  scenario: Scenario;
  store: 'none' | 'memory' | 'redis';
  rate: number;
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
  /** The generator's own worst lag behind schedule (a busy machine delays the sending too). */
  maxSendLagMs: number;
}

export async function runLatency(options: LatencyOptions, progress: (line: string) => void): Promise<LatencyRow[]> {
  const plan: Array<[Scenario, LatencyRow['store']]> = [['bare', 'none']];
  for (const store of options.redis ? ['memory', 'redis'] as const : ['memory'] as const) {
    for (const scenario of ['followMe', 'extendRing'] as const) plan.push([scenario, store]);
  }
  const rows: LatencyRow[] = [];
  for (const [index, [scenario, store]] of plan.entries()) {
    progress(`latency: ${scenario} (${store}) at ${options.rate} req/s, ${options.warmupS} s warm-up + ${options.durationS} s …`);
    const spec = specOf(scenario, store === 'redis' ? 'redis' : 'memory', options, `${options.redis?.prefix ?? ''}lat${index}:`);
    rows.push(await withTargets(spec, async (target) => {
      await preflight(target, scenario);
      const verb = EXPECTED_VERB[scenario];
      await paced(target.url, { rate: options.rate, durationS: options.warmupS, verb });
      const run = await paced(target.url, { rate: options.rate, durationS: options.durationS, verb });
      return {
        scenario, store, rate: options.rate,
        achievedPerSec: (run.times.length * 1000) / run.elapsedMs,
        requests: run.sent, bad: run.bad, errors: run.errors,
        p50Ms: percentile(run.times, 50), p90Ms: percentile(run.times, 90), p99Ms: percentile(run.times, 99),
        maxMs: run.times[run.times.length - 1] ?? Number.NaN,
        maxSendLagMs: run.maxSendLagMs,
      };
    }));
  }
  return rows;
}
