import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { testEnvironment } from '../config';
import { runLatency } from './latency';
import { runLateness } from './lateness';
import { connectBenchRedis, deleteKeys, describeMachine } from './machine';
import { runMemory } from './memory';
import { formatReport, TARGETS, writeJson, type BenchResults, type BenchSettings } from './report';
import { runThroughput } from './throughput';

/**
 * `npm run bench`: a benchmark, not a test (nothing here asserts; targets are printed beside the numbers).
 *   --quick             2 s runs, 1,000 hunts: checks the bench works end to end
 *   --silent-logs       the app logs nothing (default: info level, as in production, written to /dev/null)
 *   --redis-url=URL     Redis to use (default REDIS_URL, else redis://127.0.0.1:6379); unreachable → Redis parts skipped
 *   --out=FILE          where the JSON goes (default bench-results.json in the current directory)
 * Progress goes to stderr, the report to stdout.
 */

/** A bad command line: reported without a stack. */
class UsageError extends Error {}

interface Cli {
  quick: boolean;
  silentLogs: boolean;
  redisUrl: string;
  out: string;
}

function parseCli(argv: readonly string[]): Cli {
  const value = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const known = /^--(quick|silent-logs|redis-url=.+|out=.+)$/;
  const unknown = argv.filter((a) => !known.test(a));
  if (unknown.length > 0) throw new UsageError(`unknown argument(s): ${unknown.join(' ')}; known: --quick --silent-logs --redis-url=URL --out=FILE`);
  return {
    quick: argv.includes('--quick'),
    silentLogs: argv.includes('--silent-logs'),
    redisUrl: value('redis-url') ?? testEnvironment().redisUrl,
    out: path.resolve(value('out') ?? 'bench-results.json'),
  };
}

function settingsOf(cli: Cli): BenchSettings {
  return cli.quick
    ? { quick: true, durationS: 2, warmupS: 1, connections: 50, rate: 200, latenessHunts: 1000, latenessSpreadS: 2, memoryHunts: 1000, logs: cli.silentLogs ? 'silent' : 'info' }
    : { quick: false, durationS: 10, warmupS: 3, connections: 50, rate: 200, latenessHunts: 2000, latenessSpreadS: 5, memoryHunts: 10_000, logs: cli.silentLogs ? 'silent' : 'info' };
}

const progress = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const s = settingsOf(cli);
  const redisConnection = await connectBenchRedis(cli.redisUrl);
  const redis = redisConnection ? { url: cli.redisUrl, prefix: `bench:${randomBytes(4).toString('hex')}:` } : undefined;
  const results: BenchResults = {
    startedAt: new Date().toISOString(), settings: s, machine: describeMachine(cli.redisUrl, redisConnection?.version),
    throughput: [], latency: [], lateness: [], skipped: [],
  };
  if (!redis) {
    const line = `Redis is unreachable at ${cli.redisUrl}: the Redis parts (Redis throughput and latency rows, Redis lateness, memory per hunt) are skipped`;
    progress(line);
    results.skipped.push(line);
  }
  try {
    results.throughput = await runThroughput({ durationS: s.durationS, warmupS: s.warmupS, connections: s.connections, logs: s.logs, ...(redis ? { redis } : {}) }, progress);
    results.latency = await runLatency({ durationS: s.durationS, warmupS: Math.min(2, s.warmupS), connections: s.connections, logs: s.logs, rate: s.rate, ...(redis ? { redis } : {}) }, progress);
    results.lateness = await runLateness({ hunts: s.latenessHunts, spreadMs: s.latenessSpreadS * 1000, leadMs: 2000, ...(redis ? { redis } : {}) }, progress);
    if (redis && redisConnection) results.memory = await runMemory({ hunts: s.memoryHunts, redis, client: redisConnection.client }, progress);
  } finally {
    if (redis && redisConnection) {
      const deleted = await deleteKeys(redisConnection.client, redis.prefix);
      progress(`removed ${deleted} Redis keys under ${redis.prefix}`);
      await redisConnection.client.quit();
    }
  }
  results.finishedAt = new Date().toISOString();
  process.stdout.write(`\n${formatReport(results)}\n\nTargets: ours/bare >= ${TARGETS.ratioToBare}, p99 <= ${TARGETS.p99Ms} ms, lateness <= ${TARGETS.latenessMs} ms, <= ${TARGETS.bytesPerHunt} B per hunt.\n`);
  writeJson(cli.out, results);
  process.stdout.write(`JSON written to ${cli.out}\n`);
}

main().then(() => process.exit(0), (err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`npm run bench: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
