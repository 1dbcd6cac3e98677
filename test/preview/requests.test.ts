import { asAdmin, bearer, HOME, johnsRule, OFFICE, previewSaved, startApi, withJohn, type Api, type ErrorResponse, type PreviewAnswer } from './support';

/** What a preview request may say, and who may preview what (DESIGN §4 error shape and permissions). */

let api: Api;
let ruleId: string;
let john: { id: string; token: string };
beforeAll(async () => {
  api = await startApi();
  ({ ruleId, john } = await withJohn(api));
});
afterAll(() => api.close());

function expectFieldError(res: { status: number; body: ErrorResponse }, path: string): void {
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  expect(res.body.error.details.map((d) => d.path)).toContain(path);
  expect(res.body.error.message).toContain(path.split('.').pop());
}

describe('a behaviour the preview cannot play is refused with 400 naming the field', () => {
  test.each([
    ['an unknown kind', { [OFFICE]: { kind: 'hangsUp' } }, `destinations.${OFFICE}.kind`],
    ['no kind', { [OFFICE]: { after: 3 } }, `destinations.${OFFICE}.kind`],
    ['answering after more than 600 s', { [HOME]: { kind: 'answer', after: 601 } }, `destinations.${HOME}.after`],
    ['answering after a negative time', { [HOME]: { kind: 'answer', after: -1 } }, `destinations.${HOME}.after`],
    ['answering without saying when', { [HOME]: { kind: 'answer' } }, `destinations.${HOME}.after`],
    ['a time given as text', { [HOME]: { kind: 'voicemail', after: '10' } }, `destinations.${HOME}.after`],
    ['a time for a busy line', { [OFFICE]: { kind: 'busy', after: 4 } }, `destinations.${OFFICE}.after`],
    ['a phone the rule does not ring', { '+15559999999': { kind: 'busy' } }, 'destinations.+15559999999'],
  ])('%s', async (_what, destinations, path) => {
    expectFieldError(await previewSaved(api, ruleId, destinations), path);
  });

  test('a saved rule is previewed as stored: sending a rule along is refused', async () => {
    const res = await api.http().post(`/api/rules/${ruleId}/preview`).set(asAdmin).send({ rule: johnsRule(john.id), destinations: {} });
    expectFieldError(res, 'rule');
  });

  test('a body that is not a JSON object is refused in the error shape', async () => {
    const res = await api.http().post(`/api/rules/${ruleId}/preview`).set(asAdmin).set('Content-Type', 'application/json').send('[1]');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });
});

describe('who may preview a saved rule', () => {
  test('its owner, even without the right to change rules', async () => {
    const res = await previewSaved(api, ruleId, {}, bearer(john.token));
    expect(res.status).toBe(200);
    expect((res.body as PreviewAnswer).outcome.kind).toBe('voicemail');
  });

  test("another user gets 404, as if the rule did not exist", async () => {
    const mary = await api.createUser({ name: 'Mary', numbers: ['+15550002000'], canManageRules: true });
    const res = await previewSaved(api, ruleId, {}, bearer(mary.token));
    expect(res.status).toBe(404);
    expect((res.body as ErrorResponse).error.code).toBe('not_found');
  });

  test('an unknown rule is 404; no token is 401', async () => {
    expect((await previewSaved(api, 'rul_nope', {})).status).toBe(404);
    const res = await api.http().post(`/api/rules/${ruleId}/preview`).send({ destinations: {} });
    expect(res.status).toBe(401);
    expect((res.body as ErrorResponse).error.code).toBe('unauthorized');
  });
});

describe('previewing an unsaved rule (POST /api/rules/preview)', () => {
  const unsaved = (overrides: Record<string, unknown> = {}) => {
    const { userId: _owner, ...body } = johnsRule('x', { name: 'Draft', ...overrides });
    return body;
  };

  test('any user may try a rule body of their own; it plays like a saved one and is not stored', async () => {
    const res = await api.http().post('/api/rules/preview').set(bearer(john.token))
      .send({ rule: unsaved(), destinations: { [HOME]: { kind: 'answer', after: 10 } } });
    expect(res.status).toBe(200);
    expect((res.body as PreviewAnswer).outcome).toEqual({ kind: 'connected', to: HOME, atSeconds: 50 });
    const rules = await api.http().get('/api/rules').set(bearer(john.token));
    expect(rules.body.items.map((r: { name: string }) => r.name)).toEqual(['Weekday hunting']);
  });

  test("an administrator may name the owner: the caller dials that owner's number", async () => {
    const res = await api.http().post('/api/rules/preview').set(asAdmin).send({ rule: { ...unsaved(), userId: john.id }, destinations: {} });
    expect(res.status).toBe(200);
    expect((res.body as PreviewAnswer).events[0].text).toBe("Caller (+15557654321) calls John's number (+15550001000)");
  });

  test('the rule is validated like POST /api/rules, its fields named under rule.', async () => {
    const steps = [{ destinations: [{ type: 'number', to: OFFICE }], ringSeconds: 4 }];
    expectFieldError(await api.http().post('/api/rules/preview').set(asAdmin).send({ rule: unsaved({ steps }) }), 'rule.steps.0.ringSeconds');
    expectFieldError(await api.http().post('/api/rules/preview').set(asAdmin).send({ destinations: {} }), 'rule');
  });

  test("a user may not preview a rule for someone else (403); an administrator must name an existing user", async () => {
    const forOther = await api.http().post('/api/rules/preview').set(bearer(john.token)).send({ rule: { ...unsaved(), userId: 'usr_other' } });
    expect(forOther.status).toBe(403);
    expect((forOther.body as ErrorResponse).error.details).toEqual([{ path: 'rule.userId', message: 'must be your own user id' }]);
    expectFieldError(await api.http().post('/api/rules/preview').set(asAdmin).send({ rule: { ...unsaved(), userId: 'usr_nobody' } }), 'rule.userId');
  });

  test('a behaviour for a SIP phone is found however the case of its scheme and host is written', async () => {
    const sipStep = [{ destinations: [{ type: 'sip', to: 'SIP:desk@PBX.example.com' }], ringSeconds: 20 }];
    const res = await api.http().post('/api/rules/preview').set(asAdmin)
      .send({ rule: { ...unsaved({ steps: sipStep }), userId: john.id }, destinations: { 'SIP:desk@PBX.example.com': { kind: 'answer', after: 5 } } });
    expect(res.status).toBe(200);
    expect((res.body as PreviewAnswer).outcome).toMatchObject({ kind: 'connected', to: 'sip:desk@pbx.example.com' });
  });

  test("a behaviour for a phone the draft does not ring is refused", async () => {
    const res = await api.http().post('/api/rules/preview').set(asAdmin).send({ rule: unsaved(), destinations: { '+15550009999': { kind: 'busy' } } });
    expectFieldError(res, 'destinations.+15550009999');
  });
});

test('a rule saved before SIP addresses were stored in lower case (SIP:…) is previewed with a behaviour for its SIP phone', async () => {
  const rule = await api.createRule(johnsRule(john.id, { name: 'Old SIP rule', steps: [{ destinations: [{ type: 'sip', to: 'sip:desk@pbx.example.com' }], ringSeconds: 20 }] }));
  const stored = await api.app.deps.store.getRule(rule.id);
  await api.app.deps.store.saveRule({ ...stored!, steps: [{ destinations: [{ type: 'sip', to: 'SIP:desk@PBX.example.com' }], ringSeconds: 20 }] });
  const res = await previewSaved(api, rule.id, { 'SIP:desk@PBX.example.com': { kind: 'answer', after: 5 } });
  expect(res.status).toBe(200);
  expect((res.body as PreviewAnswer).outcome).toMatchObject({ kind: 'connected' });
});

test('a scheduled, disabled rule is played anyway, and the answer says so', async () => {
  const schedule = { timezone: 'America/New_York', windows: [{ days: ['sun'], from: '03:00', to: '03:05' }] };
  const rule = await api.createRule(johnsRule(john.id, { name: 'Sunday night', schedule, enabled: false }));
  const res = await previewSaved(api, rule.id, { [OFFICE]: { kind: 'answer', after: 2 } });
  expect(res.status).toBe(200);
  const answer = res.body as PreviewAnswer;
  expect(answer.outcome).toEqual({ kind: 'connected', to: OFFICE, atSeconds: 2 });
  expect(answer.notes).toEqual([expect.stringContaining('schedule'), expect.stringContaining('disabled')]);
});
