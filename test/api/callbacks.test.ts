import type { CallbackRequest } from '../../src/domain/types';
import { asAdmin, bearer, ManualClock, startApi, type Api, type ErrorResponse } from './helpers';

/** A callback number is worked off: its owner (or an administrator) marks it done once the caller was called back. */

type Actor = { id: string; token: string };

let api: Api;
let clock: ManualClock;
let john: Actor;
let mary: Actor;

const LEFT_AT = '2026-01-05T09:00:00.000Z';

function callback(id: string, owner: Actor): CallbackRequest {
  return {
    id, callSid: `CA${id}`, userId: owner.id, from: '+15557770002', to: '+15550004000', number: '15557770003',
    status: 'open', createdAt: LEFT_AT, updatedAt: LEFT_AT,
  };
}

beforeEach(async () => {
  clock = new ManualClock(Date.parse(LEFT_AT));
  api = await startApi({ clock });
  john = await api.createUser({ name: 'John', numbers: ['+15550004000'] });
  mary = await api.createUser({ name: 'Mary', numbers: ['+15550004001'], canManageRules: true });
  await api.app.deps.store.saveCallback(callback('cbk_john', john));
  await api.app.deps.store.saveCallback(callback('cbk_mary', mary));
  clock.advance(60_000);
});
afterEach(() => api.close());

const patch = (id: string, token: string, body: unknown) => api.http().patch(`/api/callbacks/${id}`).set(bearer(token)).send(body as object);

describe('marking a callback done', () => {
  test('the owner marks their callback done: the answer, a later read and the list all show it', async () => {
    const res = await patch('cbk_john', john.token, { status: 'done' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...callback('cbk_john', john), status: 'done', updatedAt: '2026-01-05T09:01:00.000Z' });
    expect((await api.http().get('/api/callbacks/cbk_john').set(bearer(john.token))).body.status).toBe('done');
    const list = await api.http().get('/api/callbacks').set(bearer(john.token));
    expect(list.body.items.map((c: CallbackRequest) => [c.id, c.status])).toEqual([['cbk_john', 'done']]);
  });

  test('a done callback can be opened again', async () => {
    await patch('cbk_john', john.token, { status: 'done' });
    const res = await patch('cbk_john', john.token, { status: 'open' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('open');
  });

  test('marking it with the status it already has changes nothing (not even updatedAt)', async () => {
    const res = await patch('cbk_john', john.token, { status: 'open' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(callback('cbk_john', john));
  });

  test('an administrator marks anyone\'s callback done', async () => {
    const res = await api.http().patch('/api/callbacks/cbk_mary').set(asAdmin).send({ status: 'done' });
    expect(res.status).toBe(200);
    expect((await api.app.deps.store.getCallback('cbk_mary'))?.status).toBe('done');
  });

  test("another user's callback is 404 to read and to change, and stays as it was", async () => {
    const read = await api.http().get('/api/callbacks/cbk_mary').set(bearer(john.token));
    const change = await patch('cbk_mary', john.token, { status: 'done' });
    for (const res of [read, change]) {
      expect(res.status).toBe(404);
      expect((res.body as ErrorResponse).error.code).toBe('not_found');
    }
    expect((await api.app.deps.store.getCallback('cbk_mary'))?.status).toBe('open');
  });

  test('an unknown callback is 404; without a token it is 401', async () => {
    expect((await api.http().get('/api/callbacks/cbk_nobody').set(asAdmin)).status).toBe(404);
    expect((await patch('cbk_nobody', mary.token, { status: 'done' })).status).toBe(404);
    expect((await api.http().patch('/api/callbacks/cbk_john').send({ status: 'done' })).status).toBe(401);
    expect((await api.http().get('/api/callbacks/cbk_john')).status).toBe(401);
  });
});

describe('a bad change is 400 naming the field', () => {
  test.each([
    ['a status that is neither open nor done', { status: 'called' }, 'status'],
    ['no status at all', {}, 'status'],
    ['a status that is not a string', { status: true }, 'status'],
    ['a field that cannot be changed', { status: 'done', number: '15550000000' }, 'number'],
  ])('%s', async (_what, body, path) => {
    const res = await patch('cbk_john', john.token, body);
    expect(res.status).toBe(400);
    const { error } = res.body as ErrorResponse;
    expect(error.code).toBe('validation_failed');
    expect(error.details.map((d) => d.path)).toContain(path);
    expect(error.message).toContain(path);
    expect((await api.app.deps.store.getCallback('cbk_john'))?.status).toBe('open');
  });

  test('a body that is not a JSON object is 400', async () => {
    const res = await api.http().patch('/api/callbacks/cbk_john').set(bearer(john.token)).set('Content-Type', 'application/json').send('"done"');
    expect(res.status).toBe(400);
  });
});
