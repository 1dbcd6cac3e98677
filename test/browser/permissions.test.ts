import { describeInBrowser } from '../support/browser';
import { columnTexts, simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/** What users who are not administrators may see and do in the panel (DESIGN §4 "Permissions"). */
describeInBrowser('admin panel: users who are not administrators', () => {
  const suite = panelSuite();
  let plain: { id: string; token: string };
  let granted: { id: string; token: string };
  let plainRule: { id: string };
  let grantedRule: { id: string };

  beforeAll(async () => {
    plain = await suite.admin.createUser({ name: 'Paula Plain', numbers: ['+15558880001'] });
    granted = await suite.admin.createUser({ name: 'Greg Granted', numbers: ['+15558880002'], canManageRules: true });
    plainRule = await suite.admin.createRule(simpleRule(plain.id, 'Paula daytime'));
    grantedRule = await suite.admin.createRule(simpleRule(granted.id, 'Greg daytime'));
  });

  test('a user without the grant sees their own rules read-only, and no users page', async () => {
    const page = await suite.open('', { token: plain.token });
    await page.locator('tr[data-row="Paula daytime"]').waitFor();

    expect(await columnTexts(page, 'Name')).toEqual(['Paula daytime']);
    await page.getByText('You can read your rules').waitFor();
    await expect(page.getByRole('link', { name: 'New rule' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Delete/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('columnheader', { name: 'Owner' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Users' }).isVisible()).resolves.toBe(false);

    await page.getByRole('link', { name: 'Paula daytime' }).click();
    await page.getByRole('heading', { name: 'Rule: Paula daytime' }).waitFor();
    // shown as text (read-only.test.ts): no field to type in
    await expect(page.getByRole('definition').filter({ hasText: 'Paula daytime' }).count()).resolves.toBe(1);
    await expect(page.getByRole('textbox').count()).resolves.toBe(0);
    for (const name of ['Save changes', 'Delete rule', 'Add step', 'Add time window']) {
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }

    await page.goto(`${suite.app.baseUrl}/admin/users`);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/rules');
  });

  test('a grant an administrator gives while the user is signed in shows at their next page, without signing in again', async () => {
    const late = await suite.admin.createUser({ name: 'Lena Late', numbers: ['+15558880003'] });
    await suite.admin.createRule(simpleRule(late.id, 'Lena daytime'));
    const page = await suite.open('', { token: late.token });
    await page.getByText('You can read your rules').waitFor();

    await suite.admin.call('PATCH', `/api/users/${late.id}`, { canManageRules: true });
    await page.getByRole('link', { name: 'Lena daytime' }).click();
    await page.getByRole('heading', { name: 'Edit rule: Lena daytime' }).waitFor();
    await expect(page.getByRole('button', { name: 'Save changes' }).count()).resolves.toBe(1);
  });

  test('a user without the grant cannot open the new-rule editor', async () => {
    const page = await suite.open('', { token: plain.token });
    await page.goto(`${suite.app.baseUrl}/admin/rules/new`);
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).count()).resolves.toBe(0);
  });

  test('a granted user edits their own rule, and only sees their own', async () => {
    const page = await suite.open('', { token: granted.token });
    await page.locator('tr[data-row="Greg daytime"]').waitFor();
    expect(await columnTexts(page, 'Name')).toEqual(['Greg daytime']);
    await expect(page.getByRole('link', { name: 'Users' }).isVisible()).resolves.toBe(false);

    await page.getByRole('link', { name: 'Greg daytime' }).click();
    await page.getByRole('heading', { name: 'Edit rule: Greg daytime' }).waitFor();
    await expect(page.getByLabel('Owner').count()).resolves.toBe(0);
    await page.getByLabel('Name', { exact: true }).fill('Greg evenings');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('tr[data-row="Greg evenings"]').waitFor();

    const stored = await suite.admin.call('GET', `/api/rules/${grantedRule.id}`);
    expect(stored.body).toMatchObject({ name: 'Greg evenings', userId: granted.id });
  });

  test('a user whose grant is taken away while editing is told so next to Save, with the keyboard focus on the message', async () => {
    const revoked = await suite.admin.createUser({ name: 'Rhea Revoked', numbers: ['+15558880004'], canManageRules: true });
    const rule = await suite.admin.createRule(simpleRule(revoked.id, 'Rhea daytime'));
    const page = await suite.open(`rules/${rule.id}`, { token: revoked.token });
    await page.getByRole('heading', { name: 'Edit rule: Rhea daytime' }).waitFor();
    await page.getByLabel('Priority').fill('3');
    await suite.admin.call('PATCH', `/api/users/${revoked.id}`, { canManageRules: false });
    await page.getByRole('button', { name: 'Save changes' }).click();

    const message = page.getByText('Your administrator has taken away your permission to change rules.');
    await message.waitFor();
    expect(await message.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect(message.isVisible()).resolves.toBe(true);
    const box = await message.boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    expect((await suite.admin.call('GET', `/api/rules/${rule.id}`)).body.priority).toBe(0);
  });

  test("a granted user opening another user's rule is told it is not there", async () => {
    const page = await suite.open('', { token: granted.token });
    await page.goto(`${suite.app.baseUrl}/admin/rules/${plainRule.id}`);
    await page.getByRole('heading', { name: 'Rule not found' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).count()).resolves.toBe(0);
  });

  test('a granted user creates a rule, which becomes their own', async () => {
    const page = await suite.open('', { token: granted.token });
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Greg weekend');
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551239999');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.locator('tr[data-row="Greg weekend"]').waitFor();

    const mine = await suite.as(granted.token).call('GET', '/api/rules', undefined);
    expect(mine.body.items.map((r: { name: string; userId: string }) => [r.name, r.userId])).toContainEqual(['Greg weekend', granted.id]);
  });
});
