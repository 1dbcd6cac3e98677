import os from 'node:os';
import { Redis } from 'ioredis';

/** What the numbers were measured on. */
export interface MachineInfo {
  cpuModel: string;
  cpus: number;
  totalMemoryGiB: number;
  node: string;
  platform: string;
  loadAverage1m: number;
  loadAverage5m: number;
  /** The 1-minute load average exceeds the number of cores: other work competes for the CPU. */
  busy: boolean;
  redisUrl: string;
  /** Absent when Redis did not answer. */
  redisVersion?: string;
}

export function describeMachine(redisUrl: string, redisVersion: string | undefined): MachineInfo {
  const cpus = os.cpus();
  const [load1 = 0, load5 = 0] = os.loadavg();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    totalMemoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: load1,
    loadAverage5m: load5,
    busy: load1 > cpus.length,
    redisUrl,
    ...(redisVersion ? { redisVersion } : {}),
  };
}

/** A plain client for INFO, MEMORY USAGE and clean-up; undefined when Redis does not answer within a second or two. */
export async function connectBenchRedis(url: string): Promise<{ client: Redis; version: string } | undefined> {
  const client = new Redis(url, {
    lazyConnect: true, connectTimeout: 2000, commandTimeout: 5000, maxRetriesPerRequest: 1, retryStrategy: () => null,
  });
  client.on('error', (error: Error) => process.stderr.write(`bench Redis client: ${error.message}\n`));
  try {
    await client.connect();
    const info = await client.info('server');
    return { client, version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
  } catch (error) {
    client.disconnect();
    process.stderr.write(`Redis at ${url} does not answer: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}

/** Deletes every key under the prefix (SCAN + DEL, never KEYS). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) deleted += await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
