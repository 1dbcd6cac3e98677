import type { Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { CUSTOMER, startFlow, type FlowRig } from '../support/flow';
import { recordingSeconds } from '../support/panel';
import { panelSuite, type PanelServer } from '../support/panel-suite';
import { prefixProxy, type PrefixProxy } from '../support/prefix-proxy';

/**
 * The panel of an app served under a path prefix (README "Deploying": PUBLIC_BASE_URL https://example.com/calls,
 * behind a reverse proxy that forwards /calls/… to the app without the prefix). An owner opens
 * https://…/calls/admin/ and everything works there: the page's files, every API call, the voicemail audio and
 * the links between pages stay under /calls, which is all the proxy serves (anything else is 404 there).
 */
const PREFIX = '/calls';

interface PrefixedServer extends PanelServer {
  readonly rig: FlowRig;
  readonly proxy: PrefixProxy;
  readonly publicUrl: string;
}

async function startBehindProxy(): Promise<PrefixedServer> {
  let rig: FlowRig | undefined;
  const proxy = await prefixProxy(PREFIX, () => rig?.app.baseUrl ?? 'http://127.0.0.1:9');
  const publicUrl = proxy.url + PREFIX;
  rig = await startFlow({ publicBaseUrl: publicUrl });
  const started = rig;
  return {
    app: started.app, rig: started, proxy, publicUrl,
    async close() {
      await proxy.close();
      await started.close();
    },
  };
}

describeInBrowser('admin panel under a path prefix (PUBLIC_BASE_URL https://…/calls behind a prefix-stripping proxy)', () => {
  const suite = panelSuite({ start: startBehindProxy });
  let john: { id: string; token: string };
  let ruleId: string;
  /** Every http(s) URL the test's pages requested. */
  let requested: string[];

  beforeAll(async () => {
    const { rig } = suite.server;
    john = await rig.createUser({ name: 'John', numbers: ['+15550001000'] });
    ruleId = (await rig.createRule({
      userId: john.id, name: 'Office only', mode: 'followMe',
      steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 20 }],
    })).id;
    rig.em.callee('+15551230001', { kind: 'no-answer' });
    const call = await rig.placeCall({ caller: { message: { seconds: 12 } } });
    await rig.run();
    expect(call.outcome?.kind).toBe('voicemail');
  });
  beforeEach(() => {
    requested = [];
    suite.server.proxy.refused.length = 0;
  });

  const open = (path: string, token?: string): Promise<Page> => suite.open(path, {
    ...(token === undefined ? {} : { token }),
    beforeLoad: (page) => page.on('request', (r) => {
      if (/^https?:/.test(r.url())) requested.push(r.url());
    }),
  });

  /** The page asked for nothing outside the prefix (the proxy refused nothing), and for its files and the API inside it. */
  function expectEverythingUnderThePrefix(): void {
    const { publicUrl, proxy } = suite.server;
    expect(requested.filter((url) => !url.startsWith(`${publicUrl}/`))).toEqual([]);
    expect(proxy.refused).toEqual([]);
    expect(requested).toContain(`${publicUrl}/admin/js/main.js`);
    expect(requested).toContain(`${publicUrl}/admin/styles.css`);
    expect(requested.some((url) => url.startsWith(`${publicUrl}/api/`))).toBe(true);
  }

  test('opening https://…/calls/ in a browser leads to the sign-in page at /calls/admin/, styled, and signing in works', async () => {
    const page = await open('sign-in');
    await page.goto(`${suite.server.publicUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${suite.server.publicUrl}/admin/sign-in`);
    // the stylesheet arrived: the skip link is moved out of sight
    await expect(page.locator('.skip-link').evaluate((el) => getComputedStyle(el).position)).resolves.not.toBe('static');
    await page.getByLabel('Access token').fill(john.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    expect(page.url().startsWith(`${suite.server.publicUrl}/admin/rules`)).toBe(true);
    expectEverythingUnderThePrefix();
  });

  test('an administrator lists the rules, opens one at /calls/admin/rules/<id> and saves a change', async () => {
    const page = await open('', TEST_ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Office only' }).click();
    await page.getByRole('heading', { name: /Office only/ }).waitFor();
    expect(page.url()).toBe(`${suite.server.publicUrl}/admin/rules/${ruleId}`);
    await page.getByLabel('Name', { exact: true }).fill('Office only (weekdays)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await page.locator('tr[data-row="Office only (weekdays)"]').waitFor();
    await expect(suite.admin.call('GET', `/api/rules/${ruleId}`)).resolves.toMatchObject({ body: { name: 'Office only (weekdays)' } });
    // a deep link reloaded in the browser comes back to the same page under the prefix
    await page.goto(`${suite.server.publicUrl}/admin/rules/${ruleId}`);
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Office only (weekdays)');
    expectEverythingUnderThePrefix();
  });

  test("the owner opens the call log and the call's timeline", async () => {
    const page = await open('', john.token);
    await page.getByRole('link', { name: 'Calls' }).click();
    const row = page.locator(`tr[data-row="${CUSTOMER}"]`);
    await row.waitFor();
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: `Call from ${CUSTOMER}` }).waitFor();
    expect(page.url()).toMatch(new RegExp(`^${suite.server.publicUrl}/admin/calls/CA`));
    await expect(page.locator('ol.timeline li').first().textContent()).resolves.toContain('Call came in');
    expectEverythingUnderThePrefix();
  });

  test('the owner plays the voicemail in the page', async () => {
    const page = await open('voicemails', john.token);
    await page.getByRole('button', { name: new RegExp(`Load recording: message from \\${CUSTOMER}`) }).click();
    const audio = page.locator('audio');
    await audio.waitFor();
    const seconds = await recordingSeconds(page);
    expect(Math.round(seconds)).toBe(12);
    expect(requested.some((url) => /\/calls\/api\/voicemails\/[^/]+\/audio$/.test(url))).toBe(true);
    expectEverythingUnderThePrefix();
  });
});
