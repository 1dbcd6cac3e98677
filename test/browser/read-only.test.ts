import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser';

import { panelSuite } from '../support/panel-suite';

/**
 * A user without the canManageRules grant reads their rule, read-only: as text, each value beside its name, under a
 * heading per section — not as disabled controls, which the keyboard skips (Tab) and screen readers in focus mode
 * pass over. Nothing can be changed, everything is as legible as the page's own text, and nothing stray shows.
 */
describeInBrowser('admin panel: a rule shown read-only', () => {
  const suite = panelSuite();
  let page: Page;
  let ruleId: string;
  let token: string;

  beforeAll(async () => {
    const reader = await suite.admin.createUser({ name: 'Rhea Reader', numbers: ['+15557770001'] });
    token = reader.token;
    const rule = await suite.admin.createRule({
      userId: reader.id, name: 'Rhea office hours', mode: 'extendRing', detectVoicemail: true, priority: 3,
      steps: [
        { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 20 },
        { destinations: [{ type: 'number', to: '+15551230002' }, { type: 'client', to: 'rhea', label: 'Rhea app' }] },
      ],
      schedule: { timezone: 'Europe/Berlin', windows: [{ days: ['mon', 'fri'], from: '09:00', to: '17:00' }] },
      maxHoldMinutes: 5,
      voicemail: { transcribe: true, greeting: 'Rhea is out. Leave a message.' },
    });
    ruleId = rule.id;
  });
  beforeEach(async () => {
    page = await suite.open(`rules/${ruleId}`, { token });
    await page.getByRole('heading', { name: 'Rule: Rhea office hours' }).waitFor();
  });

  /** The names and values of the section under heading `name`, as a reader reads them. */
  function facts(name: string): Promise<Record<string, string>> {
    return page.getByRole('region', { name, exact: true }).evaluate((section) => Object.fromEntries([...section.querySelectorAll('dt')]
      .map((dt) => [dt.textContent?.trim(), (dt.nextElementSibling as HTMLElement).innerText.trim()])));
  }

  test('each section of the rule is a headed region of names and values, read as text', async () => {
    await expect(facts('Rule')).resolves.toEqual({ Name: 'Rhea office hours', Mode: expect.stringMatching(/^Extend Ring/), Enabled: 'Yes', Priority: '3' });
    await expect(facts('Answering')).resolves.toEqual({ 'Detect voicemail on answered calls': 'Yes' });
    await expect(facts('Hold')).resolves.toMatchObject({ 'Maximum hold (minutes)': '5' });
    await expect(facts('Voicemail')).resolves.toMatchObject({ Greeting: 'Rhea is out. Leave a message.', 'Transcribe messages': 'Yes' });
    const steps = await page.getByRole('region', { name: 'Steps' }).getByRole('listitem').filter({ has: page.getByRole('heading') }).allInnerTexts();
    expect(steps.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual([
      'Step 1 Rings for 20 s Office: Phone number +15551230001',
      'Step 2 Rings for 30 s Phone number +15551230002 Rhea app: App (Twilio Client) rhea',
    ]);
  });

  test('the schedule shows its time zone and windows, and no stray word such as "null"', async () => {
    const schedule = await facts('Schedule');
    expect(schedule).toEqual({ 'Time zone': 'Europe/Berlin', 'Time window 1': 'Mon, Fri, 09:00 to 17:00' });
    const words = await page.getByRole('region', { name: 'Schedule' }).innerText();
    expect(words).not.toMatch(/\bnull\b|\bundefined\b/);
  });

  test('nothing of the rule is a disabled control the keyboard would skip, and nothing can be changed', async () => {
    const found = await page.locator('main').evaluate((main) => ({
      disabled: [...main.querySelectorAll(':disabled')].map((el) => el.outerHTML.slice(0, 80)),
      // the "Test this rule" panel's choices are not the rule's: they change nothing stored
      editable: [...main.querySelectorAll('input, select, textarea, [contenteditable]')].filter((el) => !el.closest('.preview'))
        .map((el) => el.outerHTML.slice(0, 80)),
    }));
    expect(found).toEqual({ disabled: [], editable: [] });
    for (const name of ['Save changes', 'Delete rule', 'Add step', 'Add time window']) {
      await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    }
  });

  test('the rule is drawn at full strength: every value in the page ink, nothing faded', async () => {
    const looks = await page.locator('main').evaluate((main) => {
      const opacity = (el: Element | null): number => {
        let value = 1;
        for (let node = el; node; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
        return value;
      };
      return [...main.querySelectorAll('.rule-view dd')].map((dd) => ({ what: dd.textContent, color: getComputedStyle(dd).color, opacity: opacity(dd) }));
    });
    expect(looks.length).toBeGreaterThan(10);
    for (const look of looks) expect(look).toEqual({ what: look.what, color: 'rgb(27, 31, 36)', opacity: 1 });
  });

  test('on a phone (375 px) the read-only rule fits the screen: long names of values wrap, nothing to scroll sideways for', async () => {
    const phone = await suite.open(`rules/${ruleId}`, { token, viewport: { width: 375, height: 740 } });
    await phone.getByRole('heading', { name: 'Rule: Rhea office hours' }).waitFor();
    const widths = await phone.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
  });
});
