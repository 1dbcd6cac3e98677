import type { Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { eventually } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/** The rule editor field by field: what is typed is what the rule document stores, and errors land on their field. */
describeInBrowser('admin panel: the rule editor', () => {
  const suite = panelSuite();
  let page: Page;
  let owner: { id: string };

  beforeAll(async () => {
    owner = await suite.admin.createUser({ name: 'Fiona Fields', numbers: ['+15552220001'] });
  });
  beforeEach(async () => {
    page = await suite.open('rules/new', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: 'New rule' }).waitFor();
  });

  async function savedRule(name: string) {
    await page.locator(`tr[data-row="${name}"]`).waitFor();
    const list = await suite.admin.call('GET', '/api/rules', undefined);
    return list.body.items.find((r: { name: string }) => r.name === name);
  }

  test('every field of the rule document is saved as entered', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Everything');
    await page.getByLabel('Owner').selectOption(owner.id);
    // Follow Me's own settings first: they are kept when the mode changes
    await page.getByLabel(/press 1 first/).check();
    await page.getByLabel('The business number that was dialled').check();
    await page.getByLabel(/Extend Ring/).check();
    await page.getByLabel('Enabled').uncheck();
    await page.getByLabel('Priority').fill('7');
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230001');
    await page.getByLabel('Type (step 1, destination 1)').selectOption('sip');
    await page.getByLabel('Target (step 1, destination 1)').fill('sip:desk@pbx.example.com');
    await page.locator('[data-path="steps.0.ringSeconds"]').fill('15');
    await page.getByLabel('Detect voicemail on answered calls').check();
    await page.getByLabel('Maximum hold (minutes)').fill('3');
    await page.getByLabel('Hold music URL').fill('https://music.example.com/hold.mp3');
    await page.getByLabel('Hold announcement').fill('Still looking for someone.');
    await page.getByLabel('Only at certain times').check();
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByLabel('Sat').check();
    await page.getByLabel('Mon').uncheck();
    await page.getByLabel('From (time window 1)').fill('08:30');
    await page.getByLabel('To (time window 1)').fill('12:00');
    await page.getByLabel('Greeting').fill('Leave a message.');
    await page.getByLabel('Maximum message length (seconds)').fill('60');
    await page.getByLabel('Transcribe messages').check();
    await page.getByRole('button', { name: 'Create rule' }).click();

    expect(await savedRule('Everything')).toMatchObject({
      userId: owner.id, name: 'Everything', mode: 'extendRing', enabled: false, priority: 7,
      steps: [{ destinations: [{ type: 'sip', to: 'sip:desk@pbx.example.com' }], ringSeconds: 15 }],
      confirm: true, callerId: 'called', detectVoicemail: true,
      maxHoldMinutes: 3, holdMusicUrl: 'https://music.example.com/hold.mp3', holdAnnouncement: 'Still looking for someone.',
      schedule: { timezone: 'Europe/Berlin', windows: [{ days: ['tue', 'wed', 'thu', 'fri', 'sat'], from: '08:30', to: '12:00' }] },
      voicemail: { greeting: 'Leave a message.', maxLengthSeconds: 60, transcribe: true },
    });
  });

  test('only the settings of the chosen mode are shown: hold and voicemail detection for Extend Ring, confirm and caller ID for Follow Me', async () => {
    const visible = async (label: string | RegExp): Promise<boolean> => page.getByLabel(label).first().isVisible();
    await page.getByLabel(/Follow Me/).check();
    expect(await visible(/press 1 first/)).toBe(true);
    expect(await visible('The business number that was dialled')).toBe(true);
    expect(await visible('Maximum hold (minutes)')).toBe(false);
    expect(await visible('Detect voicemail on answered calls')).toBe(false);
    await page.getByLabel(/Extend Ring/).check();
    expect(await visible(/press 1 first/)).toBe(false);
    expect(await visible('The business number that was dialled')).toBe(false);
    expect(await visible('Maximum hold (minutes)')).toBe(true);
    expect(await visible('Hold announcement')).toBe(true);
    expect(await visible('Detect voicemail on answered calls')).toBe(true);
  });

  test('an error on a setting of the other mode (a hold left at 90 minutes, then Follow Me chosen) shows that setting, to be fixed', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Hidden error');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230001');
    await page.getByLabel(/Extend Ring/).check();
    await page.getByLabel('Maximum hold (minutes)').fill('90');
    await page.getByLabel(/Follow Me/).check();
    await page.getByRole('button', { name: 'Create rule' }).click();

    await page.locator('.field-error').first().waitFor();
    expect(await page.getByLabel('Maximum hold (minutes)').isVisible()).toBe(true);
    expect(await page.locator('.field-error').first().isVisible()).toBe(true);
    await page.getByRole('alert').getByRole('button').first().click();
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.path)).toBe('maxHoldMinutes');
  });

  test('steps can be reordered and removed, and time windows added and removed', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Reordered');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230001');
    for (const [n, to] of [[2, '+15551230002'], [3, '+15551230003']] as const) {
      await page.getByRole('button', { name: 'Add step' }).click();
      await page.getByLabel(`Target (step ${n}, destination 1)`).fill(to);
    }
    await page.getByRole('button', { name: 'Move step 3 up' }).click();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Move step 2 up');
    await page.getByRole('button', { name: 'Move step 1 down' }).click();
    await page.getByRole('button', { name: 'Remove step 3', exact: true }).click();
    await page.getByLabel('Only at certain times').check();
    await page.getByRole('button', { name: 'Add time window' }).click();
    await page.getByRole('button', { name: 'Remove time window 1' }).click();
    await page.getByRole('button', { name: 'Create rule' }).click();

    const rule = await savedRule('Reordered');
    expect(rule.steps.map((s: { destinations: { to: string }[] }) => s.destinations[0].to)).toEqual(['+15551230003', '+15551230001']);
    expect(rule.schedule.windows).toHaveLength(1);
  });

  test('double-clicking "Create rule" creates the rule once', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Clicked twice');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230001');
    await page.getByRole('button', { name: 'Create rule' }).dblclick();

    await page.locator('tr[data-row="Clicked twice"]').first().waitFor();
    const list = await suite.admin.call('GET', '/api/rules?q=Clicked', undefined);
    expect(list.body.items.map((r: { name: string }) => r.name)).toEqual(['Clicked twice']);
  });

  test('a time missing from the second of two time windows is named with its window, in the summary and on the field', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Two windows');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551230001');
    await page.getByLabel('Only at certain times').check();
    await page.getByRole('button', { name: 'Add time window' }).click();
    await page.getByLabel('From (time window 2)').fill('');
    await page.getByRole('button', { name: 'Create rule' }).click();

    const from = page.getByLabel('From (time window 2)');
    await eventually(async () => expect(await from.getAttribute('aria-invalid')).toBe('true'));
    expect(await page.getByLabel('From (time window 1)').getAttribute('aria-invalid')).toBeNull();
    const summary = page.getByRole('alert').filter({ hasText: 'problem' });
    await summary.getByRole('button', { name: /^From \(time window 2\):/ }).click();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('From (time window 2)');
  });

  test('a rule without a name, owner or valid target shows each error on its own field', async () => {
    await page.getByLabel('Target (step 1, destination 1)').fill('555-1234');
    await page.getByRole('button', { name: 'Create rule' }).click();

    for (const label of ['Name', 'Owner', 'Target (step 1, destination 1)']) {
      const field = page.getByLabel(label, { exact: true });
      await eventually(async () => expect(await field.getAttribute('aria-invalid')).toBe('true'));
    }
    const summary = page.getByRole('alert').filter({ hasText: 'problems' });
    await expect(summary.textContent()).resolves.toContain('country code');
    await summary.getByRole('button', { name: /Target \(step 1, destination 1\)/ }).click();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('Target (step 1, destination 1)');

    await page.getByLabel('Name', { exact: true }).fill('Fixed');
    await page.getByLabel('Owner').selectOption(owner.id);
    await page.getByLabel('Target (step 1, destination 1)').fill('+15551234567');
    await page.getByRole('button', { name: 'Create rule' }).click();
    expect((await savedRule('Fixed')).steps[0].destinations[0].to).toBe('+15551234567');
  });

  test('a typo in a number ("3e" minutes, a lone "-") is pointed out next to its field, and the rule keeps its settings', async () => {
    const rule = await suite.admin.createRule({
      userId: owner.id, name: 'Typo', mode: 'extendRing', priority: 5, maxHoldMinutes: 3,
      steps: [{ destinations: [{ type: 'number', to: '+15551230001' }], ringSeconds: 20 }],
    });
    await page.goto(`${suite.app.baseUrl}/admin/rules/${rule.id}`);
    await page.getByRole('heading', { name: 'Edit rule: Typo' }).waitFor();
    const hold = page.getByLabel('Maximum hold (minutes)');
    await hold.click();
    await hold.press('End');
    await page.keyboard.type('e');
    const priority = page.getByLabel('Priority');
    await priority.click();
    await priority.press('Control+a');
    await page.keyboard.type('-');
    await page.getByRole('button', { name: 'Save changes' }).click();

    for (const field of [hold, priority]) {
      await eventually(async () => expect(await field.getAttribute('aria-invalid')).toBe('true'));
    }
    const summary = page.getByRole('alert').filter({ hasText: 'problems' });
    await expect(summary.textContent()).resolves.toContain('Maximum hold (minutes): Enter a whole number');
    await expect(summary.textContent()).resolves.toContain('Priority: Enter a whole number');
    expect(await page.locator('.field-error').allTextContents()).toEqual(['Enter a whole number.', 'Enter a whole number.']);
    const stored = await suite.admin.call('GET', `/api/rules/${rule.id}`);
    expect(stored.body).toMatchObject({ priority: 5, maxHoldMinutes: 3 });
    expect(new URL(page.url()).pathname).toBe(`/admin/rules/${rule.id}`);
  });

  test('saving a rule someone deleted meanwhile says so next to Save, and the message gets the keyboard focus', async () => {
    const rule = await suite.admin.createRule({
      userId: owner.id, name: 'Gone', mode: 'followMe', steps: [{ destinations: [{ type: 'number', to: '+15551230001' }] }],
    });
    await page.goto(`${suite.app.baseUrl}/admin/rules/${rule.id}`);
    await page.getByRole('heading', { name: 'Edit rule: Gone' }).waitFor();
    await page.getByLabel('Priority').fill('4');
    await suite.admin.call('DELETE', `/api/rules/${rule.id}`);
    const save = page.getByRole('button', { name: 'Save changes' });
    await save.click();

    const message = page.getByText('The rule was not saved. This rule no longer exists: someone deleted it after you opened it.');
    await message.waitFor();
    expect(await message.evaluate((el) => el === document.activeElement)).toBe(true);
    // next to the button, both on screen (the form is some 3,500 px long; the button is at its end)
    const [messageBox, saveBox] = [await message.boundingBox(), await save.boundingBox()];
    expect(Math.abs(messageBox!.y - saveBox!.y)).toBeLessThan(100);
    expect(messageBox!.y + messageBox!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    expect(await save.isEnabled()).toBe(true);
  });

  test('with unsaved changes, leaving by a link or the Forward button asks first: staying keeps the changes, leaving drops them', async () => {
    const name = page.getByLabel('Name', { exact: true });
    const leaveDialog = page.getByRole('dialog', { name: 'Leave without saving?' });
    await page.getByRole('link', { name: '← All rules' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    expect(await leaveDialog.isVisible()).toBe(false);

    await page.goBack();
    await page.getByRole('heading', { name: 'New rule' }).waitFor();
    await name.fill('Half-typed');
    await page.getByRole('link', { name: '← All rules' }).click();
    await leaveDialog.getByRole('button', { name: 'Stay on this page' }).click();
    expect(await name.inputValue()).toBe('Half-typed');
    expect(new URL(page.url()).pathname).toBe('/admin/rules/new');

    await page.goForward();
    await leaveDialog.getByRole('button', { name: 'Stay on this page' }).click();
    await eventually(() => expect(new URL(page.url()).pathname).toBe('/admin/rules/new'));
    expect(await name.inputValue()).toBe('Half-typed');

    await page.getByRole('link', { name: '← All rules' }).click();
    await leaveDialog.getByRole('button', { name: 'Leave without saving' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    const list = await suite.admin.call('GET', '/api/rules', undefined);
    expect(list.body.items.map((r: { name: string }) => r.name)).not.toContain('Half-typed');
  });

  test('with unsaved changes, reloading the page gets the browser\'s own "leave site?" prompt', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Half-typed');
    const prompted = new Promise<string>((resolve) => page.once('dialog', (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    }));
    void page.reload().catch(() => undefined);
    await expect(prompted).resolves.toBe('beforeunload');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Half-typed');
  });
});
