import { Writable } from 'node:stream';
import { createLogger } from '../../src/log';
import { MemoryStore } from '../../src/store/memory';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { asAdmin, bearer, simpleRule, startApi, type Api, type ErrorResponse } from './helpers';

/** A store that answers like the embedded one, or fails every call the way the test says. Our own classes only. */
function switchableStore(): { store: Store; fail(err: Error | null): void } {
  const inner = new MemoryStore();
  let failure: Error | null = null;
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => (failure ? Promise.reject(failure) : (value as (...a: unknown[]) => unknown).apply(target, args));
    },
  });
  return { store, fail: (err) => (failure = err) };
}

function expectErrorShape(body: unknown, code: string): void {
  const { error } = body as ErrorResponse;
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(Array.isArray(error.details)).toBe(true);
}

describe('authentication', () => {
  let api: Api;
  beforeAll(async () => (api = await startApi()));
  afterAll(() => api.close());

  test.each(['/api/me', '/api/users', '/api/rules', '/api/voicemails', '/api/callbacks', '/api/calls'])(
    'without a token, %s answers 401 and asks for a bearer token',
    async (path) => {
      const res = await api.http().get(path);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expectErrorShape(res.body, 'unauthorized');
    },
  );

  test.each([
    ['a token nobody holds', 'Bearer chr_not-a-real-token'],
    ['the admin token with one character more', `Bearer ${'test-admin-token-0123456789'}x`],
    ['the admin token in Basic auth', `Basic ${Buffer.from('admin:test-admin-token-0123456789').toString('base64')}`],
    ['a Bearer header without a token', 'Bearer '],
  ])('%s is refused with 401', async (_what, header) => {
    const res = await api.http().get('/api/rules').set('Authorization', header);
    expect(res.status).toBe(401);
    expectErrorShape(res.body, 'unauthorized');
  });

  test('the admin token authenticates as the Administrator', async () => {
    const res = await api.http().get('/api/me').set(asAdmin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'admin', name: 'Administrator', role: 'admin' });
  });

  test('a user token authenticates as that user, and /api/me never shows a token or its hash', async () => {
    const john = await api.createUser({ name: 'John', numbers: ['+15550001001'] });
    const res = await api.http().get('/api/me').set(bearer(john.token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: john.id,
      name: 'John',
      role: 'user',
      numbers: ['+15550001001'],
      canManageRules: false,
      createdAt: john.createdAt,
      updatedAt: john.updatedAt,
    });
  });

  test('without ADMIN_TOKEN configured, no token is an administrator', async () => {
    const bare = await startApi({ env: { ADMIN_TOKEN: '' } });
    try {
      const res = await bare.http().get('/api/users').set('Authorization', 'Bearer undefined');
      expect(res.status).toBe(401);
    } finally {
      await bare.close();
    }
  });
});

describe('unknown endpoints and unreadable bodies', () => {
  let api: Api;
  let userId: string;
  let ruleId: string;
  beforeAll(async () => {
    api = await startApi();
    userId = (await api.createUser({ name: 'John' })).id;
    ruleId = (await api.createRule(simpleRule(userId))).id;
  });
  afterAll(() => api.close());

  test.each([
    ['GET', '/api/nothing-here'],
    ['GET', '/api'],
    ['DELETE', '/api/nothing-here'],
    ['GET', '/api/rules/some/deeper/path'],
  ])('%s %s answers 404 in the error shape', async (method, path) => {
    const res = await api.http()[method.toLowerCase() as 'get' | 'delete'](path).set(asAdmin);
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'not_found');
  });

  test.each(['/api/calls/%ZZ', '/api/rules/%E0%A4%A', '/api/users/%'])('GET %s (not validly percent-encoded) answers 400 in the error shape', async (path) => {
    const res = await api.http().get(path).set(asAdmin);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'bad_request');
  });

  test.each([
    ['PUT', '/api/users', 'GET, HEAD, POST'],
    ['DELETE', '/api/rules', 'GET, HEAD, POST'],
    ['PATCH', '/api/rules/', 'GET, HEAD, POST'],
    ['POST', '/api/users/:user', 'DELETE, GET, HEAD, PATCH'],
    ['POST', '/api/rules/:rule', 'DELETE, GET, HEAD, PATCH, PUT'],
    ['GET', '/api/users/:user/token', 'POST'],
    ['GET', '/api/rules/:rule/preview', 'POST'],
    ['DELETE', '/api/me', 'GET, HEAD'],
    ['PUT', '/api/callbacks/cb_unknown', 'GET, HEAD, PATCH'],
    ['POST', '/api/voicemails/vm_unknown/audio', 'GET, HEAD'],
    ['DELETE', '/api/calls', 'GET, HEAD'],
    ['POST', '/api/openapi.json', 'GET, HEAD'],
  ])('%s %s (a path the API has, another method) answers 405 with Allow: %s, in the error shape', async (method, template, allow) => {
    const path = template.replace(':rule', ruleId).replace(':user', userId);
    const res = await api.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path).set(asAdmin).send({});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expectErrorShape(res.body, 'method_not_allowed');
    expect((res.body as ErrorResponse).error.message).toContain(allow);
  });

  test('a method the path does not take changes nothing: DELETE on the rule collection leaves the rules', async () => {
    expect((await api.http().delete('/api/rules').set(asAdmin)).status).toBe(405);
    expect((await api.http().get(`/api/rules/${ruleId}`).set(asAdmin)).status).toBe(200);
  });

  test('without a token, a known path with another method is 401 as ever (who asks is checked first)', async () => {
    const res = await api.http().put('/api/users');
    expect(res.status).toBe(401);
  });

  test('an unknown endpoint is 404 even without a token', async () => {
    const res = await api.http().get('/api/nothing-here');
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'not_found');
  });

  test.each([
    ['POST', '/api/rules'],
    ['PUT', '/api/rules/:rule'],
    ['PATCH', '/api/rules/:rule'],
    ['POST', '/api/users'],
    ['PATCH', '/api/users/:user'],
  ])('an empty %s %s body answers 400', async (method, template) => {
    const path = template.replace(':rule', ruleId).replace(':user', userId);
    const res = await api.http()[method.toLowerCase() as 'post' | 'put' | 'patch'](path)
      .set(asAdmin)
      .set('Content-Type', 'application/json')
      .send('');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'invalid_json');
  });

  test('a body that is not JSON answers 400 invalid_json', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).set('Content-Type', 'application/json').send('{"name": "Weekday",');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'invalid_json');
  });

  test('JSON sent as text/plain answers 400 invalid_json', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).set('Content-Type', 'text/plain').send(JSON.stringify(simpleRule(userId)));
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'invalid_json');
  });

  test('a JSON array instead of an object answers 400', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send([simpleRule(userId)]);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'validation_failed');
  });

  test('a bare JSON string answers 400', async () => {
    const res = await api.http().patch(`/api/rules/${ruleId}`).set(asAdmin).set('Content-Type', 'application/json').send('"enabled"');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'invalid_json');
  });

  test.each(['gzip', 'deflate', 'br'])('a body marked Content-Encoding: %s that is not compressed answers 400, and the rule is unchanged', async (encoding) => {
    const res = await api.http().patch(`/api/rules/${ruleId}`).set(asAdmin)
      .set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('{"name":"Renamed"}');
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'bad_request');
    expect((await api.http().get(`/api/rules/${ruleId}`).set(asAdmin)).body).toMatchObject({ name: 'Ring the office' });
  });

  /** PATCH with exactly these bytes (supertest would JSON-encode a Buffer). */
  const patchBytes = (contentType: string, bytes: Buffer): Promise<Response> => fetch(`${api.app.baseUrl}/api/rules/${ruleId}`, {
    method: 'PATCH', headers: { ...asAdmin, 'Content-Type': contentType }, body: new Uint8Array(bytes),
  });

  test('a body that is not valid UTF-8 answers 415, and the rule keeps its name', async () => {
    // "Café" in Latin-1, as a misconfigured client sends it: read as UTF-8 it would be stored as "Caf\ufffd"
    const res = await patchBytes('application/json', Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
    expect(res.status).toBe(415);
    expectErrorShape(await res.json(), 'unsupported_media_type');
    expect((await api.http().get(`/api/rules/${ruleId}`).set(asAdmin)).body).toMatchObject({ name: 'Ring the office' });
  });

  test('a charset other than UTF-8 answers 415, and the rule keeps its name', async () => {
    const res = await patchBytes('application/json; charset=utf-16le', Buffer.from('{"name":"Renamed"}', 'utf16le'));
    expect(res.status).toBe(415);
    expectErrorShape(await res.json(), 'unsupported_media_type');
    expect((await api.http().get(`/api/rules/${ruleId}`).set(asAdmin)).body).toMatchObject({ name: 'Ring the office' });
  });

  // under 100 kB, but thousands of wrong items or unknown fields: each would be an error to build and send back
  test.each([
    ['30,000 empty destinations in one step', { name: 'Flood', mode: 'followMe', steps: [{ destinations: Array(30_000).fill({}) }] }],
    ['6,000 unknown fields', Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`field${i}`, 1]))],
    ['1,500 steps of 20 numbers each', { name: 'Flood', mode: 'followMe', steps: Array(1500).fill({ destinations: Array(20).fill(1) }) }],
  ])('a body of %s answers 400 in a few hundred bytes, naming the body', async (_what, body) => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(body);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'validation_failed');
    expect(res.text.length).toBeLessThan(1000);
    expect(res.body.error.details).toEqual([{ path: '', message: expect.stringContaining('fields and items') }]);
  });

  test('a body with a hundred problems is answered with the first fifty, and says how many more there are', async () => {
    const steps = Array.from({ length: 20 }, (_, i) => ({ destinations: [1, 2, 3, 4, 5].map((n) => ({ type: 'number', to: `+0555${i}${n}` })) }));
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { steps }));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toHaveLength(50);
    expect(res.body.error.details[0]).toEqual({ path: 'steps.0.destinations.0.to', message: expect.stringContaining('E.164') });
    expect(res.body.error.message).toMatch(/; and 90 more$/);
  });

  test('a rule with every list at its limit is not refused for its size', async () => {
    const destinations = Array.from({ length: 10 }, (_, i) => ({ type: 'number', to: `+1555123${String(i).padStart(4, '0')}`, label: `Phone ${i}` }));
    const windows = Array.from({ length: 20 }, () => ({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '09:00', to: '17:00' }));
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, {
      name: 'Everything', steps: Array.from({ length: 20 }, () => ({ destinations, ringSeconds: 20 })),
      schedule: { timezone: 'America/New_York', windows },
    }));
    expect(res.status).toBe(201);
  });

  test('a body over 100 kB is refused with 413', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { name: 'x'.repeat(120_000) }));
    expect(res.status).toBe(413);
    expectErrorShape(res.body, 'payload_too_large');
    expect((res.body as ErrorResponse).error.message).toBe("request body is over the API's limit of 100 kB");
  });

  test('after a refused body, the rule is unchanged', async () => {
    const res = await api.http().get(`/api/rules/${ruleId}`).set(asAdmin);
    expect(res.body).toMatchObject({ name: 'Ring the office', enabled: true });
  });
});

describe('when the store fails', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const { store, fail } = switchableStore();
  let api: Api;
  let token: string;
  beforeAll(async () => {
    api = await startApi({ store, logger: createLogger('debug', sink) });
    token = (await api.createUser({ name: 'John', canManageRules: true })).token;
  });
  afterEach(() => fail(null));
  afterAll(() => api.close());

  test('an unreachable store answers 503 in the error shape, for admins and users alike', async () => {
    fail(new StoreUnavailableError('store did not answer within 2000 ms'));
    const asAdminRes = await api.http().get('/api/rules').set(asAdmin);
    const asUserRes = await api.http().get('/api/rules').set(bearer(token));
    expect(asAdminRes.status).toBe(503);
    expectErrorShape(asAdminRes.body, 'store_unavailable');
    expect(asUserRes.status).toBe(503);
    expectErrorShape(asUserRes.body, 'store_unavailable');
  });

  test('with the store down, /healthz answers 503 (not ready) while /livez answers 200: the process serves, and webhooks still answer TwiML', async () => {
    fail(new StoreUnavailableError('down'));
    const health = await api.http().get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: 'unavailable', store: 'memory' });
    const live = await api.http().get('/livez');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
  });

  test('when the store is back, the same request succeeds without a restart', async () => {
    fail(new StoreUnavailableError('down'));
    expect((await api.http().get('/api/rules').set(bearer(token))).status).toBe(503);
    fail(null);
    const res = await api.http().get('/api/rules').set(bearer(token));
    expect(res.status).toBe(200);
  });

  test('an unexpected failure answers 500 without internals, and is logged without the bearer token', async () => {
    fail(new Error('disk on fire at /var/lib/secret'));
    const res = await api.http().get('/api/rules').set(bearer(token));
    expect(res.status).toBe(500);
    expectErrorShape(res.body, 'internal');
    expect(JSON.stringify(res.body)).not.toContain('disk on fire');
    const log = lines.join('');
    expect(log).toContain('disk on fire');
    expect(log).not.toContain(token);
    expect(log).not.toContain('test-admin-token');
  });
});
