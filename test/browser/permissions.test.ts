import type { Browser } from 'playwright-core';
import { startApp, TEST_ADMIN_TOKEN, type RunningApp } from '../support/app';
import { describeInBrowser, launchBrowser } from '../support/browser';
import { apiAs, columnTexts, openPanel, signIn, simpleRule, type PanelSession } from './panel';

/** What users who are not administrators may see and do in the panel (DESIGN §4 "Permissions"). */
describeInBrowser('admin panel: users who are not administrators', () => {
  let app: RunningApp;
  let browser: Browser;
  let session: PanelSession;
  let plain: { id: string; token: string };
  let granted: { id: string; token: string };
  let plainRule: { id: string };
  let grantedRule: { id: string };

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    const admin = apiAs(app, TEST_ADMIN_TOKEN);
    plain = await admin.createUser({ name: 'Paula Plain', numbers: ['+15558880001'] });
    granted = await admin.createUser({ name: 'Greg Granted', numbers: ['+15558880002'], canManageRules: true });
    plainRule = await admin.createRule(simpleRule(plain.id, 'Paula daytime'));
    grantedRule = await admin.createRule(simpleRule(granted.id, 'Greg daytime'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(async () => {
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  test('a user without the grant sees their own rules read-only, and no users page', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, plain.token);
    await page.locator('tr[data-row="Paula daytime"]').waitFor();

    expect(await columnTexts(page, 'Name')).toEqual(['Paula daytime']);
    await page.getByText('You can read your rules').waitFor();
    await expect(page.getByRole('link', { name: 'New rule' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Delete/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('columnheader', { name: 'Owner' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Users' }).isVisible()).resolves.toBe(false);

    await page.getByRole('link', { name: 'Paula daytime' }).click();
    await page.getByRole('heading', { name: 'Rule: Paula daytime' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-path="steps.0.ringSeconds"]').isDisabled()).resolves.toBe(true);
    for (const name of ['Save changes', 'Delete rule', 'Add step', 'Add time window']) {
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }

    await page.goto(`${app.baseUrl}/admin/users`);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/rules');
  });

  test('a grant an administrator gives while the user is signed in shows at their next page, without signing in again', async () => {
    const late = await apiAs(app, TEST_ADMIN_TOKEN).createUser({ name: 'Lena Late', numbers: ['+15558880003'] });
    await apiAs(app, TEST_ADMIN_TOKEN).createRule(simpleRule(late.id, 'Lena daytime'));
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, late.token);
    await page.getByText('You can read your rules').waitFor();

    await apiAs(app, TEST_ADMIN_TOKEN).call('PATCH', `/api/users/${late.id}`, { canManageRules: true });
    await page.getByRole('link', { name: 'Lena daytime' }).click();
    await page.getByRole('heading', { name: 'Edit rule: Lena daytime' }).waitFor();
    await expect(page.getByRole('button', { name: 'Save changes' }).count()).resolves.toBe(1);
  });

  test('a user without the grant cannot open the new-rule editor', async () => {
    session = await openPanel(browser, app);
    await signIn(session.page, plain.token);
    await session.page.goto(`${app.baseUrl}/admin/rules/new`);
    await session.page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await expect(session.page.getByLabel('Name', { exact: true }).count()).resolves.toBe(0);
  });

  test('a granted user edits their own rule, and only sees their own', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, granted.token);
    await page.locator('tr[data-row="Greg daytime"]').waitFor();
    expect(await columnTexts(page, 'Name')).toEqual(['Greg daytime']);
    await expect(page.getByRole('link', { name: 'Users' }).isVisible()).resolves.toBe(false);

    await page.getByRole('link', { name: 'Greg daytime' }).click();
    await page.getByRole('heading', { name: 'Edit rule: Greg daytime' }).waitFor();
    await expect(page.getByLabel('Owner').count()).resolves.toBe(0);
    await page.getByLabel('Name', { exact: true }).fill('Greg evenings');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('tr[data-row="Greg evenings"]').waitFor();

    const stored = await apiAs(app, TEST_ADMIN_TOKEN).call('GET', `/api/rules/${grantedRule.id}`);
    expect(stored.body).toMatchObject({ name: 'Greg evenings', userId: granted.id });
  });

  test('a user whose grant is taken away while editing is told so next to Save, with the keyboard focus on the message', async () => {
    const admin = apiAs(app, TEST_ADMIN_TOKEN);
    const revoked = await admin.createUser({ name: 'Rhea Revoked', numbers: ['+15558880004'], canManageRules: true });
    const rule = await admin.createRule(simpleRule(revoked.id, 'Rhea daytime'));
    session = await openPanel(browser, app, `rules/${rule.id}`);
    const { page } = session;
    await signIn(page, revoked.token);
    await page.getByRole('heading', { name: 'Edit rule: Rhea daytime' }).waitFor();
    await page.getByLabel('Priority').fill('3');
    await admin.call('PATCH', `/api/users/${revoked.id}`, { canManageRules: false });
    await page.getByRole('button', { name: 'Save changes' }).click();

    const message = page.getByText('Your administrator has taken away your permission to change rules.');
    await message.waitFor();
    expect(await message.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect(message.isVisible()).resolves.toBe(true);
    const box = await message.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    expect((await admin.call('GET', `/api/rules/${rule.id}`)).body.priority).toBe(0);
  });

  test("a granted user opening another user's rule is told it is not there", async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, granted.token);
    await page.goto(`${app.baseUrl}/admin/rules/${plainRule.id}`);
    await page.getByRole('heading', { name: 'Rule not found' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).count()).resolves.toBe(0);
  });

  test('a granted user creates a rule, which becomes their own', async () => {
    session = await openPanel(browser, app);
    const { page } = session;
    await signIn(page, granted.token);
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Greg weekend');
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551239999');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.locator('tr[data-row="Greg weekend"]').waitFor();

    const mine = await apiAs(app, granted.token).call('GET', '/api/rules', undefined);
    expect(mine.body.items.map((r: { name: string; userId: string }) => [r.name, r.userId])).toContainEqual(['Greg weekend', granted.id]);
  });
});
