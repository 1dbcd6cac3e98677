import type { Page } from 'playwright-core';
import { describeInBrowser } from '../support/browser';

import { panelSuite } from '../support/panel-suite';

/**
 * A user without the canManageRules grant reads their rule in the editor, read-only: everything it says must be as
 * legible as in an editable rule (no faint, greyed-out controls), and nothing stray shows.
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
      userId: reader.id, name: 'Rhea office hours', mode: 'extendRing', detectVoicemail: true,
      steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 20 }],
      schedule: { timezone: 'Europe/Berlin', windows: [{ days: ['mon', 'fri'], from: '09:00', to: '17:00' }] },
      voicemail: { transcribe: true },
    });
    ruleId = rule.id;
  });
  beforeEach(async () => {
    page = await suite.open(`rules/${ruleId}`, { token });
    await page.getByRole('heading', { name: 'Rule: Rhea office hours' }).waitFor();
  });

  test('the schedule shows its time zone and windows, and no stray word such as "null"', async () => {
    const schedule = page.getByRole('group', { name: 'Schedule' });
    await expect(schedule.getByLabel('Time zone').inputValue()).resolves.toBe('Europe/Berlin');
    const words = await schedule.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const texts: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement?.closest('select')) texts.push(node.textContent ?? '');
      return texts.join(' ');
    });
    expect(words).toContain('Time window 1');
    expect(words).not.toMatch(/\bnull\b|\bundefined\b/);
  });

  test('the read-only controls are drawn at full strength: selects not faded, ticked boxes and chosen options in the page ink', async () => {
    const looks = await page.evaluate(() => {
      const opacity = (el: Element | null): number => {
        let value = 1;
        for (let node = el; node; node = node.parentElement) value *= Number(getComputedStyle(node).opacity);
        return value;
      };
      const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;
      const controls = [...document.querySelectorAll('.rule-fields input, .rule-fields select, .rule-fields textarea')].filter(visible);
      return controls.map((el) => {
        const style = getComputedStyle(el);
        return {
          what: `${el.tagName.toLowerCase()}[${(el as HTMLInputElement).type}] ${el.getAttribute('data-path') ?? (el as HTMLInputElement).value}`,
          disabled: el.matches(':disabled'),
          opacity: opacity(el),
          appearance: style.appearance,
          color: style.color,
          border: style.borderTopColor,
        };
      });
    });
    expect(looks.length).toBeGreaterThan(10);
    for (const look of looks) {
      expect({ what: look.what, disabled: look.disabled, opacity: look.opacity }).toEqual({ what: look.what, disabled: true, opacity: 1 });
      // the page's ink (#1b1f24) for text, and for the edge and mark of a box the browser would otherwise grey out
      expect({ what: look.what, color: look.color }).toEqual({ what: look.what, color: 'rgb(27, 31, 36)' });
      if (/\[(checkbox|radio)\]/.test(look.what)) {
        expect({ what: look.what, appearance: look.appearance, border: look.border })
          .toEqual({ what: look.what, appearance: 'none', border: 'rgb(27, 31, 36)' });
      }
    }
  });
});
