import { CELL, HOME, johnsRule, lines, OFFICE, picked, previewSaved, startApi, when, withJohn, type Api, type PreviewAnswer } from './support';

/**
 * "Test this rule" on a saved Follow Me rule: the real call flows, played by the Twilio emulator, told as a
 * timeline. John's rule (DESIGN §1): office 40 s, home 30 s, then cell and his app for the default 30 s, voicemail.
 */

let api: Api;
let ruleId: string;
let johnId: string;
beforeAll(async () => {
  api = await startApi();
  const seeded = await withJohn(api);
  ({ ruleId } = seeded);
  johnId = seeded.john.id;
});
afterAll(() => api.close());

async function preview(destinations: Record<string, unknown>): Promise<PreviewAnswer> {
  const res = await previewSaved(api, ruleId, destinations);
  expect(res.status).toBe(200);
  return res.body as PreviewAnswer;
}

test("nobody answers: office 0:00–0:40, home 0:40–1:10, cell 1:10–1:40, and the caller reaches John's voicemail at 1:40", async () => {
  const answer = await preview({});
  const expected = [
    `0:00 Office (${OFFICE}) rings`,
    '0:40 Office did not answer',
    `0:40 Home (${HOME}) rings`,
    '1:10 Home did not answer',
    `1:10 Cell (${CELL}) rings`,
    '1:10 john (app) rings',
    '1:40 Cell did not answer',
    '1:40 john (app) did not answer',
    '1:40 Caller reaches voicemail',
  ];
  expect(picked(answer, expected)).toEqual(expected);
  expect(answer.outcome).toEqual({ kind: 'voicemail', atSeconds: 100 });
  expect(lines(answer)[0]).toBe(`0:00 Caller (+15557654321) calls John's number (+15550001000)`);
  expect(answer.events.filter((e) => e.at > 100).map((e) => e.text)).not.toContainEqual(expect.stringMatching(/rings$/));
  expect(answer.notes).toEqual([]);
});

test('home answers after 10 s: the caller is connected to home at 0:50 and the cell never rings', async () => {
  const answer = await preview({ [HOME]: { kind: 'answer', after: 10 } });
  expect(picked(answer, ['0:40 Office did not answer', '0:50 Home answers', '0:50 Caller connected to Home']))
    .toEqual(['0:40 Office did not answer', '0:50 Home answers', '0:50 Caller connected to Home']);
  expect(answer.outcome).toEqual({ kind: 'connected', to: HOME, atSeconds: 50 });
  expect(when(answer, /^Cell .* rings$/)).toBeUndefined();
  expect(when(answer, 'Caller reaches voicemail')).toBeUndefined();
});

test('a busy office passes the call to home at once', async () => {
  const answer = await preview({ [OFFICE]: { kind: 'busy' } });
  expect(when(answer, 'Office is busy')).toBe(0);
  expect(when(answer, `Home (${HOME}) rings`)).toBe(0);
  expect(when(answer, `Cell (${CELL}) rings`)).toBe(30);
  expect(answer.outcome).toEqual({ kind: 'voicemail', atSeconds: 60 });
});

test("the cell's carrier voicemail picking up counts as an answer in Follow Me: the caller is connected to it", async () => {
  const answer = await preview({ [CELL]: { kind: 'voicemail', after: 8 } });
  expect(when(answer, 'Carrier voicemail picks up on Cell')).toBe(78);
  expect(answer.outcome).toEqual({ kind: 'connected', to: CELL, atSeconds: 78 });
});

test('John answering in his app is reported with the identity the rule names', async () => {
  const answer = await preview({ john: { kind: 'answer', after: 3 } });
  expect(when(answer, 'Caller connected to john (app)')).toBe(73);
  expect(answer.outcome).toEqual({ kind: 'connected', to: 'john', atSeconds: 73 });
  expect(when(answer, 'Cell stops ringing')).toBe(73);
});

test('with confirm on, a person who presses 2 instead of 1 is not connected and the hunt goes on', async () => {
  const confirming = await api.createRule(johnsRule(johnId, { name: 'Press 1 to accept', confirm: true }));
  const res = await previewSaved(api, confirming.id, { [OFFICE]: { kind: 'pressTwo', after: 5 }, [HOME]: { kind: 'answer', after: 4 } });
  expect(res.status).toBe(200);
  const answer = res.body as PreviewAnswer;
  const pressedTwo = when(answer, 'Office presses 2');
  expect(pressedTwo).toBeGreaterThan(5);
  expect(when(answer, `Home (${HOME}) rings`)).toBe(pressedTwo);
  expect(answer.outcome).toMatchObject({ kind: 'connected', to: HOME });
  expect(when(answer, 'Home presses 1')).toBe(answer.outcome.atSeconds);
});

test("a rule saved before the own-number check, ringing John's second business number: the preview passes it over as a real call does, and says why", async () => {
  const mary = await api.createUser({ name: 'Mary', numbers: ['+15550002000', '+15550002001'] });
  const rule = await api.createRule(johnsRule(mary.id, { name: 'Line 2' }));
  const saved = await api.app.deps.store.getRule(rule.id);
  await api.app.deps.store.saveRule({ ...saved!, steps: [{ destinations: [{ type: 'number', to: '+15550002001', label: 'Line 2' }], ringSeconds: 30 }] });
  const res = await previewSaved(api, rule.id, { '+15550002001': { kind: 'answer', after: 3 } });
  expect(res.status).toBe(200);
  const answer = res.body as PreviewAnswer;
  expect(answer.outcome.kind).toBe('voicemail');
  expect(lines(answer).some((line) => line.includes('Line 2'))).toBe(false);
  expect(answer.notes).toContain('A real call passes this rule over: it rings +15550002001, one of the owner\'s business numbers, which would start it again.');
});
