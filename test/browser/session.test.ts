import { MemoryStore } from '../../src/store/memory';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { eventually, signIn } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

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
  const storeSwitch = switchableStore();
  const suite = panelSuite({ app: { store: storeSwitch.store } });

  afterEach(() => {
    storeSwitch.setDown(false);
  });

  test('the panel loads and signs in without a failed request or a console error (a missing favicon included)', async () => {
    const problems: string[] = [];
    const page = await suite.open('', {
      token: TEST_ADMIN_TOKEN,
      beforeLoad: (loading) => {
        loading.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
        loading.on('response', (response) => { if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`); });
        loading.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
      },
    });
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });

  test('a wrong token is refused on the sign-in form', async () => {
    const page = await suite.open();
    await page.getByLabel('Access token').fill('not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That token is not valid.').waitFor();
    await expect(page.getByLabel('Access token').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('link', { name: 'Rules' }).isVisible()).resolves.toBe(false);
  });

  test('the session survives a reload of the tab, and signing out ends it', async () => {
    const page = await suite.open('', { token: TEST_ADMIN_TOKEN });
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
    const page = await suite.open('users');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');
  });

  test('when the token stops working mid-session, the next action returns to sign-in and says why', async () => {
    const user = await suite.admin.createUser({ name: 'Rotated Rita', numbers: ['+15559990001'] });
    const page = await suite.open('', { token: user.token });
    // the rules list loads after sign-in: rotating the token before it has would send her back before any click
    await page.getByText('No rules yet.').waitFor();
    await suite.admin.call('POST', `/api/users/${user.id}/token`);

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Sign in again').waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
  });

  test('when the service answers 503, a banner says so, and it goes once the service is back', async () => {
    const page = await suite.open('', { token: TEST_ADMIN_TOKEN });
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
    const page = await suite.open('', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();

    await page.route('**/api/rules**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Reload' }).click();
    const banner = page.getByRole('alert').filter({ hasText: 'cannot be reached' });
    await banner.waitFor();

    await page.unroute('**/api/rules**');
    await page.getByRole('button', { name: 'Reload' }).click();
    await eventually(async () => expect(await banner.isVisible()).toBe(false));
  });

  test('dismissing the banner by keyboard puts the focus back in the page, not at the top of the document', async () => {
    const page = await suite.open('', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await page.route('**/api/rules**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('alert').filter({ hasText: 'cannot be reached' }).waitFor();
    await page.unroute('**/api/rules**');

    await page.getByRole('button', { name: 'Dismiss' }).focus();
    await page.keyboard.press('Enter');

    await expect(page.locator('#banner').isVisible()).resolves.toBe(false);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('New rule');
  });
});
