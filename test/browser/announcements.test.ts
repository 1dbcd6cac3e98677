import type { JSHandle, Locator, Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { eventually, signIn, simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * What an action's result says reaches screen readers: it is written into a live region (role=status, role=alert or
 * aria-live) that was already on the page before the action. A region created with its text already in it, as a page
 * is built, is not reliably announced.
 */
const LIVE = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]';

/** The page's live regions now, to check later that one of them received a message. */
function liveRegionsNow(page: Page): Promise<JSHandle<Element[]>> {
  return page.evaluateHandle((selector) => [...document.querySelectorAll(selector)], LIVE);
}

/** Whether one of `regions`, still on the page and not hidden from assistive technology, says `text`. */
function saysInOneOf(regions: JSHandle<Element[]>, text: string): Promise<boolean> {
  return regions.evaluate((elements, wanted) => elements.some((el) =>
    el.isConnected && !el.closest('[hidden], [aria-hidden="true"]') && (el.textContent ?? '').includes(wanted)), text);
}

async function expectAnnounced(regions: JSHandle<Element[]>, text: string): Promise<void> {
  await eventually(async () => expect(await saysInOneOf(regions, text)).toBe(true));
}

/** Clicks `control` once it is there: `text` must then reach a live region that was on the page before the click. */
async function expectClickAnnounced(page: Page, control: Locator, text: string): Promise<void> {
  await control.waitFor();
  const regions = await liveRegionsNow(page);
  await control.click();
  await expectAnnounced(regions, text);
}

describeInBrowser('admin panel: results are announced to screen readers', () => {
  // no Twilio configured: a voicemail's recording cannot be fetched
  const suite = panelSuite({ app: { env: { TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '' } } });
  let owner: { id: string; token: string };

  beforeAll(async () => {
    owner = await suite.admin.createUser({ name: 'Lina Listener', numbers: ['+15551110001'] });
  });

  test('saving a rule: "Saved rule …" goes into a live region that was on the page before Save was pressed', async () => {
    const rule = await suite.admin.createRule(simpleRule(owner.id, 'Announced weekdays'));
    const page = await suite.open(`rules/${rule.id}`, { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: 'Edit rule: Announced weekdays' }).waitFor();
    await page.getByLabel('Ring for (seconds), step 1').fill('35');
    const regions = await liveRegionsNow(page);
    expect(await saysInOneOf(regions, 'Saved rule')).toBe(false);

    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await expectAnnounced(regions, 'Saved rule “Announced weekdays”.');
  });

  test('creating a rule and deleting one in the editor are announced the same way', async () => {
    const page = await suite.open('rules/new', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: 'New rule' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Announced new');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230009');
    const regions = await liveRegionsNow(page);
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expectAnnounced(regions, 'Saved rule “Announced new”.');

    await page.getByRole('link', { name: 'Announced new' }).click();
    await page.getByRole('heading', { name: 'Edit rule: Announced new' }).waitFor();
    await page.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expectAnnounced(regions, 'Deleted rule “Announced new”.');
  });

  test('an administrator who makes herself a plain user: that her details were saved is announced on the Rules page', async () => {
    const ada = await suite.admin.createUser({ name: 'Ada Announced', role: 'admin', numbers: ['+15551110002'] });
    const page = await suite.open('users', { token: ada.token });
    await page.getByRole('button', { name: 'Details of Ada Announced' }).click();
    const dialog = page.getByRole('dialog', { name: 'Details of Ada Announced' });
    await dialog.getByLabel('Role').selectOption('user');
    const regions = await liveRegionsNow(page);
    await dialog.getByRole('button', { name: 'Save details' }).click();

    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await expectAnnounced(regions, 'Saved the details of Ada Announced. You are no longer an administrator.');
  });

  test('the Users page: granting rule management is announced in the page\'s status line, there before the click', async () => {
    const page = await suite.open('users', { token: TEST_ADMIN_TOKEN });
    const grant = page.getByRole('button', { name: 'Grant rule management for Lina Listener' });
    await expectClickAnnounced(page, grant, 'Lina Listener may now manage their own rules.');
  });

  test('the Callbacks page: marking a callback done is announced in the page\'s status line, there before the click', async () => {
    await suite.app.deps.store.saveCallback({
      id: 'cb_41', callSid: 'CA00000000000000000000000000000042', userId: owner.id, from: '+15557654342', to: '+15551110001',
      number: '+15557654343', status: 'open', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
    });
    const page = await suite.open('callbacks', { token: TEST_ADMIN_TOKEN });
    await expectClickAnnounced(page, page.getByRole('button', { name: 'Mark +15557654343 done' }), 'Marked +15557654343 done.');
  });

  describe('the Voicemail page', () => {
    let page: Page;
    beforeEach(async () => {
      await suite.app.deps.store.saveVoicemail({
        id: 'RE00000000000000000000000000000041', callSid: 'CA00000000000000000000000000000041', userId: owner.id,
        from: '+15557654341', to: '+15551110001', durationSeconds: 9, recordingUrl: 'https://api.twilio.com/rec/RE41',
        createdAt: new Date().toISOString(),
      });
      page = await suite.open('voicemails', { token: TEST_ADMIN_TOKEN });
      await page.locator('tr[data-row="+15557654341"]').waitFor();
    });

    test('a recording that cannot be loaded is announced from a live region there before Load recording was pressed', async () => {
      const load = page.getByRole('button', { name: /Load recording: message from \+15557654341/ });
      await expectClickAnnounced(page, load, 'Could not load the recording');
    });

    test('a recording that cannot be loaded, asked for by keyboard: the focus goes to the message saying so, and Tab goes on to the row\'s Delete', async () => {
      const load = page.getByRole('button', { name: /Load recording: message from \+15557654341/ });
      const regions = await liveRegionsNow(page);
      await load.focus();
      await page.keyboard.press('Enter');
      await expectAnnounced(regions, 'Could not load the recording');

      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        return el === null || el === document.body ? 'BODY' : (el.textContent ?? '').trim();
      });
      expect(focused).toMatch(/^Could not load the recording/);
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toMatch(/^Delete message from \+15557654341/);
    });

    test('deleting a message is announced in the page\'s status line, there before the click', async () => {
      const regions = await liveRegionsNow(page);
      await page.getByRole('button', { name: /Delete message from \+15557654341/ }).click();
      await page.getByRole('button', { name: 'Delete', exact: true }).click();
      await expectAnnounced(regions, 'Message deleted.');
    });
  });
});

describeInBrowser('admin panel: being sent to sign in again is announced', () => {
  const suite = panelSuite();

  test('a token that stopped working: "Sign in again" goes into a live region that was there before the click', async () => {
    const user = await suite.admin.createUser({ name: 'Rita Rotated', numbers: ['+15551110003'] });
    const page = await suite.open('', { token: user.token });
    await page.getByText('No rules yet.').waitFor();
    await suite.admin.call('POST', `/api/users/${user.id}/token`);
    const regions = await liveRegionsNow(page);

    await page.getByRole('button', { name: 'Reload' }).click();

    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAnnounced(regions, 'Sign in again.');
  });

  test('changes kept through signing in again: that they are back, not saved yet, is announced in the editor', async () => {
    const user = await suite.admin.createUser({ name: 'Kim Kept', numbers: [], canManageRules: true });
    const rule = await suite.admin.createRule(simpleRule(user.id, 'Kept weekdays'));
    const page = await suite.open(`rules/${rule.id}`, { token: user.token });
    await page.getByRole('heading', { name: 'Edit rule: Kept weekdays' }).waitFor();
    await page.getByLabel('Ring for (seconds), step 1').fill('45');
    const { body } = await suite.admin.call('POST', `/api/users/${user.id}/token`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const regions = await liveRegionsNow(page);

    await signIn(page, body.token);

    await page.getByRole('heading', { name: 'Edit rule: Kept weekdays' }).waitFor();
    await expectAnnounced(regions, 'Your changes from before you signed in again are back, not saved yet.');
  });
});
