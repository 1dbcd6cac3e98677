import type { Page } from 'playwright-core';
import { startApp, TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { apiAs, simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/** Keyboard focus, leaving a page with something unsaved, and errors that are the set-up's, not an outage. */
describeInBrowser('admin panel: focus, leaving, set-up errors', () => {
  const suite = panelSuite();
  let page: Page;
  let owner: { id: string; token: string };

  beforeAll(async () => {
    owner = await suite.admin.createUser({ name: 'John Smith', numbers: ['+15550001000'] });
  });

  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el === document.body || el === null ? 'BODY' : `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`;
  });

  test('signing out with unsaved changes in the rule editor first asks "Leave without saving?"', async () => {
    const rule = await suite.admin.createRule(simpleRule(owner.id, 'Sign-out guard', '+15551230001'));
    page = await suite.open(`rules/${rule.id}`, { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: /Edit rule/ }).waitFor();
    await page.getByLabel('Ring for (seconds), step 1').fill('45');

    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.getByRole('heading', { name: 'Leave without saving?' }).waitFor({ timeout: 2000 });
  });

  test('the sign-in form has the keyboard focus in the token field, so the token can be pasted at once', async () => {
    page = await suite.open();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.waitForLoadState('networkidle'); // the page has finished arranging itself
    await page.keyboard.type('abc');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
    expect(await page.getByLabel('Access token').inputValue()).toBe('abc');
  });

  test('after deleting a rule from the list, keyboard focus stays in the page (not thrown back to the top)', async () => {
    await suite.admin.createRule(simpleRule(owner.id, 'Delete me by keyboard', '+15551230002'));
    page = await suite.open('', { token: TEST_ADMIN_TOKEN });
    await page.locator('tr[data-row="Delete me by keyboard"]').waitFor();
    await page.getByRole('button', { name: 'Delete Delete me by keyboard' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Delete', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Deleted rule “Delete me by keyboard”.').waitFor();

    expect(await focused()).not.toBe('BODY');
  });

  test('granting rule management by keyboard keeps focus on the user’s row', async () => {
    page = await suite.open('users', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('button', { name: 'Grant rule management for John Smith' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('John Smith may now manage their own rules.').waitFor();

    // the same control of the row, now labelled Revoke: Enter again undoes it
    expect(await focused()).toBe('BUTTON Revoke rule management for John Smith');
    await suite.admin.call('PATCH', `/api/users/${owner.id}`, { canManageRules: false });
  });

  test('"Skip to content" (the first Tab on a page) skips the menu on the page the user is on: the next Tab is in the page', async () => {
    page = await suite.open('users', { token: TEST_ADMIN_TOKEN });
    await page.reload(); // the page as it opens (the token kept in the tab): nothing focused yet
    await page.locator('tr[data-row="John Smith"]').waitFor();
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('A Skip to content');
    await page.keyboard.press('Enter');

    await page.keyboard.press('Tab');
    expect(await focused()).toBe('SUMMARY New user');
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    await expect(page.getByRole('heading', { name: 'Users', exact: true }).count()).resolves.toBe(1);
  });

  test('sorting a list by keyboard keeps the focus on the column\'s sort button, so Enter again reverses the order', async () => {
    for (const name of ['kbsort Alpha', 'kbsort Bravo']) await suite.admin.createRule(simpleRule(owner.id, name, '+15551230003'));
    page = await suite.open('rules?q=kbsort', { token: TEST_ADMIN_TOKEN });
    await page.locator('tr[data-row="kbsort Bravo"]').waitFor();
    await page.getByRole('button', { name: 'Priority' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('columnheader', { name: 'Priority' }).and(page.locator('[aria-sort="ascending"]')).waitFor();

    expect(await focused()).toMatch(/^BUTTON Priority/);
    await page.keyboard.press('Enter');
    await page.getByRole('columnheader', { name: 'Priority' }).and(page.locator('[aria-sort="descending"]')).waitFor();
    expect(await focused()).toMatch(/^BUTTON Priority/);
  });

  test('moving through the pages of a list by keyboard keeps the focus in the page switch', async () => {
    for (const name of ['kbpage 1', 'kbpage 2', 'kbpage 3']) await suite.admin.createRule(simpleRule(owner.id, name, '+15551230004'));
    page = await suite.open('rules?q=kbpage&pageSize=2', { token: TEST_ADMIN_TOKEN });
    await page.locator('tr[data-row="kbpage 1"]').waitFor();
    await page.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('tr[data-row="kbpage 3"]').waitFor();

    // Next is now disabled (the last page): the focus is on the page shown
    expect(await focused()).toBe('BUTTON Page 2');
    await page.getByRole('button', { name: 'Page 1' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('tr[data-row="kbpage 1"]').waitFor();
    expect(await focused()).toBe('BUTTON Page 1');
  });

  test('leaving the Users page before dismissing a new token asks first; Done then lets the user go and puts focus on the page', async () => {
    page = await suite.open('users', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('button', { name: 'Rotate token of John Smith' }).click();
    await page.getByRole('button', { name: 'Rotate token', exact: true }).click();
    await page.getByRole('heading', { name: 'Token for John Smith' }).waitFor();

    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Leave without saving?' }).waitFor();
    // the question says what would be lost
    await page.getByText(/new token .* shown only this once/).waitFor({ timeout: 2000 });
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await page.getByRole('heading', { name: 'Token for John Smith' }).waitFor();

    await page.getByRole('button', { name: 'Done' }).click();
    expect(await focused()).toBe('H1 Users');
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
  });

  test('leaving the Users page with a half-filled new user asks first, and staying keeps what was typed', async () => {
    page = await suite.open('users', { token: TEST_ADMIN_TOKEN });
    await page.getByText('New user').click();
    await page.getByLabel('Name').fill('Half Harry');

    await page.getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { name: 'Leave without saving?' }).waitFor({ timeout: 2000 });
    await page.getByText(/new user in the form has not been created/).waitFor();
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('Half Harry');
  });

  /** A rule open in the editor, changed meanwhile by another administrator (`theirs`), then ring time 45 s saved here. */
  async function saveOverAChangeMadeElsewhere(name: string, to: string, theirs: Record<string, unknown>): Promise<string> {
    const rule = await suite.admin.createRule(simpleRule(owner.id, name, to));
    page = await suite.open(`rules/${rule.id}`, { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: /Edit rule/ }).waitFor();
    // another administrator saves it meanwhile (a new version: its entity tag digests the whole rule, so no clock need move)
    expect((await suite.admin.call('PATCH', `/api/rules/${rule.id}`, theirs)).status).toBe(200);
    await page.getByLabel('Ring for (seconds), step 1').fill('45');
    await page.getByRole('button', { name: 'Save changes' }).click();
    return rule.id;
  }

  test('saving a rule someone else saved since it was opened saves nothing and says so; loading theirs shows their change', async () => {
    const id = await saveOverAChangeMadeElsewhere('Edited twice', '+15551230003', { name: 'Edited twice (theirs)' });
    await page.getByRole('heading', { name: 'Someone else changed this rule' }).waitFor();
    const stored = (await suite.admin.call('GET', `/api/rules/${id}`)).body;
    expect(stored.name).toBe('Edited twice (theirs)');
    expect(stored.steps[0].ringSeconds).not.toBe(45);

    await page.getByRole('button', { name: 'Load their version' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edit rule: Edited twice (theirs)' }).waitFor();
    expect(await focused()).not.toBe('BODY');
  });

  test('after that warning, the user may save their version over the other one', async () => {
    const id = await saveOverAChangeMadeElsewhere('Overwritten', '+15551230004', { priority: 9 });
    await page.getByRole('button', { name: 'Save mine over theirs' }).click();
    await page.locator('tr[data-row="Overwritten"]').waitFor();
    const stored = (await suite.admin.call('GET', `/api/rules/${id}`)).body;
    expect(stored.steps[0].ringSeconds).toBe(45);
  });

  test('a recording that cannot be fetched because Twilio is not configured is not called a temporary outage', async () => {
    // as `npm start` runs out of the box: no TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN
    const bare = await startApp({ env: { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' } });
    try {
      const user = await apiAs(bare, TEST_ADMIN_TOKEN).createUser({ name: 'Vera', numbers: ['+15550009000'] });
      await bare.deps.store.saveVoicemail({
        id: 'RE00000000000000000000000000000009', callSid: 'CA00000000000000000000000000000009', userId: user.id,
        from: '+15557654321', to: '+15550009000', durationSeconds: 12, recordingUrl: 'https://api.twilio.com/rec/RE9',
        createdAt: new Date().toISOString(),
      });
      page = await suite.open('voicemails', { token: TEST_ADMIN_TOKEN, app: bare });
      await page.getByRole('button', { name: /Load recording/ }).click();
      await page.getByText(/Could not load the recording/).waitFor();

      // the banner, when shown, is shown before the row's message (api.js dispatches 'unavailable' before throwing)
      const banner = page.locator('#banner');
      const text = (await banner.isVisible()) ? await banner.innerText() : '';
      expect(text).not.toMatch(/temporarily unavailable|try again in a moment/i);
    } finally {
      await bare.close();
    }
  });
});
