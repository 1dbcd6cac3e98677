import { Writable } from 'node:stream';
import type { DeadlineSweeper } from '../../src/extend-ring/sweeper';
import { createLogger, type Logger } from '../../src/log';
import type { VirtualClock } from '../../src/simulator/virtual-clock';

/** Every time a deadline fired: which call, on which sweeper, at what virtual time. */
export interface Firing {
  callSid: string;
  sweeper: string;
  at: number;
}

/**
 * Plays virtual time up to `target`, timer by timer; after each, lets the sweepers finish the tick it started
 * (their store round trips take real time, and virtual time must not run ahead of them meanwhile).
 */
export async function playUntil(clock: VirtualClock, sweepers: readonly DeadlineSweeper[], target: number): Promise<void> {
  for (let due = clock.nextDueAt(); due !== undefined && due <= target; due = clock.nextDueAt()) {
    clock.runNext();
    await Promise.all(sweepers.map((sweeper) => sweeper.idle()));
  }
  clock.advanceTo(target);
}

/** A logger whose JSON lines the test can read. */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger('debug', sink), lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
