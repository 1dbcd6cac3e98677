import type { Page } from 'playwright-core';
import { startFlow, CUSTOMER } from '../support/flow';
import { describeInBrowser } from '../support/browser';
import { recordingSeconds } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * A voicemail left by a real (emulated) call: the caller rings John, nobody answers, the caller leaves a
 * message. John finds it in the panel's inbox and plays it — audio streamed through the app from the
 * (emulated) Twilio recording, fetched with his token. Another user never sees it.
 */
describeInBrowser('admin panel: a voicemail left in a call', () => {
  const suite = panelSuite({ start: startFlow });
  let john: { id: string; token: string };
  let other: { id: string; token: string };

  beforeAll(async () => {
    const rig = suite.server;
    john = await rig.createUser({ name: 'John', numbers: ['+15550001000'] });
    other = await rig.createUser({ name: 'Olga', numbers: ['+15550002000'] });
    await rig.createRule({
      userId: john.id, name: 'Office only', mode: 'followMe',
      steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 20 }],
    });
    rig.em.callee('+15551230001', { kind: 'no-answer' });
    const call = await rig.placeCall({ caller: { message: { seconds: 12 } } });
    await rig.run();
    expect(call.outcome?.kind).toBe('voicemail');
  });
  const inbox = (token: string): Promise<Page> => suite.open('voicemails', { token });

  test('the owner sees the message with the caller and its length, and plays it in the page', async () => {
    const page = await inbox(john.token);
    const row = page.locator(`tr[data-row="${CUSTOMER}"]`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('12 s');
    await page.getByRole('button', { name: new RegExp(`Load recording: message from \\${CUSTOMER}`) }).click();
    const audio = page.locator('audio');
    await audio.waitFor();
    await expect(audio.getAttribute('src')).resolves.toMatch(/^blob:/);
    // the browser decodes what the app streamed: a recording as long as the message
    const seconds = await recordingSeconds(page);
    expect(Math.round(seconds)).toBe(12);
  });

  test('another user does not see it at all', async () => {
    const page = await inbox(other.token);
    await page.getByRole('heading', { name: /Voicemail/ }).waitFor();
    await page.waitForLoadState('networkidle');
    await expect(page.locator(`tr[data-row="${CUSTOMER}"]`).count()).resolves.toBe(0);
  });
});
