import type { CallRecord, CallbackRequest, Voicemail } from '../../src/domain/types';
import { asAdmin, bearer, startApi, type Api, type ErrorResponse } from './helpers';

/** Voicemails, callback requests and the call log: each user sees their own, administrators see all. */

type Actor = { id: string; token: string };

let api: Api;
let john: Actor;
let mary: Actor;

const at = (minute: number): string => new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();

function voicemail(id: string, owner: Actor, minute: number, extra: Partial<Voicemail> = {}): Voicemail {
  return {
    id,
    callSid: `CA${id}`,
    userId: owner.id,
    from: '+15557770001',
    to: '+15550004000',
    durationSeconds: 12,
    recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/${id}`,
    createdAt: at(minute),
    ...extra,
  };
}

function callback(id: string, owner: Actor, minute: number): CallbackRequest {
  return { id, callSid: `CA${id}`, userId: owner.id, from: '+15557770002', to: '+15550004000', number: '+15557770003', status: 'open', createdAt: at(minute), updatedAt: at(minute) };
}

function call(callSid: string, owner: Actor, minute: number, outcome?: string): CallRecord {
  return { callSid, userId: owner.id, from: '+15557770004', to: '+15550004000', startedAt: at(minute), events: [{ at: Date.parse(at(minute)), type: 'incoming' }], ...(outcome ? { outcome } : {}) };
}

beforeAll(async () => {
  api = await startApi();
  john = await api.createUser({ name: 'John', numbers: ['+15550004000'] });
  mary = await api.createUser({ name: 'Mary', numbers: ['+15550004001'] });
  const { store } = api.app.deps;
  await store.saveVoicemail(voicemail('RE_john_old', john, 1, { durationSeconds: 40, transcription: 'Please call me about the invoice.' }));
  await store.saveVoicemail(voicemail('RE_john_new', john, 5, { durationSeconds: 7 }));
  await store.saveVoicemail(voicemail('RE_mary', mary, 3));
  await store.saveCallback(callback('cb_john', john, 2));
  await store.saveCallback(callback('cb_mary', mary, 4));
  await store.createCall(call('CA_john_1', john, 1, 'voicemail'));
  await store.createCall(call('CA_john_2', john, 6, 'connected'));
  await store.createCall(call('CA_mary_1', mary, 3, 'abandoned'));
});
afterAll(() => api.close());

const ids = (body: { items: Array<{ id?: string; callSid?: string }> }): string[] => body.items.map((i) => i.id ?? i.callSid ?? '');

describe('voicemails', () => {
  test('a user lists only their own voicemails, newest first', async () => {
    const res = await api.http().get('/api/voicemails').set(bearer(john.token));
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['RE_john_new', 'RE_john_old']);
    expect(res.body).toMatchObject({ page: 1, pageSize: 20, total: 2 });
  });

  test('an administrator lists everyone\'s, or one user\'s with userId', async () => {
    expect(ids((await api.http().get('/api/voicemails').set(asAdmin)).body)).toEqual(['RE_john_new', 'RE_mary', 'RE_john_old']);
    expect(ids((await api.http().get(`/api/voicemails?userId=${mary.id}`).set(asAdmin)).body)).toEqual(['RE_mary']);
  });

  test('voicemails sort by duration and page like every list', async () => {
    const res = await api.http().get('/api/voicemails?sort=durationSeconds&pageSize=1&page=2').set(asAdmin);
    expect(ids(res.body)).toEqual(['RE_mary']);
    expect(res.body.total).toBe(3);
  });

  test('an unknown sort field is 400 naming sort', async () => {
    const res = await api.http().get('/api/voicemails?sort=priority').set(asAdmin);
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details[0]?.path).toBe('sort');
  });

  test("asking for someone else's voicemails is 403", async () => {
    expect((await api.http().get(`/api/voicemails?userId=${mary.id}`).set(bearer(john.token))).status).toBe(403);
  });

  test("a user reads their own voicemail; someone else's is 404", async () => {
    const own = await api.http().get('/api/voicemails/RE_john_old').set(bearer(john.token));
    expect(own.status).toBe(200);
    expect(own.body).toEqual(voicemail('RE_john_old', john, 1, { durationSeconds: 40, transcription: 'Please call me about the invoice.' }));
    const theirs = await api.http().get('/api/voicemails/RE_mary').set(bearer(john.token));
    expect(theirs.status).toBe(404);
    expect((theirs.body as ErrorResponse).error.code).toBe('not_found');
  });

  test("a user deletes their own voicemail; someone else's is 404 and stays", async () => {
    await api.app.deps.store.saveVoicemail(voicemail('RE_john_delete_me', john, 9));
    expect((await api.http().delete('/api/voicemails/RE_john_delete_me').set(bearer(john.token))).status).toBe(204);
    expect((await api.http().get('/api/voicemails/RE_john_delete_me').set(bearer(john.token))).status).toBe(404);
    expect((await api.http().delete('/api/voicemails/RE_mary').set(bearer(john.token))).status).toBe(404);
    expect((await api.http().get('/api/voicemails/RE_mary').set(asAdmin)).status).toBe(200);
  });

  test('an unknown voicemail is 404, even for an administrator', async () => {
    expect((await api.http().get('/api/voicemails/RE_nothing').set(asAdmin)).status).toBe(404);
    expect((await api.http().delete('/api/voicemails/RE_nothing').set(asAdmin)).status).toBe(404);
  });
});

describe('callback requests', () => {
  test('a user sees the callback numbers left for them; an administrator sees all', async () => {
    const own = await api.http().get('/api/callbacks').set(bearer(mary.token));
    expect(ids(own.body)).toEqual(['cb_mary']);
    expect(own.body.items[0]).toMatchObject({ number: '+15557770003', status: 'open' });
    expect(ids((await api.http().get('/api/callbacks').set(asAdmin)).body)).toEqual(['cb_mary', 'cb_john']);
    expect(ids((await api.http().get('/api/callbacks?sort=createdAt').set(asAdmin)).body)).toEqual(['cb_john', 'cb_mary']);
  });
});

describe('the call log', () => {
  test('a user sees their own calls, newest first, with the timeline', async () => {
    const res = await api.http().get('/api/calls').set(bearer(john.token));
    expect(ids(res.body)).toEqual(['CA_john_2', 'CA_john_1']);
    expect(res.body.items[0].events).toEqual([{ at: Date.parse(at(6)), type: 'incoming' }]);
  });

  test('an administrator sees every call and can sort by outcome', async () => {
    expect(ids((await api.http().get('/api/calls?sort=outcome').set(asAdmin)).body)).toEqual(['CA_mary_1', 'CA_john_2', 'CA_john_1']);
    expect(ids((await api.http().get('/api/calls?sort=startedAt').set(asAdmin)).body)).toEqual(['CA_john_1', 'CA_mary_1', 'CA_john_2']);
  });

  test('the call log comes in pages, newest first, with the total; an administrator can ask for one user\'s', async () => {
    const page = async (query: string, token: Record<string, string>) => {
      const res = await api.http().get(`/api/calls?${query}`).set(token);
      expect(res.status).toBe(200);
      return { ids: ids(res.body), page: res.body.page, pageSize: res.body.pageSize, total: res.body.total };
    };
    expect(await page('pageSize=2', asAdmin)).toEqual({ ids: ['CA_john_2', 'CA_mary_1'], page: 1, pageSize: 2, total: 3 });
    expect(await page('pageSize=2&page=2', asAdmin)).toEqual({ ids: ['CA_john_1'], page: 2, pageSize: 2, total: 3 });
    expect(await page('pageSize=2&page=3', asAdmin)).toEqual({ ids: [], page: 3, pageSize: 2, total: 3 });
    expect(await page(`userId=${john.id}&pageSize=1&page=2&sort=startedAt`, asAdmin)).toEqual({ ids: ['CA_john_2'], page: 2, pageSize: 1, total: 2 });
    // a user pages through their own
    expect(await page('pageSize=5', bearer(mary.token))).toEqual({ ids: ['CA_mary_1'], page: 1, pageSize: 5, total: 1 });
  });

  test("one call reads by its CallSid; someone else's call is 404", async () => {
    expect((await api.http().get('/api/calls/CA_john_1').set(bearer(john.token))).body).toMatchObject({ callSid: 'CA_john_1', outcome: 'voicemail' });
    expect((await api.http().get('/api/calls/CA_mary_1').set(bearer(john.token))).status).toBe(404);
    expect((await api.http().get('/api/calls/CA_mary_1').set(asAdmin)).status).toBe(200);
  });
});

describe('searching a list with q (case-insensitive, within what you may see)', () => {
  const search = async (path: string, token: string): Promise<{ ids: string[]; total: number }> => {
    const res = await api.http().get(path).set(bearer(token));
    expect(res.status).toBe(200);
    return { ids: ids(res.body), total: res.body.total };
  };

  test('voicemails by number or transcription', async () => {
    expect(await search('/api/voicemails?q=INVOICE', john.token)).toEqual({ ids: ['RE_john_old'], total: 1 });
    expect(await search('/api/voicemails?q=7770001', john.token)).toEqual({ ids: ['RE_john_new', 'RE_john_old'], total: 2 });
    expect(await search('/api/voicemails?q=nothing-like-this', john.token)).toEqual({ ids: [], total: 0 });
  });

  test('callbacks by the number left, and by status', async () => {
    expect(await search('/api/callbacks?q=7770003', mary.token)).toEqual({ ids: ['cb_mary'], total: 1 });
    expect(await search('/api/callbacks?q=done', mary.token)).toEqual({ ids: [], total: 0 });
  });

  test('calls by outcome or number, and never someone else\'s', async () => {
    expect(await search('/api/calls?q=Connected', john.token)).toEqual({ ids: ['CA_john_2'], total: 1 });
    expect(await search('/api/calls?q=abandoned', john.token)).toEqual({ ids: [], total: 0 });
    expect(await search('/api/calls?q=7770004', john.token)).toEqual({ ids: ['CA_john_2', 'CA_john_1'], total: 2 });
  });
});
