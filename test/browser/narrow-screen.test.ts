import type { Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/** The panel on a phone-sized screen (375 px wide): nothing to scroll sideways for, nothing cut off. */
describeInBrowser('admin panel: on a narrow screen', () => {
  const suite = panelSuite();
  let page: Page;
  let longRuleId: string;

  beforeAll(async () => {
    const user = await suite.admin.createUser({ name: 'Nadia Narrow', email: 'nadia@example.com', numbers: ['+15556660001'] });
    await suite.admin.createRule(simpleRule(user.id, 'Narrow daytime'));
    const long = await suite.admin.createRule({
      userId: user.id, name: 'Weekday-hunting-for-the-whole-customer-support-line-ABCDEFGHIJKLMNOPQRSTUVWXYZ', mode: 'followMe',
      steps: [{ destinations: [{ type: 'sip', to: 'sip:the-front-desk-phone-in-the-lobby@pbx.example.com', label: 'Reception-desk-phone-by-the-lobby-entrance-door' }] }],
    });
    longRuleId = long.id;
  });
  beforeEach(async () => {
    page = await suite.open('', { token: TEST_ADMIN_TOKEN, viewport: { width: 375, height: 740 } });
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

  test('a rule whose name and destination label are long unbroken words opens in the editor without sideways scrolling', async () => {
    await page.goto(`${suite.app.baseUrl}/admin/rules/${longRuleId}`);
    await page.getByRole('heading', { name: /^Edit rule: Weekday-hunting/ }).waitFor();
    await page.getByRole('heading', { name: 'Test this rule' }).waitFor();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
  });
});
