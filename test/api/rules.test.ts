import type { Rule } from '../../src/domain/types';
import { meanwhileOnce } from '../support/faults';
import { asAdmin, johnsRule, ManualClock, simpleRule, startApi, type Api, type ErrorResponse } from './helpers';

let api: Api;
let clock: ManualClock;
let johnId: string;

beforeAll(async () => {
  clock = new ManualClock();
  api = await startApi({ clock });
  johnId = (await api.createUser({ name: 'John', numbers: ['+15550003000'] })).id;
});
afterAll(() => api.close());

const read = async (id: string): Promise<Rule> => (await api.http().get(`/api/rules/${id}`).set(asAdmin)).body;

describe("John's rule from the manual", () => {
  test('is stored as sent, with its id and timestamps, and reads back the same', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(johnsRule(johnId, {
      schedule: { timezone: 'America/New_York', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] },
      voicemail: { greeting: "John can't take your call. Leave a message after the tone." },
    }));
    expect(res.status).toBe(201);
    const rule = res.body as Rule;
    expect(rule.id).toMatch(/^rul_/);
    expect(rule.createdAt).toBe(new Date(clock.now()).toISOString());
    expect(rule.updatedAt).toBe(rule.createdAt);
    expect(rule.steps.map((s) => s.ringSeconds)).toEqual([40, 30, 30]);
    expect(rule.steps[2]?.destinations).toEqual([
      { type: 'number', to: '+15551230003', label: 'Cell' },
      { type: 'client', to: 'john' },
    ]);
    expect(rule.voicemail).toEqual({ greeting: "John can't take your call. Leave a message after the tone.", maxLengthSeconds: 120, transcribe: false });
    expect(await read(rule.id)).toEqual(rule);
  });
});

describe('changing a rule', () => {
  let rule: Rule;
  beforeEach(async () => {
    rule = await api.createRule(johnsRule(johnId, {
      mode: 'extendRing',
      maxHoldMinutes: 15,
      holdAnnouncement: 'Thanks for holding.',
      schedule: { timezone: 'Europe/Paris', windows: [{ days: ['sat'], from: '10:00', to: '12:00' }] },
      voicemail: { greeting: 'Leave a message.', transcribe: true },
    }));
    clock.advance(60_000);
  });

  test('PATCH {enabled:false} turns the rule off and keeps everything else', async () => {
    const res = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: false });
    expect(res.status).toBe(200);
    const { enabled, updatedAt, ...rest } = res.body as Rule;
    const { enabled: _e, updatedAt: before, ...expected } = rule;
    expect(enabled).toBe(false);
    expect(rest).toEqual(expected);
    expect(Date.parse(updatedAt)).toBe(Date.parse(before) + 60_000);
    expect(await read(rule.id)).toEqual(res.body);
  });

  test('PATCH replaces a nested object whole: voicemail settings not sent return to their defaults', async () => {
    const res = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ voicemail: { maxLengthSeconds: 60 } });
    expect(res.status).toBe(200);
    expect(res.body.voicemail).toEqual({ maxLengthSeconds: 60, transcribe: false });
  });

  test('PATCH with schedule null removes the schedule (the rule then applies always)', async () => {
    const res = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ schedule: null });
    expect(res.status).toBe(200);
    expect(res.body.schedule).toBeUndefined();
    expect((await read(rule.id)).schedule).toBeUndefined();
  });

  test('PATCH is validated like PUT: an invalid result is 400 and the rule is unchanged', async () => {
    const res = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ name: 'Renamed', steps: [] });
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['steps']);
    expect(await read(rule.id)).toEqual(rule);
  });

  test('PATCH rejects an unknown field', async () => {
    const res = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ volume: 11 });
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['volume']);
  });

  test('PUT replaces the whole rule: fields left out return to their defaults, id, owner and createdAt stay', async () => {
    const res = await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).send(simpleRule(undefined, { name: 'Simpler' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: rule.id,
      userId: johnId,
      name: 'Simpler',
      enabled: true,
      priority: 0,
      mode: 'followMe',
      steps: [{ destinations: [{ type: 'number', to: '+15551230001' }], ringSeconds: 30 }],
      confirm: false,
      callerId: 'caller',
      maxHoldMinutes: 10,
      detectVoicemail: false,
      voicemail: { maxLengthSeconds: 120, transcribe: false },
      createdAt: rule.createdAt,
      updatedAt: new Date(clock.now()).toISOString(),
    });
  });

  test('PUT accepts back exactly what GET returned (server fields are ignored)', async () => {
    const got = await read(rule.id);
    const res = await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).send({ ...got, name: 'Round trip', id: 'rul_other', createdAt: '1999-01-01T00:00:00.000Z' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...got, name: 'Round trip', updatedAt: new Date(clock.now()).toISOString() });
  });

  test('PUT with an invalid body is 400 and the rule is unchanged', async () => {
    const res = await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).send(simpleRule(undefined, { maxHoldMinutes: 0 }));
    expect(res.status).toBe(400);
    expect(await read(rule.id)).toEqual(rule);
  });

  test('DELETE answers 204; the rule is gone afterwards', async () => {
    const res = await api.http().delete(`/api/rules/${rule.id}`).set(asAdmin);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).status).toBe(404);
    expect((await api.http().delete(`/api/rules/${rule.id}`).set(asAdmin)).status).toBe(404);
  });
});

describe('two requests on the same rule at once', () => {
  it('a rule deleted (204) while a PATCH is in flight stays deleted, and the PATCH answers 404', async () => {
    const rule = await api.createRule(simpleRule(johnId));
    // the panel's "switch off" has read the rule and is about to save it when the other admin's DELETE lands
    meanwhileOnce(api.app.deps.store, 'saveRuleChecked', async () => {
      expect((await api.http().delete(`/api/rules/${rule.id}`).set(asAdmin)).status).toBe(204);
    });
    expect((await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: false })).status).toBe(404);

    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).status).toBe(404);
    expect((await api.http().get('/api/rules').set(asAdmin)).body.items.map((r: Rule) => r.id)).not.toContain(rule.id);
  });

  it('two PATCHes landing together both take effect (neither undoes the other)', async () => {
    const rule = await api.createRule(simpleRule(johnId, { name: 'Both', priority: 3 }));
    meanwhileOnce(api.app.deps.store, 'saveRuleChecked', async () => {
      expect((await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ priority: 7 })).status).toBe(200);
    });
    expect((await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: false })).status).toBe(200);
    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).body).toMatchObject({ priority: 7, enabled: false });
  });

  it('a rule is not created for a user deleted while the create is in flight', async () => {
    const gone = await api.createUser({ name: 'Leaving', numbers: ['+15550009001'] });
    meanwhileOnce(api.app.deps.store, 'saveRuleChecked', async () => {
      expect((await api.http().delete(`/api/users/${gone.id}`).set(asAdmin)).status).toBe(204);
    });
    const created = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(gone.id));
    expect(created.status).toBe(400);
    expect(created.body.error.details[0].path).toBe('userId');
    expect((await api.http().get(`/api/rules?userId=${gone.id}`).set(asAdmin)).body.total).toBe(0);
  });
});

describe('If-Match: a change made from a stale read is refused', () => {
  it('a rule answers with its ETag; a PUT or PATCH with that ETag is saved, with an older one answers 412 and changes nothing', async () => {
    const rule = await api.createRule(simpleRule(johnId, { name: 'Versioned' }));
    const read = await api.http().get(`/api/rules/${rule.id}`).set(asAdmin);
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);

    clock.advance(1000);
    const first = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).set('If-Match', etag).send({ priority: 4 });
    expect(first.status).toBe(200);
    expect(first.headers.etag).not.toBe(etag);

    clock.advance(1000);
    const stale = await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).set('If-Match', etag).send(simpleRule(johnId, { name: 'Stale' }));
    expect(stale.status).toBe(412);
    expect((stale.body as ErrorResponse).error.code).toBe('precondition_failed');
    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).body).toMatchObject({ name: 'Versioned', priority: 4 });

    expect((await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).set('If-Match', '*').send({ priority: 5 })).status).toBe(200);
    expect((await api.http().patch(`/api/rules/${rule.id}`).send({ priority: 6 }).set(asAdmin)).status).toBe(200);
  });
});

describe('If-Match right after a create', () => {
  it('a created rule answers with the ETag a read gives, so the creator can change it with If-Match at once', async () => {
    const created = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(johnId, { name: 'Fresh' }));
    expect(created.status).toBe(201);
    const read = await api.http().get(`/api/rules/${created.body.id}`).set(asAdmin);
    expect(created.headers.etag).toBe(read.headers.etag);
    const changed = await api.http().patch(`/api/rules/${created.body.id}`).set(asAdmin).set('If-Match', created.headers.etag as string).send({ priority: 3 });
    expect(changed.status).toBe(200);
  });
});

describe('If-Match: two saves within one millisecond', () => {
  it('a rule changed in the same millisecond it was read gets a new ETag: a PUT made from the read before is refused (412), not saved over the change', async () => {
    const rule = await api.createRule(simpleRule(johnId, { name: 'Same ms' }));
    const etag = (await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).headers.etag as string;

    // someone else changes it, within the same millisecond (the clock does not move)
    const change = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ priority: 7 });
    expect(change.status).toBe(200);
    expect(change.headers.etag).not.toBe(etag);

    const stale = await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).set('If-Match', etag).send(simpleRule(johnId, { name: 'Stale' }));
    expect(stale.status).toBe(412);
    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).body.priority).toBe(7);
  });
});

describe('an unknown rule', () => {
  test.each(['GET', 'PUT', 'PATCH', 'DELETE'])('%s answers 404 in the error shape', async (method) => {
    const req = api.http()[method.toLowerCase() as 'get' | 'put' | 'patch' | 'delete']('/api/rules/rul_does_not_exist').set(asAdmin);
    const res = method === 'PUT' || method === 'PATCH' ? await req.send(simpleRule(johnId)) : await req;
    expect(res.status).toBe(404);
    expect((res.body as ErrorResponse).error.code).toBe('not_found');
  });
});
