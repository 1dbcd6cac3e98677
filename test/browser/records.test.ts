import type { Page } from 'playwright-core';
import type { CallRecord } from '../../src/domain/types';
import { TEST_ADMIN_TOKEN } from '../support/app';
import { describeInBrowser } from '../support/browser';
import { failOnce } from '../support/faults';
import { columnTexts, eventually } from '../support/panel';
import { panelSuite } from '../support/panel-suite';

/**
 * What calls leave behind, as the panel shows it: the voicemail inbox, callback requests, and the call
 * log with each hunt's timeline. Records are put in the store the way the voice webhooks leave them
 * (a voicemail recorded in a real emulated call, with its audio, is in voicemail-flow.test.ts).
 */
describeInBrowser('admin panel: voicemail, callbacks and calls', () => {
  const suite = panelSuite();
  let page: Page;
  let owner: { id: string; token: string };
  let other: { id: string; token: string };
  const started = Date.parse('2026-03-02T15:00:00Z');

  beforeAll(async () => {
    owner = await suite.admin.createUser({ name: 'Vera Voicemail', numbers: ['+15554440001'] });
    other = await suite.admin.createUser({ name: 'Oscar Other', numbers: ['+15554440002'] });
    const store = suite.app.deps.store;
    await store.saveVoicemail({
      id: 'RE00000000000000000000000000000001', callSid: 'CA00000000000000000000000000000001', userId: owner.id,
      from: '+15550001111', to: '+15554440001', durationSeconds: 45, recordingUrl: 'https://api.twilio.com/rec/RE1',
      transcription: 'Hi Vera, please call me back about the invoice.', transcriptionStatus: 'completed', createdAt: new Date(started).toISOString(),
    });
    await store.saveVoicemail({
      id: 'RE00000000000000000000000000000002', callSid: 'CA00000000000000000000000000000002', userId: other.id,
      from: '+15550002222', to: '+15554440002', durationSeconds: 12, recordingUrl: 'https://api.twilio.com/rec/RE2', createdAt: new Date(started).toISOString(),
    });
    await store.saveCallback({
      id: 'cb_1', callSid: 'CA00000000000000000000000000000003', userId: owner.id, from: '+15550003333', to: '+15554440001',
      number: '+15557654321', status: 'open', createdAt: new Date(started).toISOString(), updatedAt: new Date(started).toISOString(),
    });
    await store.createCall(huntRecord(owner.id, started));
  });

  async function signedInAs(token: string, path: string) {
    page = await suite.open(path, { token });
  }

  test('a user sees their own voicemail with caller, called number, length and transcription', async () => {
    await signedInAs(owner.token, 'voicemails');
    await page.locator('tr[data-row="+15550001111"]').waitFor();
    expect(await columnTexts(page, 'Caller')).toEqual(['+15550001111']);
    const row = await page.locator('tr[data-row="+15550001111"]').textContent();
    expect(row).toContain('+15554440001');
    expect(row).toContain('45 s');
    expect(row).toContain('Hi Vera, please call me back about the invoice.');
    await expect(page.getByRole('columnheader', { name: 'Owner' }).count()).resolves.toBe(0);
  });

  test("an administrator sees everyone's voicemail with its owner", async () => {
    await signedInAs(TEST_ADMIN_TOKEN, 'voicemails');
    await page.locator('tr[data-row="+15550002222"]').waitFor();
    expect((await columnTexts(page, 'Owner')).sort()).toEqual(['Oscar Other', 'Vera Voicemail']);
  });

  test('deleting a voicemail asks first, then removes it', async () => {
    await signedInAs(TEST_ADMIN_TOKEN, 'voicemails');
    await page.getByRole('button', { name: /Delete message from \+15550002222/ }).click();
    await page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
    await eventually(async () => expect(await page.locator('tr[data-row="+15550002222"]').count()).toBe(0));
    expect((await suite.admin.call('GET', '/api/voicemails/RE00000000000000000000000000000002')).status).toBe(404);
  });

  test('a voicemail deleted while the list then fails to load is reported deleted, and the list says it could not load', async () => {
    await suite.app.deps.store.saveVoicemail({
      id: 'RE00000000000000000000000000000003', callSid: 'CA00000000000000000000000000000004', userId: owner.id,
      from: '+15550003333', to: '+15554440001', durationSeconds: 5, recordingUrl: 'https://api.twilio.com/rec/RE3', createdAt: new Date(started).toISOString(),
    });
    await signedInAs(owner.token, 'voicemails');
    await page.getByRole('button', { name: /Delete message from \+15550003333/ }).click();
    failOnce(suite.app.deps.store, 'listVoicemails');
    await page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();

    await page.getByText('Message deleted.').waitFor();
    await page.getByText(/Could not load the messages/).waitFor();
    await expect(page.getByText(/not deleted/).count()).resolves.toBe(0);
    expect((await suite.as(owner.token).call('GET', '/api/voicemails/RE00000000000000000000000000000003')).status).toBe(404);
  });

  test('a callback request shows the number to call back, and can be marked done', async () => {
    await signedInAs(owner.token, 'callbacks');
    const row = page.locator('tr[data-row="+15557654321"]');
    await row.waitFor();
    await expect(row.getByRole('link', { name: '+15557654321' }).getAttribute('href')).resolves.toBe('tel:+15557654321');
    await expect(row.textContent()).resolves.toContain('Open');
    await row.getByRole('button', { name: 'Mark +15557654321 done' }).click();
    await eventually(async () => expect(await row.textContent()).toContain('Done'));
    expect((await suite.as(owner.token).call('GET', '/api/callbacks/cb_1')).body.status).toBe('done');
  });

  test("a call's row opens its timeline, in minutes and seconds from the call's arrival", async () => {
    await signedInAs(owner.token, 'calls');
    const row = page.locator('tr[data-row="+15550009999"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Weekday hunting');
    // who took the call, in the list and on the call's page
    await expect(row.textContent()).resolves.toContain('Connected — Home');
    await row.locator('td').nth(1).click();
    await page.getByRole('heading', { name: 'Call from +15550009999' }).waitFor();
    const timeline = await page.locator('ol.timeline li').allTextContents();
    expect(timeline).toEqual([
      '0:00 Call came in',
      '0:00 Ringing — Office (step 1)',
      '0:40 No answer — Office (step 1)',
      '0:40 Ringing — Home (step 2)',
      '0:52 Caller connected — Home (step 2)',
    ]);
    await expect(page.locator('dl.facts').textContent()).resolves.toContain('Connected — Home');
  });
});

function huntRecord(userId: string, startedMs: number): CallRecord {
  const at = (seconds: number) => startedMs + seconds * 1000;
  return {
    callSid: 'CA00000000000000000000000000000009', userId, from: '+15550009999', to: '+15554440001',
    ruleId: 'rul_x', ruleName: 'Weekday hunting', mode: 'followMe', outcome: 'connected',
    startedAt: new Date(startedMs).toISOString(), endedAt: new Date(at(300)).toISOString(),
    events: [
      { at: at(0), type: 'incoming' },
      { at: at(0), type: 'leg-ringing', step: 0, destination: 'Office' },
      { at: at(40), type: 'leg-no-answer', step: 0, destination: 'Office' },
      { at: at(40), type: 'leg-ringing', step: 1, destination: 'Home' },
      { at: at(52), type: 'connected', step: 1, destination: 'Home' },
    ],
  };
}
