import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser';
import { eventually } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * What the rule editor tells a business owner about a mistake is in words they use: no "E.164", "URI" or "greater than
 * or equal to" (the API's own messages, meant for programmers, stay as they are).
 */
describeInBrowser('admin panel: mistakes explained in plain words', () => {
  const suite = panelSuite();
  let page: Page;
  let owner: { id: string; token: string };

  beforeAll(async () => {
    owner = await suite.admin.createUser({ name: 'Olive Owner', numbers: ['+15553210001'], canManageRules: true });
  });
  beforeEach(async () => {
    page = await suite.open('rules/new', { token: owner.token });
    await page.getByRole('heading', { name: 'New rule' }).waitFor();
  });

  /** The error note next to a control (what aria-describedby points to, beyond the hint). */
  async function noteOf(label: string): Promise<string> {
    const control = page.getByLabel(label, { exact: true });
    await eventually(async () => expect(await control.getAttribute('aria-invalid')).toBe('true'));
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const notes = await Promise.all(ids.map((id) => page.locator(`[id="${id}"].field-error`).allTextContents()));
    return notes.flat().join(' ');
  }

  test('a number without its country code, too short a ring, too long a hold and a wrong music address are each explained plainly', async () => {
    await page.getByLabel('Name').fill('Plain words');
    await page.getByLabel(/^Extend Ring/).check();
    await page.getByLabel('Target (step 1, destination 1)').fill('555 123 4567');
    await page.getByRole('button', { name: 'Add destination to step 1' }).click();
    await page.getByLabel('Type (step 1, destination 2)').selectOption('sip');
    await page.getByLabel('Target (step 1, destination 2)').fill('frontdesk@pbx.example.com');
    await page.getByLabel('Ring for (seconds), step 1').fill('3');
    await page.getByLabel('Maximum hold (minutes)').fill('90');
    await page.getByLabel('Hold music URL').fill('ftp://example.com/music.mp3');
    await page.getByRole('button', { name: 'Create rule' }).click();

    await expect(noteOf('Target (step 1, destination 1)')).resolves
      .toBe('Enter the number with + and the country code, e.g. +1 555 123 0001.');
    await expect(noteOf('Target (step 1, destination 2)')).resolves
      .toBe('Enter a SIP address starting with sip:, e.g. sip:john@example.com.');
    await expect(noteOf('Ring for (seconds), step 1')).resolves.toBe('Must be at least 5.');
    await expect(noteOf('Maximum hold (minutes)')).resolves.toBe('Must be at most 60.');
    await expect(noteOf('Hold music URL')).resolves.toBe('Enter a web address starting with https:// (or http://).');
    const summary = await page.getByRole('alert').filter({ hasText: 'problems' }).textContent();
    expect(summary).not.toMatch(/E\.164|URI|greater than|less than|http\(s\)/);
  });
});
