import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { signIn, simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * A token that stops working while a rule is being edited (an administrator rotated it) sends the user to sign in
 * again: what they had typed is not lost, but waits for them in the editor — and for nobody else.
 */
describeInBrowser('admin panel: signed out in the middle of editing a rule', () => {
  const suite = panelSuite();


  async function editThenLoseToken(name: string) {
    const user = await suite.admin.createUser({ name, numbers: [], canManageRules: true });
    const rule = await suite.admin.createRule(simpleRule(user.id, `${name} weekdays`));
    const page = await suite.open(`rules/${rule.id}`, { token: user.token });
    await page.getByRole('heading', { name: `Edit rule: ${name} weekdays` }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(`${name} weekdays and Saturday`);
    await page.getByLabel('Ring for (seconds), step 1').fill('45');
    const { body } = await suite.admin.call('POST', `/api/users/${user.id}/token`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    return { rule, page, newToken: body.token as string };
  }

  test('after signing in again the editor holds the unsaved changes, says so, and saves them', async () => {
    const { rule, page, newToken } = await editThenLoseToken('Tina Token');
    await signIn(page, newToken);
    await page.getByRole('heading', { name: 'Edit rule: Tina Token weekdays' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Tina Token weekdays and Saturday');
    await expect(page.getByLabel('Ring for (seconds), step 1').inputValue()).resolves.toBe('45');
    await page.getByText('not saved yet').waitFor();

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor();
    const saved = (await suite.admin.call('GET', `/api/rules/${rule.id}`)).body;
    expect({ name: saved.name, ringSeconds: saved.steps[0].ringSeconds }).toEqual({ name: 'Tina Token weekdays and Saturday', ringSeconds: 45 });
  });

  test('someone else signing in on that tab does not get the changes: they see the rule as saved', async () => {
    const { rule, page } = await editThenLoseToken('Ursula Unsaved');
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Edit rule: Ursula Unsaved weekdays' }).waitFor();
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Ursula Unsaved weekdays');
    await expect(page.getByText('not saved yet').count()).resolves.toBe(0);
    expect((await suite.admin.call('GET', `/api/rules/${rule.id}`)).body.name).toBe('Ursula Unsaved weekdays');
  });
});
