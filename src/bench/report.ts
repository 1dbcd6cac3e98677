import fs from 'node:fs';
import type { LatenessRow } from './lateness';
import type { MachineInfo } from './machine';
import type { MemoryResult } from './memory';
import type { LatencyRow } from './latency';
import type { Scenario, ThroughputRow } from './throughput';

/** Targets from the brief: what each part is judged against. */
export const TARGETS = Object.freeze({ ratioToBare: 0.7, p99Ms: 10, latenessMs: 1000, bytesPerHunt: 2048 });

export interface BenchSettings {
  quick: boolean;
  durationS: number;
  warmupS: number;
  connections: number;
  rate: number;
  latenessHunts: number;
  latenessSpreadS: number;
  memoryHunts: number;
  logs: 'info' | 'silent';
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  settings: BenchSettings;
  machine: MachineInfo;
  throughput: ThroughputRow[];
  latency: LatencyRow[];
  lateness: LatenessRow[];
  memory?: MemoryResult;
  /** Parts not run, and why. */
  skipped: string[];
}

const SCENARIO_NAMES: Record<Scenario, string> = {
  bare: 'bare Express', followMe: 'Follow Me', extendRing: 'Extend Ring', extendRingStubbed: 'Extend Ring, REST stubbed (diag.)',
  extendRingFloor: 'Extend Ring floor (diag.)',
};

const num = (value: number | undefined, digits = 0): string =>
  value === undefined || Number.isNaN(value) ? '-' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean): string => (ok ? 'pass' : 'MISS');

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatMachine(m: MachineInfo): string {
  const lines = [
    'Machine',
    `  CPU        ${m.cpuModel} x ${m.cpus}`,
    `  memory     ${m.totalMemoryGiB} GiB`,
    `  Node       ${m.node} (${m.platform})`,
    `  Redis      ${m.redisVersion ? `${m.redisVersion} at ${m.redisUrl}` : `unreachable at ${m.redisUrl}`}`,
    `  load avg   ${m.loadAverage1m.toFixed(2)} (1 min), ${m.loadAverage5m.toFixed(2)} (5 min) at start`,
  ];
  if (m.busy) {
    lines.push(`  WARNING: the 1-minute load average (${m.loadAverage1m.toFixed(2)}) exceeds the ${m.cpus} cores: other work competes`,
      '           for the CPU, so the numbers below are pessimistic and noisy.');
  }
  return lines.join('\n');
}

export function formatThroughput(rows: BenchResults['throughput'], s: BenchSettings): string {
  const body = rows.map((r) => [
    SCENARIO_NAMES[r.scenario], r.store, num(r.ours.reqPerSec), num(r.bare.reqPerSec), `${num(r.ratioToBare, 2)} ${verdict(r.ratioToBare >= TARGETS.ratioToBare)}`,
    num(r.ours.requests), num(r.wrongTwiml), num(r.errors), num(r.ours.cpuMsPerRequest, 3), num(r.bare.cpuMsPerRequest, 3),
    num(r.legsPlaced), num(r.drainSeconds, 1), num(r.emulatorCpuMsPerRequest, 2),
  ]);
  const rounds = rows[0]?.rounds ?? 0;
  return [
    `1. /voice/incoming throughput: ${s.connections} connections, every request a new call, signed. Each scenario against its own bare`,
    `   Express app, loaded in turn: ${s.warmupS} s warm-up each, then ${rounds} rounds of ${num(s.durationS / rounds, 1)} s each (bare, ours, bare, ours …)`,
    table(['scenario', 'store', 'req/s', 'bare req/s', 'ours/bare', 'requests', 'bad', 'errors', 'CPU ms/req', 'bare CPU', 'legs placed', 'drain s', 'emulator CPU'], body),
    `  target: ours/bare >= ${TARGETS.ratioToBare}. The app runs wired like server.ts (REST gateway, notifier, deadline sweeper),`,
    `  logging at ${s.logs === 'info' ? 'info (as in production) to /dev/null' : 'nothing (--silent-logs)'}. The bare app is the minimal Express Twilio webhook:`,
    '  express.urlencoded() and static TwiML (no signature, no store, no log). Alternating rounds a few seconds apart see the',
    '  same machine: its speed drifts by 2-3x within minutes, which separate runs would put into the ratio.',
    '  "bad" = answers without the expected TwiML verb (<Dial>, <Enqueue>), non-2xx included; "errors" include timeouts (10 s).',
    '  "CPU ms/req" = CPU time of the process per answer (1000 / it = what one core could answer), ours and the bare app\'s.',
    '  Extend Ring: each call places step 0 (2 legs) through REST (calls.create) to the emulator\'s fake REST API (own process)',
    '  in the background. After each round the app is given the time to finish placing its legs ("drain s", all rounds): that',
    '  time counts in its req/s, which is therefore what it sustains, legs included. The emulator\'s virtual clock is held,',
    '  so legs stay queued (no ringing, no status callbacks); "emulator CPU" = its CPU per answer (Twilio\'s side: it competes',
    '  for this machine\'s cores here, not in production). "REST stubbed" (diagnostic): the same app with a gateway that',
    '  answers calls.create in process at once: the gap to "Extend Ring" is the cost of the REST requests. "Extend Ring',
    '  floor" (diagnostic): the bare app answering static <Enqueue> TwiML that also posts the same calls.create to the',
    '  emulator with bare node:http (no signature, store, log or twilio client): the best ratio any Extend Ring app can',
    '  reach on this machine.',
  ].join('\n');
}

export function formatLatency(rows: readonly LatencyRow[], s: BenchSettings): string {
  const body = rows.map((r) => [
    SCENARIO_NAMES[r.scenario], r.store, num(r.achievedPerSec), num(r.requests), num(r.bad), num(r.errors),
    num(r.p50Ms, 2), num(r.p90Ms, 2), num(r.p99Ms, 2), num(r.maxMs, 2), r.scenario === 'bare' ? '(reference)' : verdict(r.p99Ms <= TARGETS.p99Ms),
  ]);
  const lag = Math.max(0, ...rows.map((r) => r.maxSendLagMs));
  return [
    `2. Latency at a steady ${s.rate} req/s (open loop), ${s.durationS} s after a warm-up`,
    table(['scenario', 'store', 'req/s done', 'requests', 'bad', 'errors', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', `p99 <= ${TARGETS.p99Ms} ms`], body),
    `  One request every ${num(1000 / s.rate, 1)} ms whether or not earlier ones were answered, as independent calls arrive; every`,
    '  request built (new CallSid, signed) before the run and written on an idle keep-alive socket at its time. A time runs',
    '  from that write to the last byte of the answer, client side on the same machine. The bare app is the reference: what',
    '  this machine costs at that rate with no app. "req/s done" = answers / time until the last answer: below the rate, the',
    '  app could not keep up and the times include the backlog that built up.',
    `  Generator's worst lag behind its schedule: ${num(lag, 1)} ms (a busy machine delays the sender too).`,
    ...(lag > 50 ? ['  WARNING: the generator itself fell behind by more than 50 ms: this machine was saturated while it ran, so these',
      '  latencies measure the contention at least as much as the app.'] : []),
  ].join('\n');
}

export function formatLateness(rows: readonly LatenessRow[]): string {
  const body = rows.map((r) => [
    r.store, num(r.hunts), num(r.spreadS, 1), num(r.sweepIntervalMs), num(r.fired), num(r.duplicates), num(r.storedLate),
    num(r.p50Ms), num(r.p99Ms), num(r.maxMs), verdict(r.maxMs <= TARGETS.latenessMs && r.fired === r.hunts && r.duplicates === 0),
  ]);
  return [
    '3. Max-hold deadline lateness (real clock): fired at − due, one DeadlineSweeper at its production interval',
    table(['store', 'hunts', 'spread s', 'tick ms', 'fired', 'twice', 'stored late', 'p50 ms', 'p99 ms', 'max ms', `max <= ${TARGETS.latenessMs} ms`], body),
    '  Measures the claim of each due deadline (onDue records the time), not the voicemail redirect that follows.',
    '  "stored late" counts deadlines the set-up stored after they were already due (their lateness is inflated).',
  ].join('\n');
}

export function formatMemory(m: MemoryResult): string {
  const worst = Math.max(m.perHuntInfoBytes, m.perHuntSampleBytes);
  const body = [
    ['INFO used_memory delta / hunts', num(m.perHuntInfoBytes), verdict(m.perHuntInfoBytes <= TARGETS.bytesPerHunt)],
    [`MEMORY USAGE, sample of ${m.sampleSize} hunts + deadline set share`, num(m.perHuntSampleBytes), verdict(m.perHuntSampleBytes <= TARGETS.bytesPerHunt)],
    ['call-log entry per call (kept 30 days; not part of the hold)', num(m.perCallLogInfoBytes), ''],
  ];
  const lines = [
    `4. Redis memory per Extend Ring hunt, ${num(m.hunts)} hunts held at once (2-step snapshot, 2 legs ringing, deadline)`,
    table(['measure', 'bytes', `<= ${TARGETS.bytesPerHunt} B`], body),
    `  verdict (worse of the two): ${num(worst)} B per hunt: ${verdict(worst <= TARGETS.bytesPerHunt)}`,
  ];
  const spread = Math.abs(m.perHuntInfoBytes - m.perHuntSampleBytes) / Math.max(1, m.perHuntSampleBytes);
  if (spread > 0.3) lines.push('  note: the two measures differ by more than 30%: other clients were probably writing to the same Redis meanwhile.');
  return lines.join('\n');
}

export function formatReport(r: BenchResults): string {
  const parts = [
    `Call Hunting Rules for Twilio: benchmark (${r.settings.quick ? 'quick' : 'full'} run, started ${r.startedAt})`,
    formatMachine(r.machine),
    formatThroughput(r.throughput, r.settings),
    r.latency.length > 0 ? formatLatency(r.latency, r.settings) : '2. Latency at a steady rate: not run',
    formatLateness(r.lateness),
    r.memory ? formatMemory(r.memory) : '4. Redis memory per hunt: skipped (needs Redis)',
  ];
  if (r.skipped.length > 0) parts.push(`Skipped:\n${r.skipped.map((s) => `  - ${s}`).join('\n')}`);
  return parts.join('\n\n');
}

export function writeJson(file: string, results: BenchResults): void {
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
