import type { Browser, Page } from 'playwright-core';
import { startApp, TEST_ADMIN_TOKEN, type RunningApp } from '../support/app';
import { describeInBrowser, launchBrowser } from '../support/browser';
import { apiAs, openPanel, signIn, simpleRule, type PanelSession } from './panel';

/** The panel on a phone-sized screen (375 px wide): nothing to scroll sideways for, nothing cut off. */
describeInBrowser('admin panel: on a narrow screen', () => {
  let app: RunningApp;
  let browser: Browser;
  let session: PanelSession;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const admin = apiAs(app, TEST_ADMIN_TOKEN);
    const user = await admin.createUser({ name: 'Nadia Narrow', email: 'nadia@example.com', numbers: ['+15556660001'] });
    await admin.createRule(simpleRule(user.id, 'Narrow daytime'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    session = await openPanel(browser, app);
    page = session.page;
    await page.setViewportSize({ width: 375, height: 740 });
    await signIn(page, TEST_ADMIN_TOKEN);
  });
  afterEach(async () => {
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  async function expectNoSidewaysScroll() {
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    const search = await page.getByRole('button', { name: 'Search' }).boundingBox();
    expect(search!.x).toBeGreaterThanOrEqual(0);
    expect(search!.x + search!.width).toBeLessThanOrEqual(widths.screen);
  }

  test('the Rules page fits the screen, its Search button whole', async () => {
    await page.locator('tr[data-row="Narrow daytime"]').waitFor();
    await expectNoSidewaysScroll();
  });

  test('the Users page fits the screen, its Search button whole', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator('tr[data-row="Nadia Narrow"]').waitFor();
    await expectNoSidewaysScroll();
  });
});
