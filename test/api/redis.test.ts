import net from 'node:net';
import type { Rule } from '../../src/domain/types';
import { silentLogger } from '../../src/log';
import { RedisStore } from '../../src/store/redis';
import { describeRedis } from '../support/redis';
import { redisStoreFactory } from '../support/stores';
import { asAdmin, bearer, johnsRule, simpleRule, startApi, type Api, type ErrorResponse } from './helpers';

/** The API on the production store: the same answers as on the embedded one, and 503 when Redis is gone. */

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the management API when Redis is unreachable', () => {
  let api: Api;
  beforeAll(async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await closedPort()}`, prefix: 'test:api-down:', logger: silentLogger });
    api = await startApi({ store });
  });
  afterAll(() => api.close());

  test('an administrator gets 503 store_unavailable in the error shape', async () => {
    const res = await api.http().get('/api/rules').set(asAdmin);
    expect(res.status).toBe(503);
    expect((res.body as ErrorResponse).error).toMatchObject({ code: 'store_unavailable', details: [] });
  });

  test('a user token cannot be checked: 503, not 401', async () => {
    const res = await api.http().get('/api/me').set(bearer('chr_some-user-token'));
    expect(res.status).toBe(503);
    expect((res.body as ErrorResponse).error.code).toBe('store_unavailable');
  });

  test('a write gets 503 too', async () => {
    const res = await api.http().post('/api/users').set(asAdmin).send({ name: 'John' });
    expect(res.status).toBe(503);
  });
});

describeRedis('the management API on Redis', () => {
  const stores = redisStoreFactory();
  let api: Api;
  beforeAll(async () => (api = await startApi({ store: await stores.make(), closeStore: false })));
  afterAll(async () => {
    await api.close();
    await stores.cleanup();
  });

  test('users, numbers, tokens and rules behave as on the embedded store', async () => {
    const john = await api.createUser({ name: 'John', numbers: ['+15550005000'], canManageRules: true });
    const taken = await api.http().post('/api/users').set(asAdmin).send({ name: 'Copycat', numbers: ['+15550005000'] });
    expect(taken.status).toBe(409);

    const weekday = await api.createRule(johnsRule(john.id), john.token);
    await api.createRule(simpleRule(undefined, { name: 'after hours', priority: -1 }), john.token);
    const sorted = await api.http().get('/api/rules?sort=-name').set(bearer(john.token));
    expect(sorted.body.items.map((r: Rule) => r.name)).toEqual(['Weekday hunting', 'after hours']);
    expect(sorted.body.total).toBe(2);

    const patched = await api.http().patch(`/api/rules/${weekday.id}`).set(bearer(john.token)).send({ enabled: false });
    expect(patched.body).toEqual({ ...weekday, enabled: false, updatedAt: patched.body.updatedAt });

    const rotated = await api.http().post(`/api/users/${john.id}/token`).set(asAdmin);
    expect((await api.http().get('/api/me').set(bearer(john.token))).status).toBe(401);
    expect((await api.http().get('/api/me').set(bearer(rotated.body.token))).body.id).toBe(john.id);

    expect((await api.http().delete(`/api/users/${john.id}`).set(asAdmin)).status).toBe(204);
    expect((await api.http().get('/api/rules').set(asAdmin)).body.total).toBe(0);
    expect((await api.http().post('/api/users').set(asAdmin).send({ name: 'Heir', numbers: ['+15550005000'] })).status).toBe(201);
  });
});
