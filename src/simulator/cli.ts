import { MISSED_OUTCOMES } from '../notify/events';
import { loadScenarios } from './scenarios/registry';
import { runScenario, UnknownScenarioError, type ScenarioResult } from './scenarios/run';

export { runScenario } from './scenarios/run';

const USAGE = 'usage: npm run simulate -- <scenario> [--verbose] [--logs[=level]]   |   npm run simulate -- --list';

const KNOWN_FLAGS = new Set(['--list', '--help', '-h', '--verbose', '--logs']);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** `--logs` (info) or `--logs=<level>`: the app's log lines on stderr; undefined without it; an error for an unknown level. */
function logLevelOf(args: readonly string[]): LogLevel | undefined | Error {
  const flag = args.find((a) => a === '--logs' || a.startsWith('--logs='));
  if (!flag) return undefined;
  const level = flag === '--logs' ? 'info' : flag.slice('--logs='.length);
  return (LOG_LEVELS as readonly string[]).includes(level) ? level as LogLevel : new Error(`${flag}: the level is one of ${LOG_LEVELS.join(', ')}`);
}

/** `npm run simulate -- <scenario>`: plays a named scenario against the real app and prints what happened; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const flags = new Set(args.filter((a) => a.startsWith('-')));
  const logLevel = logLevelOf(args);
  if (logLevel instanceof Error) {
    process.stderr.write(`${logLevel.message}\n${USAGE}\n`);
    return 2;
  }
  const names = args.filter((a) => !a.startsWith('-'));
  const unknown = [...flags].filter((f) => !KNOWN_FLAGS.has(f) && !f.startsWith('--logs='));
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  if (flags.has('--list')) {
    process.stdout.write(`${scenarioList()}\n`);
    return 0;
  }
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`${USAGE}\n\nScenarios:\n${scenarioList()}\n`);
    return 0;
  }
  if (names.length !== 1) {
    process.stderr.write(`${USAGE}\n\nScenarios:\n${scenarioList()}\n`);
    return 2;
  }
  try {
    const verbose = flags.has('--verbose');
    process.stdout.write(report(await runScenario(names[0], { verbose, ...(logLevel ? { logLevel } : {}) }), verbose));
    return 0;
  } catch (err) {
    if (!(err instanceof UnknownScenarioError)) throw err;
    process.stderr.write(`Unknown scenario "${err.scenario}". Scenarios:\n${scenarioList()}\n`);
    return 2;
  }
}

function scenarioList(): string {
  const scenarios = [...loadScenarios().values()];
  const width = Math.max(0, ...scenarios.map((s) => s.name.length));
  return scenarios.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`).join('\n');
}

function report(result: ScenarioResult, verbose: boolean): string {
  const { scenario, voicemails, callbacks, calls } = result;
  const missed = calls.filter((c) => MISSED_OUTCOMES.has(c.outcome ?? '')).length;
  const rules = scenario.rules.map((r) => `“${r.name}” (${r.mode})`).join(', ');
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const stored = [
    count(voicemails.length, 'voicemail'),
    ...(callbacks.length ? [`${count(callbacks.length, 'callback request')} (${callbacks.map((c) => c.number).join(', ')})`] : []),
    ...(missed ? [`${count(missed, 'missed call')} in the call log`] : []),
  ].join(', ');
  return [
    `Scenario ${scenario.name}: ${scenario.description}`,
    `${scenario.user.name}'s number ${scenario.user.numbers[0]}, rules: ${rules}`,
    '',
    result.timeline,
    '',
    `Outcome: ${result.summary}`,
    `Stored for ${scenario.user.name}: ${stored}`,
    ...(verbose ? [] : ['(--verbose also shows what each party heard)']),
    '',
  ].join('\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`simulate failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
