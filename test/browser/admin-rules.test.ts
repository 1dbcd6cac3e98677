import type { Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { columnTexts, eventually, simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/** The "done when", as an administrator experiences the panel. */
describeInBrowser('admin panel: an administrator manages rules', () => {
  const suite = panelSuite();
  let page: Page;

  beforeEach(async () => {
    page = await suite.open('', { token: TEST_ADMIN_TOKEN });
  });

  test('an administrator signs in and creates a user, whose token is shown once and works', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByText('New user').click();
    await page.getByLabel('Name').fill('Alice Example');
    await page.getByLabel('Phone numbers').fill('+15557770001');
    await page.getByLabel('May manage their own rules').check();
    await page.getByRole('button', { name: 'Create user' }).click();

    await page.getByRole('heading', { name: 'Token for Alice Example' }).waitFor();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(token).toMatch(/^chr_/);
    const row = page.locator('tr[data-row="Alice Example"]');
    await expect(row.textContent()).resolves.toContain('+15557770001');

    const me = await suite.as(token).call('GET', '/api/me');
    expect(me.body).toMatchObject({ name: 'Alice Example', canManageRules: true });

    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByLabel('Token', { exact: true }).count()).resolves.toBe(0);
  });

  test('an administrator creates a two-step rule in the editor and sees it in the list with its summary', async () => {
    const john = await suite.admin.createUser({ name: 'John Two-Step', numbers: ['+15557770002'] });
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Weekday hunting');
    await page.getByLabel('Owner').selectOption(john.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230001');
    await page.getByLabel('Label (step 1, destination 1)').fill('Office');
    await page.locator('[data-path="steps.0.ringSeconds"]').fill('40');
    await page.getByRole('button', { name: 'Add step' }).click();
    await page.getByLabel('Target (step 2, destination 1)').fill('+15551230003');
    await page.getByLabel('Label (step 2, destination 1)').fill('Cell');
    await page.getByRole('button', { name: 'Add destination to step 2' }).click();
    await page.getByLabel('Type (step 2, destination 2)').selectOption('client');
    await page.getByLabel('Target (step 2, destination 2)').fill('john');
    await page.getByLabel('Label (step 2, destination 2)').fill('John');
    await page.getByRole('button', { name: 'Create rule' }).click();

    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await expect(page.getByRole('status').filter({ hasText: 'Saved rule' }).textContent()).resolves.toContain('Weekday hunting');
    const row = page.locator('tr[data-row="Weekday hunting"]');
    await expect(row.textContent()).resolves.toContain('Office 40 s → Cell + John (app) 30 s');
    await expect(row.textContent()).resolves.toContain('John Two-Step');
    await expect(row.textContent()).resolves.toContain('Follow Me');
  });

  /**
   * The Rules link, and the page it shows: the page being left stays on screen a moment (the link's handler is
   * asynchronous), and typing into its search box would be lost when the new page replaces it.
   */
  async function openRulesPage(): Promise<void> {
    const leaving = await page.$('input[type="search"]');
    await page.getByRole('link', { name: 'Rules' }).click();
    await leaving?.waitForElementState('hidden');
  }

  test('clicking the Name header sorts the rules by name, and clicking again reverses them', async () => {
    const owner = await suite.admin.createUser({ name: 'Sorter', numbers: ['+15557770003'] });
    for (const name of ['sort Charlie', 'sort alpha', 'sort Bravo']) await suite.admin.createRule(simpleRule(owner.id, name));
    await openRulesPage();
    await page.getByRole('searchbox', { name: 'Search rules' }).fill('sort ');
    await page.getByRole('button', { name: 'Search' }).click();
    const header = page.getByRole('columnheader', { name: /Name/ });
    // the unsearched list (all rules) may still be shown a moment after the search is sent
    await eventually(async () => expect(await columnTexts(page, 'Name')).toEqual(['sort alpha', 'sort Bravo', 'sort Charlie']));
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');

    await header.getByRole('button').click();
    await eventually(async () => expect(await header.getAttribute('aria-sort')).toBe('descending'));
    await eventually(async () => expect(await columnTexts(page, 'Name')).toEqual(['sort Charlie', 'sort Bravo', 'sort alpha']));

    await header.getByRole('button').click();
    await eventually(async () => expect(await columnTexts(page, 'Name')).toEqual(['sort alpha', 'sort Bravo', 'sort Charlie']));
  });

  test('with 25 rules the page switch moves to page 2, which holds the last 5', async () => {
    const owner = await suite.admin.createUser({ name: 'Pager', numbers: ['+15557770004'] });
    for (let i = 1; i <= 25; i += 1) await suite.admin.createRule(simpleRule(owner.id, `paged ${String(i).padStart(2, '0')}`));
    await openRulesPage();
    await page.getByRole('searchbox', { name: 'Search rules' }).fill('paged');
    await page.getByRole('button', { name: 'Search' }).click();
    // the unsearched list (these 25 and the rules of other tests) also fills 20 rows on 2 pages: wait for the searched one
    const firstPage = Array.from({ length: 20 }, (_, i) => `paged ${String(i + 1).padStart(2, '0')}`);
    await eventually(async () => expect(await columnTexts(page, 'Name')).toEqual(firstPage));
    await page.getByText('Page 1 of 2').waitFor();

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Page 2' }).click();
    await eventually(async () => expect(await columnTexts(page, 'Name')).toEqual(['paged 21', 'paged 22', 'paged 23', 'paged 24', 'paged 25']));
    await expect(page.getByRole('button', { name: 'Page 2' }).getAttribute('aria-current')).resolves.toBe('page');
    await expect(page.getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);
    expect(page.url()).toContain('page=2');

    await page.getByRole('button', { name: 'Previous' }).click();
    await eventually(async () => expect(await page.locator('table.list tbody tr').count()).toBe(20));
  });

  test('an administrator edits a rule by selecting its row, and the change shows in the list', async () => {
    const owner = await suite.admin.createUser({ name: 'Editor', numbers: ['+15557770005'] });
    await suite.admin.createRule(simpleRule(owner.id, 'edit me first'));
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.locator('tr[data-row="edit me first"] td').nth(2).click();

    await page.getByRole('heading', { name: 'Edit rule: edit me first' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('edited rule');
    await page.getByLabel(/Extend Ring/).check();
    await page.locator('[data-path="steps.0.ringSeconds"]').fill('25');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const row = page.locator('tr[data-row="edited rule"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Extend Ring');
    await expect(row.textContent()).resolves.toContain('Office 25 s');
    await expect(page.locator('tr[data-row="edit me first"]').count()).resolves.toBe(0);
  });

  test('ring seconds of 3 are refused with an error next to that field, and nothing is saved', async () => {
    const owner = await suite.admin.createUser({ name: 'Quick', numbers: ['+15557770006'] });
    const rule = await suite.admin.createRule(simpleRule(owner.id, 'too quick'));
    await page.goto(`${suite.app.baseUrl}/admin/rules/${rule.id}`);
    const ringSeconds = page.locator('[data-path="steps.0.ringSeconds"]');
    await ringSeconds.fill('3');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await eventually(async () => expect(await ringSeconds.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = (await ringSeconds.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toMatch(/at least 5/);
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect((await suite.admin.call('GET', `/api/rules/${rule.id}`)).body.steps[0].ringSeconds).toBe(20);

    await ringSeconds.fill('5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    expect((await suite.admin.call('GET', `/api/rules/${rule.id}`)).body.steps[0].ringSeconds).toBe(5);
  });

  test('deleting a rule asks first: cancelling keeps it, confirming removes it', async () => {
    const owner = await suite.admin.createUser({ name: 'Deleter', numbers: ['+15557770007'] });
    const rule = await suite.admin.createRule(simpleRule(owner.id, 'doomed rule'));
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'Delete doomed rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete rule?' });
    await expect(dialog.textContent()).resolves.toContain('doomed rule');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await suite.admin.call('GET', `/api/rules/${rule.id}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Delete doomed rule' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => expect(await page.locator('tr[data-row="doomed rule"]').count()).toBe(0));
    expect((await suite.admin.call('GET', `/api/rules/${rule.id}`)).status).toBe(404);
  });

  test('the reload control shows a rule created elsewhere meanwhile', async () => {
    const owner = await suite.admin.createUser({ name: 'Reloader', numbers: ['+15557770008'] });
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await suite.admin.createRule(simpleRule(owner.id, 'arrived meanwhile'));
    await expect(page.locator('tr[data-row="arrived meanwhile"]').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator('tr[data-row="arrived meanwhile"]').waitFor();
  });
});
