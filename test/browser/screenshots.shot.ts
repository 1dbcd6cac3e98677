import path from 'node:path';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import type { ApiClient } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * Writes the panel's screenshots for the docs: docs/rules-list.png and docs/rule-editor.png.
 * Not part of `npm test` (the name does not end in .test.ts); run it on purpose:
 *   npx jest --testMatch '**\/test/browser/screenshots.shot.ts'
 */
const DOCS = path.join(__dirname, '..', '..', 'docs');

describeInBrowser('admin panel screenshots', () => {
  const suite = panelSuite();

  beforeAll(async () => {
    await seed(suite.admin);
  });

  test('the rules list and the rule editor', async () => {
    const page = await suite.open('', { token: TEST_ADMIN_TOKEN });
    await page.getByRole('link', { name: 'Rules' }).click();
    await page.locator('tr[data-row="Weekday hunting"]').waitFor();
    await page.screenshot({ path: path.join(DOCS, 'rules-list.png'), fullPage: true });

    await page.locator('tr[data-row="Weekday hunting"] td').nth(3).click();
    await page.getByRole('heading', { name: 'Edit rule: Weekday hunting' }).waitFor();
    await page.screenshot({ path: path.join(DOCS, 'rule-editor.png'), fullPage: true });
  });
});

async function seed(admin: ApiClient): Promise<void> {
  const john = await admin.createUser({ name: 'John Smith', numbers: ['+15550100100'], canManageRules: true });
  const maria = await admin.createUser({ name: 'Maria Garcia', numbers: ['+15550100200'] });
  await admin.createRule({
    userId: john.id,
    name: 'Weekday hunting',
    mode: 'followMe',
    steps: [
      { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: '+15551230002', label: 'Home' }], ringSeconds: 30 },
      { destinations: [{ type: 'number', to: '+15551230003', label: 'Cell' }, { type: 'client', to: 'john', label: 'John' }] },
    ],
    schedule: { timezone: 'America/New_York', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
    voicemail: { greeting: "John can't take your call. Leave a message after the tone.", maxLengthSeconds: 120, transcribe: true },
  });
  await admin.createRule({
    userId: john.id,
    name: 'After hours',
    priority: 10,
    mode: 'extendRing',
    steps: [{ destinations: [{ type: 'number', to: '+15551230003', label: 'Cell' }], ringSeconds: 25 }],
    maxHoldMinutes: 5,
    holdAnnouncement: 'Thanks for holding, we are finding someone for you.',
  });
  await admin.createRule({
    userId: maria.id,
    name: 'Support desk',
    mode: 'extendRing',
    steps: [
      { destinations: [{ type: 'sip', to: 'sip:desk1@pbx.example.com', label: 'Desk 1' }, { type: 'sip', to: 'sip:desk2@pbx.example.com', label: 'Desk 2' }], ringSeconds: 20 },
      { destinations: [{ type: 'number', to: '+15551230009', label: 'Maria cell' }], ringSeconds: 30 },
    ],
  });
  await admin.createRule({
    userId: maria.id,
    name: 'Holiday closure',
    enabled: false,
    priority: -5,
    mode: 'followMe',
    steps: [{ destinations: [{ type: 'client', to: 'maria' }], ringSeconds: 15 }],
  });
}
