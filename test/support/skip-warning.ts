/**
 * Says that tests are skipped, and why, where a developer sees it: straight to the terminal, since Jest does not show
 * the console output of a file whose tests were all skipped.
 */
export function warnSkipped(message: string): void {
  process.stderr.write(`\n  ⚠ SKIPPED: ${message}\n\n`);
}
