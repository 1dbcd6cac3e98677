import { CELL, HOME, OFFICE, previewSaved, startApi, when, withJohn, type Api, type PreviewAnswer } from './support';

/**
 * "Test this rule" on a saved Extend Ring rule: the caller holds while the app calls John's phones through the
 * (emulated) REST API; whoever answers is whispered to and presses 1 to talk or 2 to send the caller to voicemail.
 */

let api: Api;
let ruleId: string;
beforeAll(async () => {
  api = await startApi();
  ({ ruleId } = await withJohn(api, { mode: 'extendRing', maxHoldMinutes: 3 }));
});
afterAll(() => api.close());

async function preview(destinations: Record<string, unknown>): Promise<PreviewAnswer> {
  const res = await previewSaved(api, ruleId, destinations);
  expect(res.status).toBe(200);
  return res.body as PreviewAnswer;
}

test('home answers and presses 2: the caller reaches voicemail at once and the cell never rings', async () => {
  const answer = await preview({ [HOME]: { kind: 'pressTwo', after: 5 } });
  expect(when(answer, 'Caller is put on hold and hears the hold music')).toBe(0);
  expect(when(answer, `Home (${HOME}) rings`)).toBe(40);
  expect(when(answer, 'Home answers')).toBe(45);
  const pressed = when(answer, 'Home presses 2');
  expect(pressed).toBeGreaterThan(45);
  expect(answer.outcome).toEqual({ kind: 'voicemail', atSeconds: pressed });
  expect(when(answer, 'Caller reaches voicemail')).toBe(pressed);
  expect(when(answer, /^Cell .* rings$/)).toBeUndefined();
});

test('nobody answers: the steps start over until the maximum hold (3 min), then the caller reaches voicemail', async () => {
  const answer = await preview({});
  const officeRings = answer.events.filter((e) => e.text === `Office (${OFFICE}) rings`).map((e) => e.at);
  expect(officeRings).toEqual([0, 100]);
  expect(when(answer, /^Maximum hold time reached/)).toBe(180);
  expect(answer.outcome).toEqual({ kind: 'voicemail', atSeconds: 180 });
  expect(answer.events.filter((e) => e.at > 180).map((e) => e.text)).not.toContainEqual(expect.stringMatching(/rings$/));
});

test("the cell's carrier voicemail does not stop the hunt; John accepting in his app connects the caller", async () => {
  const answer = await preview({ [CELL]: { kind: 'voicemail', after: 5 }, john: { kind: 'answer', after: 12 } });
  expect(when(answer, 'Carrier voicemail picks up on Cell')).toBe(75);
  const accepted = when(answer, 'john (app) presses 1');
  expect(accepted).toBeGreaterThan(82);
  expect(when(answer, 'Caller connected to john (app)')).toBe(accepted);
  expect(answer.outcome).toEqual({ kind: 'connected', to: 'john', atSeconds: accepted });
});

test('on a server without Twilio REST credentials the preview says a real call would go straight to voicemail', async () => {
  const answer = await preview({ [HOME]: { kind: 'answer', after: 5 } });
  expect(answer.outcome.kind).toBe('connected');
  expect(answer.notes).toEqual([expect.stringMatching(/TWILIO_ACCOUNT_SID.*voicemail/)]);
});

test('on a server with them, no such note', async () => {
  const configured = await startApi({ twilio: 'env', env: { TWILIO_API_BASE_URL: 'http://127.0.0.1:9' } });
  try {
    const { ruleId: configuredRule } = await withJohn(configured, { mode: 'extendRing', maxHoldMinutes: 3 });
    const res = await previewSaved(configured, configuredRule, {});
    expect(res.status).toBe(200);
    expect((res.body as PreviewAnswer).notes).toEqual([]);
  } finally {
    await configured.close();
  }
});
