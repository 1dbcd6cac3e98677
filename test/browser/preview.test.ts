import type { Page, Request } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';

import { panelSuite } from '../support/panel-suite';

/**
 * The rule editor's "Test this rule" panel. Its request and answer shapes:
 *   POST /api/rules/:id/preview (saved rule) or POST /api/rules/preview with { rule } (unsaved), body
 *   { rule?, destinations: { "<target>": { kind, after? } } } → { events: [{ at, text }], outcome: { kind, to?, atSeconds } }.
 * The run against the real endpoint is skipped, with a warning, while the server answers 404.
 */
describeInBrowser('admin panel: testing a rule in the editor', () => {
  const suite = panelSuite();
  let page: Page;
  let ruleId: string;

  beforeAll(async () => {
    const owner = await suite.admin.createUser({ name: 'Tess Tester', numbers: ['+15556660001'] });
    const rule = await suite.admin.createRule({
      userId: owner.id,
      name: 'Office then home',
      mode: 'followMe',
      steps: [
        { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 20 },
        { destinations: [{ type: 'number', to: '+15551230002', label: 'Home' }], ringSeconds: 30 },
      ],
    });
    ruleId = rule.id;
  });
  beforeEach(async () => {
    page = await suite.open(`rules/${ruleId}`, { token: TEST_ADMIN_TOKEN });
    await page.getByRole('heading', { name: 'Test this rule' }).waitFor();
  });

  const panel = () => page.getByRole('region', { name: 'Test this rule' });

  test('the panel offers a behaviour for each destination of the rule, and follows edits to the steps', async () => {
    await expect(panel().getByLabel('Office', { exact: true }).inputValue()).resolves.toBe('noAnswer');
    await expect(panel().getByLabel('Home', { exact: true }).inputValue()).resolves.toBe('noAnswer');
    const choices = await panel().getByLabel('Office', { exact: true }).locator('option').allTextContents();
    expect(choices).toEqual(expect.arrayContaining(['rings out (nobody answers)', 'is busy', 'answers after N s',
      'carrier voicemail answers after N s', 'answers after N s and presses 2']));

    await page.getByLabel('Label (step 2, destination 1)').fill('Cottage');
    await expect(panel().getByLabel('Cottage', { exact: true }).count()).resolves.toBe(1);
  });

  test("an unsaved change is tested with the editor's rule body and the answer is shown as a timeline", async () => {
    let sent: Request | undefined;
    await page.route('**/api/rules/preview', async (route) => {
      sent = route.request();
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          events: [
            { at: 0, text: 'Office rings' },
            { at: 20, text: 'Office did not answer; Home rings' },
            { at: 95, text: 'Home answers' },
          ],
          outcome: { kind: 'connected', to: '+15551230002', atSeconds: 95 },
          notes: ['The rule has a schedule (America/New_York); the preview ignores it.'],
        }),
      });
    });
    await page.getByLabel('Label (step 2, destination 1)').fill('Cottage');
    await panel().getByLabel('Cottage', { exact: true }).selectOption('answer');
    await panel().getByLabel('seconds for Cottage').fill('75');
    await panel().getByRole('button', { name: 'Run test' }).click();

    const timeline = panel().getByRole('list', { name: 'What happened' });
    await timeline.waitFor();
    expect(await timeline.getByRole('listitem').allTextContents()).toEqual([
      '0:00 Office rings',
      '0:20 Office did not answer; Home rings',
      '1:35 Home answers',
    ]);
    // who took the call, named as the editor names it
    await expect(panel().locator('p.outcome').textContent()).resolves.toBe('Outcome: Connected — Cottage at 1:35');
    // how the preview differs from a real call is shown with it
    expect(await panel().getByRole('list', { name: 'Notes' }).getByRole('listitem').allTextContents())
      .toEqual(['The rule has a schedule (America/New_York); the preview ignores it.']);
    const body = sent?.postDataJSON();
    expect(body.destinations).toEqual({ '+15551230001': { kind: 'noAnswer' }, '+15551230002': { kind: 'answer', after: 75 } });
    expect(body.rule).toMatchObject({ name: 'Office then home', steps: [{ ringSeconds: 20 }, { destinations: [{ label: 'Cottage' }] }] });
  });

  /** The error note a control points to with aria-describedby (beyond its hint), as a screen reader reads it. */
  async function errorOf(control: ReturnType<Page['getByLabel']>): Promise<string> {
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"].field-error`).allTextContents()));
    return texts.flat().join(' ');
  }

  test('a rule the test cannot run has its problem marked at the field: ring seconds of 3 on that field, said next to Run test too', async () => {
    const ring = page.getByLabel('Ring for (seconds), step 1');
    await ring.fill('3');
    await panel().getByRole('button', { name: 'Run test' }).click();
    await page.locator('[data-path="steps.0.ringSeconds"][aria-invalid="true"]').waitFor();
    expect(await errorOf(ring)).toMatch(/5/);
    const status = await panel().getByRole('status').textContent();
    expect(status).toMatch(/marked/);
    expect(status).not.toMatch(/steps\[0\]|rule\./);
    // corrected, the test runs
    await ring.fill('20');
    await panel().getByRole('button', { name: 'Run test' }).click();
    await panel().getByRole('list', { name: 'What happened' }).waitFor();
    await expect(page.locator('[aria-invalid="true"]').count()).resolves.toBe(0);
  });

  test("a destination's answer time the test refuses (700 s) is marked on that destination's N field", async () => {
    await panel().getByLabel('Office', { exact: true }).selectOption('answer');
    const after = panel().getByLabel('seconds for Office');
    await after.fill('700');
    await panel().getByRole('button', { name: 'Run test' }).click();
    await panel().locator('input[aria-invalid="true"]').waitFor();
    await expect(after.getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await errorOf(after)).toMatch(/600/);
    await expect(page.getByLabel('Ring for (seconds), step 1').getAttribute('aria-invalid')).resolves.toBeNull();
  });

  test('the saved rule runs in the emulator: the office rings out, home answers after 5 s', async () => {
    await panel().getByLabel('Home', { exact: true }).selectOption('answer');
    await panel().getByLabel('seconds for Home').fill('5');
    await panel().getByRole('button', { name: 'Run test' }).click();
    await panel().getByRole('list', { name: 'What happened' }).waitFor();
    const outcome = await panel().locator('p.outcome').textContent();
    expect(outcome).toContain('Connected — Home');
    expect(outcome).toContain('0:25');
  });
});
