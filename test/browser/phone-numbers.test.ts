import type { Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { eventually } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * Phone numbers as people type them — with spaces, dashes, dots and brackets ("+1 (555) 123-4567") — are the E.164
 * numbers the API keeps (+15551234567); SIP addresses and app identities are left exactly as typed.
 */
describeInBrowser('admin panel: typing phone numbers', () => {
  const suite = panelSuite();
  let page: Page;

  async function open(path: string) {
    page = await suite.open(path, { token: TEST_ADMIN_TOKEN });
  }

  test('a rule saves "+1 (555) 123-4567" and "+44 20.7946.0000" as E.164 numbers, and a sip: address as typed', async () => {
    const owner = await suite.admin.createUser({ name: 'Pia Phones', numbers: ['+15554440001'] });
    await open('rules/new');
    await page.getByRole('heading', { name: 'New rule' }).waitFor();
    await page.getByLabel('Name').fill('Typed numbers');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill(' +1 (555) 123-4567 ');
    await page.getByRole('button', { name: 'Add destination to step 1' }).click();
    await page.getByLabel('Target (step 1, destination 2)').fill('+44 20.7946.0000');
    await page.getByRole('button', { name: 'Add destination to step 1' }).click();
    await page.getByLabel('Type (step 1, destination 3)').selectOption('sip');
    await page.getByLabel('Target (step 1, destination 3)').fill('sip:front-desk@pbx.example.com');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.locator('tr[data-row="Typed numbers"]').waitFor();
    const rules = (await suite.admin.call('GET', `/api/rules?userId=${owner.id}`)).body.items;
    expect(rules[0].steps[0].destinations.map((d: { to: string }) => d.to))
      .toEqual(['+15551234567', '+442079460000', 'sip:front-desk@pbx.example.com']);
  });

  test('the rule test names a number typed with spaces as the number it rings', async () => {
    await open('rules/new');
    await page.getByRole('heading', { name: 'New rule' }).waitFor();
    await page.getByLabel('Target (step 1, destination 1)').fill('+1 555 123 4567');
    const panel = page.getByRole('region', { name: 'Test this rule' });
    await expect(panel.getByLabel('+15551234567', { exact: true }).count()).resolves.toBe(1);
  });

  test('a user\'s numbers typed with spaces and dashes, one per line, are saved as those numbers', async () => {
    const user = await suite.admin.createUser({ name: 'Sam Spaces', numbers: [] });
    await open('users');
    await page.locator('tr[data-row="Sam Spaces"]').getByRole('button', { name: 'Numbers of Sam Spaces' }).click();
    const dialog = page.getByRole('dialog', { name: 'Numbers of Sam Spaces' });
    await dialog.getByLabel('Phone numbers').fill('+1 555 444 0002\n+1-555-444-0003, +1 (555) 444-0004');
    await dialog.getByRole('button', { name: 'Save numbers' }).click();
    await eventually(async () => expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body.numbers)
      .toEqual(['+15554440002', '+15554440003', '+15554440004']));
  });

  test('a new user\'s number typed with spaces is saved as one number', async () => {
    await open('users');
    await page.getByText('New user').click();
    await page.getByLabel('Name').fill('Nico New');
    await page.getByLabel('Phone numbers').fill('+1 555 444 0005');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('heading', { name: 'Token for Nico New' }).waitFor();
    const users = (await suite.admin.call('GET', '/api/users?q=Nico')).body.items;
    expect(users.find((u: { name: string }) => u.name === 'Nico New').numbers).toEqual(['+15554440005']);
  });
});
