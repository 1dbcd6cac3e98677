import type { Page } from 'playwright-core';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { eventually, simpleRule } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

const NOW = new Date('2026-03-02T15:00:00Z').toISOString();

/** The panel on a phone-sized screen (375 px wide): nothing to scroll sideways for, nothing cut off. */
describeInBrowser('admin panel: on a narrow screen', () => {
  const suite = panelSuite();
  let page: Page;
  let longRuleId: string;
  let userToken: string;

  beforeAll(async () => {
    const user = await suite.admin.createUser({ name: 'Nadia Narrow', email: 'nadia@example.com', numbers: ['+15556660001'] });
    userToken = user.token;
    await suite.admin.createRule(simpleRule(user.id, 'Narrow daytime'));
    const long = await suite.admin.createRule({
      userId: user.id, name: 'Weekday-hunting-for-the-whole-customer-support-line-ABCDEFGHIJKLMNOPQRSTUVWXYZ', mode: 'followMe',
      steps: [{ destinations: [{ type: 'sip', to: 'sip:the-front-desk-phone-in-the-lobby@pbx.example.com', label: 'Reception-desk-phone-by-the-lobby-entrance-door' }] }],
    });
    longRuleId = long.id;
    await seedRecords(user.id);
  });
  beforeEach(async () => {
    page = await suite.open('', { token: TEST_ADMIN_TOKEN, viewport: { width: 375, height: 740 } });
  });

  async function expectNoSidewaysScroll() {
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    const search = await page.getByRole('button', { name: 'Search' }).boundingBox();
    expect(search!.x).toBeGreaterThanOrEqual(0);
    expect(search!.x + search!.width).toBeLessThanOrEqual(widths.screen);
  }

  test('the Rules page fits the screen, its Search button whole', async () => {
    await page.locator('tr[data-row="Narrow daytime"]').waitFor();
    await expectNoSidewaysScroll();
  });

  test('the Users page fits the screen, its Search button whole', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.locator('tr[data-row="Nadia Narrow"]').waitFor();
    await expectNoSidewaysScroll();
  });

  test('a rule whose name and destination label are long unbroken words opens in the editor without sideways scrolling', async () => {
    await page.goto(`${suite.app.baseUrl}/admin/rules/${longRuleId}`);
    await page.getByRole('heading', { name: /^Edit rule: Weekday-hunting/ }).waitFor();
    await page.getByRole('heading', { name: 'Test this rule' }).waitFor();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
  });

  /**
   * What a list shows on the phone: every row whole on the screen (nothing to scroll sideways for, in the page or in
   * the table's box), each value with its column's name beside it, and every button and link of the rows — and the
   * sort buttons of the header — visible on the screen, there to be reached.
   */
  async function expectListReadable(path: string, rowLabel: string) {
    await page.goto(`${suite.app.baseUrl}/admin/${path}`);
    await page.locator(`tr[data-row="${rowLabel}"]`).waitFor();
    const seen = await page.evaluate(() => {
      const screen = window.innerWidth;
      const wrap = document.querySelector('.table-wrap')!;
      const onScreen = (el: Element) => {
        const box = el.getBoundingClientRect();
        return box.width > 1 && box.height > 1 && box.left >= 0 && box.right <= screen;
      };
      const cells = [...document.querySelectorAll('table.list tbody td')].filter((td) => td.textContent!.trim() !== '');
      return {
        pageWidth: document.documentElement.scrollWidth,
        screen,
        boxScrolls: wrap.scrollWidth > wrap.clientWidth,
        cellsOffScreen: cells.filter((td) => !onScreen(td)).map((td) => td.textContent),
        cellsUnnamed: cells.filter((td) => {
          const before = getComputedStyle(td, '::before').content;
          return !td.getAttribute('data-label') || !before.includes(td.getAttribute('data-label')!);
        }).map((td) => td.textContent),
        controls: document.querySelectorAll('table.list tbody :is(a, button)').length,
        controlsOffScreen: [...document.querySelectorAll('table.list :is(a, button)')].filter((el) => !onScreen(el)).map((el) => el.textContent),
        sortButtons: document.querySelectorAll('table.list thead button.sort').length,
      };
    });
    expect(seen.pageWidth).toBeLessThanOrEqual(seen.screen);
    expect({ boxScrolls: seen.boxScrolls, cellsOffScreen: seen.cellsOffScreen, cellsUnnamed: seen.cellsUnnamed, controlsOffScreen: seen.controlsOffScreen })
      .toEqual({ boxScrolls: false, cellsOffScreen: [], cellsUnnamed: [], controlsOffScreen: [] });
    expect(seen.controls).toBeGreaterThan(0);
    expect(seen.sortButtons).toBeGreaterThan(0);
  }

  test('the call log: each call is read whole on the phone, its outcome named, without scrolling sideways', async () => {
    await expectListReadable('calls', '+15550009999');
    await expect(page.locator('tr[data-row="+15550009999"] td[data-label="Outcome"]').innerText()).resolves.toContain('Connected — Home');
    // still a table to a screen reader: its columns named once, in the header, not again in every cell
    await expect(page.getByRole('columnheader', { name: 'Outcome' }).count()).resolves.toBe(1);
    await expect(page.getByRole('cell', { name: 'Connected — Home', exact: true }).count()).resolves.toBe(1);
  });

  test('the voicemail inbox: each message, its recording and its Delete are on the screen', async () => {
    await expectListReadable('voicemails', '+15550001111');
    await page.getByRole('button', { name: /Delete message from \+15550001111/ }).waitFor();
  });

  test('the callbacks: the number to call back and Mark done are on the screen', async () => {
    await expectListReadable('callbacks', '+15557654321');
  });

  test('the users: every action of a user (Details … Delete) is on the screen', async () => {
    await expectListReadable('users', 'Nadia Narrow');
  });

  test('the rules: each rule, its steps and its Delete are on the screen', async () => {
    await expectListReadable('rules', 'Narrow daytime');
  });

  test('a user (not an administrator) on the phone: their voicemail, callbacks and calls are read whole, the sort buttons on the screen', async () => {
    page = await suite.open('', { token: userToken, viewport: { width: 375, height: 740 } });
    await expectListReadable('voicemails', '+15550001111');
    await expectListReadable('callbacks', '+15557654321');
    await expectListReadable('calls', '+15550009999');
  });

  test('on a tablet (768 px) or a phone held sideways (844 px) no list scrolls sideways in its box either', async () => {
    const scrolling: string[] = [];
    for (const width of [768, 844]) {
      await page.setViewportSize({ width, height: 740 });
      for (const [path, rowLabel] of [['calls', '+15550009999'], ['voicemails', '+15550001111'], ['callbacks', '+15557654321'], ['users', 'Nadia Narrow'], ['rules', 'Narrow daytime']]) {
        await page.goto(`${suite.app.baseUrl}/admin/${path}`);
        await page.locator(`tr[data-row="${rowLabel}"]`).waitFor();
        const box = await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth);
        if (box > 0) scrolling.push(`${path} at ${width} px: ${box} px hidden`);
      }
    }
    expect(scrolling).toEqual([]);
  });

  test('at desktop width the lists stay tables (a header row of column names, one row per item), and become cards when the window narrows', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${suite.app.baseUrl}/admin/calls`);
    await page.locator('tr[data-row="+15550009999"]').waitFor();
    await expect(page.locator('table.list').evaluate((t) => getComputedStyle(t).display)).resolves.toBe('table');
    await expect(page.getByRole('columnheader', { name: 'Outcome' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('tr[data-row="+15550009999"] td').first().evaluate((td) => getComputedStyle(td, '::before').content)).resolves.toBe('none');

    // the window made narrow with the list on it: its rows become cards, and back
    await page.setViewportSize({ width: 375, height: 740 });
    await eventually(async () => expect(await page.locator('table.list').evaluate((t) => getComputedStyle(t).display)).toBe('block'));
    await expect(page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth - wrap.clientWidth)).resolves.toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await eventually(async () => expect(await page.locator('table.list').evaluate((t) => getComputedStyle(t).display)).toBe('table'));
  });

  async function seedRecords(userId: string) {
    const store = suite.app.deps.store;
    await store.saveVoicemail({
      id: 'RE00000000000000000000000000000071', callSid: 'CA00000000000000000000000000000071', userId,
      from: '+15550001111', to: '+15556660001', durationSeconds: 45, recordingUrl: 'https://api.twilio.com/rec/RE71',
      transcription: 'Hi Nadia, please call me back about the invoice for the big order.', transcriptionStatus: 'completed', createdAt: NOW,
    });
    await store.saveCallback({
      id: 'cb_71', callSid: 'CA00000000000000000000000000000072', userId, from: '+15550003333', to: '+15556660001',
      number: '+15557654321', status: 'open', createdAt: NOW, updatedAt: NOW,
    });
    await store.createCall({
      callSid: 'CA00000000000000000000000000000073', userId, from: '+15550009999', to: '+15556660001',
      ruleId: 'rul_x', ruleName: 'Narrow daytime', mode: 'followMe', outcome: 'connected', startedAt: NOW, endedAt: NOW,
      events: [{ at: Date.parse(NOW), type: 'incoming' }, { at: Date.parse(NOW) + 5000, type: 'connected', step: 0, destination: 'Home' }],
    });
  }
});
