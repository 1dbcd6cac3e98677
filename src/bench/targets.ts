import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TargetStats } from './target';

/** A benchmark target running in a child process (see target.ts): its URL, its counters, and a way to stop it. */
export interface Target {
  readonly url: string;
  stats(): Promise<TargetStats>;
  stop(): Promise<void>;
}

export type TargetSpec =
  | { role: 'bare' }
  | { role: 'emulator' }
  /** floor.ts: static <Enqueue> plus `legs` raw calls.create per call (diagnostic). */
  | { role: 'floor'; legs: number; apiBaseUrl?: string }
  | {
    role: 'app'; mode: 'followMe' | 'extendRing'; store: 'memory' | 'redis'; redisUrl?: string; prefix?: string;
    /** stub: calls.create answered at once in process (no emulator); default: the REST gateway to the emulator. */
    gateway?: 'stub'; apiBaseUrl?: string; logs: 'info' | 'silent';
  };

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const live = new Set<ChildProcess>();

/** Children never outlive the bench, even when it fails. */
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function argvOf(spec: TargetSpec): string[] {
  const args: Record<string, string | number | undefined> = { ...spec };
  return Object.entries(args).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}=${v}`);
}

/** Forks target.js with the spec and resolves once it listens. */
export function startTarget(spec: TargetSpec): Promise<Target> {
  const child = fork(path.join(__dirname, 'target.js'), argvOf(spec), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench target ${spec.role} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench target ${spec.role} exited (code ${code}) before it was ready`));
    });
    child.once('message', (message: { type?: string; url?: string }) => {
      clearTimeout(timer);
      if (message.type !== 'ready' || !message.url) return reject(new Error(`bench target ${spec.role}: unexpected first message`));
      child.removeAllListeners('exit');
      child.on('exit', () => live.delete(child));
      resolve(targetOf(child, message.url));
    });
  });
}

function targetOf(child: ChildProcess, url: string): Target {
  return {
    url,
    stats: () => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bench target did not answer a stats request')), STOP_TIMEOUT_MS);
      child.once('message', (message: TargetStats) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.send({ type: 'stats' });
    }),
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.send({ type: 'stop' });
    }),
  };
}

/** Starts the targets of one scenario (the emulator first, when Extend Ring needs its REST API), runs `fn`, stops them all. */
export async function withTargets<T>(
  spec: TargetSpec, fn: (target: Target, emulator?: Target) => Promise<T>,
): Promise<T> {
  const needsEmulator = spec.role === 'floor' || (spec.role === 'app' && spec.mode === 'extendRing' && spec.gateway !== 'stub');
  const emulator = needsEmulator ? await startTarget({ role: 'emulator' }) : undefined;
  try {
    const target = await startTarget(emulator && (spec.role === 'app' || spec.role === 'floor') ? { ...spec, apiBaseUrl: emulator.url } : spec);
    try {
      return await fn(target, emulator);
    } finally {
      await target.stop();
    }
  } finally {
    await emulator?.stop();
  }
}
