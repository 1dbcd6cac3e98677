import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { testEnvironment } from '../../src/config';
import { warnSkipped } from './skip-warning';

/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (playwright never downloads a browser here). Without it the browser suites are skipped with a
 * warning — except under CI, where a missing browser is a failure, not a silent pass.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

/**
 * `describe` when Chromium is installed; otherwise `describe.skip` plus a visible warning (or, under CI,
 * a failing suite that says what is missing).
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, () => {
      // a real browser on a loaded 2-core machine (CI runs the suites side by side) can take well over jest's 20 s
      // default for one test; these tests are about what the page does, never how fast
      jest.setTimeout(60_000);
      body();
    });
    return;
  }
  if (testEnvironment().ci) {
    describe(name, () => {
      test(`needs ${CHROMIUM_PATH}`, () => {
        throw new Error(`${CHROMIUM_PATH} is missing: install it (apt-get install -y chromium) to run the browser tests in CI`);
      });
    });
    return;
  }
  warnSkipped(`browser tests "${name}": ${CHROMIUM_PATH} is missing (apt-get install -y chromium)`);
  describe.skip(name, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
