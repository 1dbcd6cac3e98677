import type { Locator, Page } from 'playwright-core';
import { Receiver } from '../notify/receiver';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { eventually } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/** The users page: what an administrator does to people's accounts, and what the people then notice. */
describeInBrowser('admin panel: an administrator manages users', () => {
  const suite = panelSuite();
  let page: Page;

  beforeEach(async () => {
    page = await suite.open('users', { token: TEST_ADMIN_TOKEN });
  });

  const row = (name: string) => page.locator(`tr[data-row="${name}"]`);

  test('the new token can be copied with the copy button', async () => {
    await suite.session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.app.baseUrl });
    await page.getByText('New user').click();
    await page.getByLabel('Name').fill('Clara Copy');
    await page.getByRole('button', { name: 'Create user' }).click();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(token);
  });

  test('double-clicking "Create user" creates one user, whose token is the one shown', async () => {
    await page.getByText('New user').click();
    await page.getByLabel('Name').fill('Dana Double');
    await page.getByRole('button', { name: 'Create user' }).dblclick();
    await page.getByRole('heading', { name: 'Token for Dana Double' }).waitFor();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    await row('Dana Double').first().waitFor();

    const found = await suite.admin.call('GET', '/api/users?q=Dana%20Double');
    expect(found.body.items.map((u: { name: string }) => u.name)).toEqual(['Dana Double']);
    expect((await suite.as(token).call('GET', '/api/me')).body.name).toBe('Dana Double');
  });

  test('a number that already belongs to someone is refused next to the numbers field', async () => {
    await suite.admin.createUser({ name: 'Owner Olga', numbers: ['+15553330001'] });
    await page.getByText('New user').click();
    await page.getByLabel('Name').fill('Late Larry');
    await page.getByLabel('Phone numbers').fill('+15553330001');
    await page.getByRole('button', { name: 'Create user' }).click();
    const numbers = page.getByLabel('Phone numbers');
    await eventually(async () => expect(await numbers.getAttribute('aria-invalid')).toBe('true'));
    await expect(page.locator('.user-form .field-error').textContent()).resolves.toContain('already belongs to another user');
  });

  test('an administrator assigns numbers to a user', async () => {
    const user = await suite.admin.createUser({ name: 'Nina Numbers', numbers: ['+15553330002'] });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Nina Numbers').getByRole('button', { name: 'Numbers of Nina Numbers' }).click();
    const dialog = page.getByRole('dialog', { name: 'Numbers of Nina Numbers' });
    await dialog.getByLabel('Phone numbers').fill('+15553330002\n+15553330003');
    await dialog.getByRole('button', { name: 'Save numbers' }).click();
    await eventually(async () => expect(await row('Nina Numbers').textContent()).toContain('+15553330002, +15553330003'));
    expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body.numbers).toEqual(['+15553330002', '+15553330003']);
  });

  test('a number that already belongs to someone is refused next to the field in the Numbers dialog', async () => {
    await suite.admin.createUser({ name: 'Owner Otto', numbers: ['+15553330011'] });
    await suite.admin.createUser({ name: 'Nora Numbers', numbers: ['+15553330012'] });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Nora Numbers').getByRole('button', { name: 'Numbers of Nora Numbers' }).click();
    const dialog = page.getByRole('dialog', { name: 'Numbers of Nora Numbers' });
    await dialog.getByLabel('Phone numbers').fill('+15553330012\n+15553330011');
    await dialog.getByRole('button', { name: 'Save numbers' }).click();
    await eventually(async () => expect(await dialog.getByLabel('Phone numbers').getAttribute('aria-invalid')).toBe('true'));
    await expect(dialog.locator('.field-error').first().textContent()).resolves.toContain('already belongs to another user');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('an administrator clears a user\'s notification webhook in the Details dialog', async () => {
    const user = await suite.admin.createUser({ name: 'Wendy Webhook', numbers: ['+15553330013'], notifyUrl: 'https://hooks.example.com/wendy' });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Wendy Webhook').getByRole('button', { name: 'Details of Wendy Webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'Details of Wendy Webhook' });
    expect(await dialog.getByLabel('Notification webhook URL (optional)').inputValue()).toBe('https://hooks.example.com/wendy');
    await dialog.getByLabel('Notification webhook URL (optional)').fill('');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Saved the details of Wendy Webhook.').waitFor();
    expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body.notifyUrl).toBeUndefined();
  });

  test('an administrator sees a webhook URL\'s password in the Details dialog, and saving another field keeps it', async () => {
    const url = 'https://hooks:s3cret-pw@crm.example.com/calls/in';
    const user = await suite.admin.createUser({ name: 'Pat Password', numbers: ['+15553330015'], notifyUrl: url });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Pat Password').getByRole('button', { name: 'Details of Pat Password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Details of Pat Password' });
    expect(await dialog.getByLabel('Notification webhook URL (optional)').inputValue()).toBe(url);
    await dialog.getByLabel('Name').fill('Pat Smith');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Saved the details of Pat Smith.').waitFor();
    expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body).toMatchObject({ name: 'Pat Smith', notifyUrl: url });
    // Pat, no administrator, signs in: the panel works for them, and their own record shows no password
    await suite.session.context.close();
    const own = await suite.open('rules', { token: user.token });
    await own.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    const me = await own.evaluate(async (token) => (await fetch('/api/me', { headers: { Authorization: `Bearer ${token}` } })).json(), user.token);
    expect(me.notifyUrl).toBe('https://hooks:***@crm.example.com/calls/in');
  });

  describe('"Send a test notification" next to the webhook URL', () => {
    let receiver: Receiver | undefined;
    afterEach(async () => {
      await receiver?.close();
      receiver = undefined;
    });

    async function sendTestFor(name: string): Promise<Locator> {
      await page.getByRole('button', { name: 'Reload' }).click();
      await row(name).getByRole('button', { name: `Details of ${name}` }).click();
      const dialog = page.getByRole('dialog', { name: `Details of ${name}` });
      await dialog.getByRole('button', { name: 'Send a test notification' }).click();
      return dialog;
    }

    test('the receiver gets one test event, and the administrator reads that it took it', async () => {
      receiver = await Receiver.start([200]);
      const user = await suite.admin.createUser({ name: 'Tess Test', numbers: ['+15553330031'], notifyUrl: receiver.url });
      const dialog = await sendTestFor('Tess Test');
      await dialog.getByText('The receiver took the test notification (HTTP 200).').waitFor();
      expect(receiver.events()).toEqual([expect.objectContaining({ type: 'test', user: { id: user.id, name: 'Tess Test' } })]);
    });

    test('a receiver that answers 503 is reported as not delivered, with its status', async () => {
      receiver = await Receiver.start([503]);
      await suite.admin.createUser({ name: 'Rory Refused', numbers: ['+15553330032'], notifyUrl: receiver.url });
      const dialog = await sendTestFor('Rory Refused');
      await dialog.getByText('The test notification was not delivered: HTTP 503.').waitFor();
      expect(receiver.received).toHaveLength(1);
    });

    test('a user with no webhook, on a server with no default one, is told there is no receiver to test', async () => {
      await suite.admin.createUser({ name: 'Nell Nowhere', numbers: ['+15553330033'] });
      const dialog = await sendTestFor('Nell Nowhere');
      await dialog.getByText(/^No test notification was sent: Nell Nowhere has no notifyUrl and NOTIFY_WEBHOOK_URL is not set/).waitFor();
    });
  });

  test('an administrator changes a user\'s name, email, webhook and role, and clears the email', async () => {
    const user = await suite.admin.createUser({ name: 'Dora Details', email: 'dora@example.com', numbers: ['+15553330009'] });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Dora Details').getByRole('button', { name: 'Details of Dora Details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Details of Dora Details' });
    expect(await dialog.getByLabel('Email (optional)').inputValue()).toBe('dora@example.com');
    await dialog.getByLabel('Name').fill('Dora Smith');
    await dialog.getByLabel('Email (optional)').fill('');
    await dialog.getByLabel('Notification webhook URL (optional)').fill('not a url');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    // the bad URL is refused next to its field, and nothing is saved
    await eventually(async () => expect(await dialog.getByLabel('Notification webhook URL (optional)').getAttribute('aria-invalid')).toBe('true'));
    expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body.name).toBe('Dora Details');

    await dialog.getByLabel('Notification webhook URL (optional)').fill('https://hooks.example.com/dora');
    await dialog.getByLabel('Role').selectOption('admin');
    await dialog.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Saved the details of Dora Smith.').waitFor();
    const saved = (await suite.admin.call('GET', `/api/users/${user.id}`)).body;
    expect(saved).toMatchObject({ name: 'Dora Smith', notifyUrl: 'https://hooks.example.com/dora', role: 'admin', numbers: ['+15553330009'] });
    expect(saved.email).toBeUndefined();
  });

  test('an administrator who makes herself a plain user is told it was saved, and is taken to the Rules page', async () => {
    const ada = await suite.admin.createUser({ name: 'Ada Admin', role: 'admin', numbers: ['+15553330014'] });
    await suite.session.context.close();
    page = await suite.open('users', { token: ada.token });
    await row('Ada Admin').getByRole('button', { name: 'Details of Ada Admin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Details of Ada Admin' });
    await dialog.getByLabel('Role').selectOption('user');
    await dialog.getByRole('button', { name: 'Save details' }).click();

    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    await page.getByText('Saved the details of Ada Admin. You are no longer an administrator.').waitFor();
    await expect(page.getByText(/not saved/).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Users' }).isVisible()).resolves.toBe(false);
    expect((await suite.admin.call('GET', `/api/users/${ada.id}`)).body.role).toBe('user');
  });

  test('granting rule management lets the user change rules; revoking takes it back', async () => {
    const user = await suite.admin.createUser({ name: 'Gina Grant', numbers: ['+15553330004'] });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Gina Grant').getByRole('button', { name: 'Grant rule management for Gina Grant' }).click();
    await eventually(async () => expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body.canManageRules).toBe(true));
    await row('Gina Grant').getByRole('button', { name: 'Revoke rule management for Gina Grant' }).click();
    await eventually(async () => expect((await suite.admin.call('GET', `/api/users/${user.id}`)).body.canManageRules).toBe(false));
    const attempt = await suite.as(user.token).call('POST', '/api/rules', {
      name: 'not allowed', mode: 'followMe', steps: [{ destinations: [{ type: 'number', to: '+15551230001' }] }],
    });
    expect(attempt.status).toBe(403);
  });

  test('rotating a token shows the new one once; the old one stops working', async () => {
    const user = await suite.admin.createUser({ name: 'Rory Rotate', numbers: ['+15553330005'] });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Rory Rotate').getByRole('button', { name: 'Rotate token of Rory Rotate' }).click();
    await page.getByRole('dialog', { name: 'Rotate token?' }).getByRole('button', { name: 'Rotate token' }).click();
    await page.getByRole('heading', { name: 'Token for Rory Rotate' }).waitFor();
    const fresh = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(fresh).not.toBe(user.token);
    expect((await suite.as(user.token).call('GET', '/api/me')).status).toBe(401);
    expect((await suite.as(fresh).call('GET', '/api/me')).body.name).toBe('Rory Rotate');
  });

  test('deleting a user asks first, then removes them', async () => {
    const user = await suite.admin.createUser({ name: 'Dora Delete', numbers: ['+15553330006'] });
    await page.getByRole('button', { name: 'Reload' }).click();
    await row('Dora Delete').getByRole('button', { name: 'Delete Dora Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete user?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await suite.admin.call('GET', `/api/users/${user.id}`)).status).toBe(200);
    await row('Dora Delete').getByRole('button', { name: 'Delete Dora Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => expect(await row('Dora Delete').count()).toBe(0));
    expect((await suite.admin.call('GET', `/api/users/${user.id}`)).status).toBe(404);
  });
});
