import type { Browser } from 'playwright-core';
import { MemoryStore } from '../../src/store/memory';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { startApp, TEST_ADMIN_TOKEN, type RunningApp } from '../support/app';
import { describeInBrowser, launchBrowser } from '../support/browser';
import { apiAs, eventually, openPanel, signIn, type PanelSession } from './panel';

/** A store that can be switched off: every call fails the way an unreachable Redis does. */
function switchableStore(): { store: Store; setDown(down: boolean): void } {
  const inner = new MemoryStore() as unknown as Store;
  let down = false;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => (down ? Promise.reject(new StoreUnavailableError('store switched off by the test')) : value.apply(target, args));
    },
  });
  return { store, setDown: (d) => (down = d) };
}

/** Signing in and out, and what the panel shows when the token, the service or the network fails. */
describeInBrowser('admin panel: session and trouble', () => {
  let app: RunningApp;
  let browser: Browser;
  let session: PanelSession;
  const storeSwitch = switchableStore();

  beforeAll(async () => {
    app = await startApp({ store: storeSwitch.store });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    storeSwitch.setDown(false);
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  test('the panel loads and signs in without a failed request or a console error (a missing favicon included)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('response', (response) => { if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`); });
    page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
    await page.goto(`${app.baseUrl}/admin/`);
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.waitForLoadState('networkidle');
    session = { context, page, errors: [] };
    expect(problems).toEqual([]);
  });

  test('a wrong token is refused on the sign-in form', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await page.getByLabel('Access token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token is not valid.').waitFor();
    await expect(page.getByLabel('Access token').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('link', { name: 'Rules' }).isVisible()).resolves.toBe(false);
  });

  test('the session survives a reload of the tab, and signing out ends it', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByText('Signed in as Administrator').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await page.getByText('Signed in as Administrator').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  test('a link opened while signed out leads to the sign-in form, then to the linked page', async () => {
    session = await openPanel(browser, app, 'users');
    const { page } = session;
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');
  });

  test('when the token stops working mid-session, the next action returns to sign-in and says why', async () => {
    const admin = apiAs(app, TEST_ADMIN_TOKEN);
    const user = await admin.createUser({ name: 'Rotated Rita', numbers: ['+15559990001'] });
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, user.token);
    // the rules list loads after sign-in: rotating the token before it has would send her back before any click
    await page.getByText('No rules yet.').waitFor();
    await admin.call('POST', `/api/users/${user.id}/token`);

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Sign in again').waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
  });

  test('when the service answers 503, a banner says so, and it goes once the service is back', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();

    storeSwitch.setDown(true);
    await page.getByRole('button', { name: 'Reload' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'temporarily unavailable' });
    await banner.waitFor();

    storeSwitch.setDown(false);
    await page.getByRole('button', { name: 'Reload' }).click();
    await eventually(async () => expect(await banner.isVisible()).toBe(false));
  });

  test('when the server cannot be reached, a banner says so', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();

    await page.route('**/api/rules**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Reload' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'cannot be reached' });
    await banner.waitFor();

    await page.unroute('**/api/rules**');
    await page.getByRole('button', { name: 'Reload' }).click();
    await eventually(async () => expect(await banner.isVisible()).toBe(false));
  });
});
