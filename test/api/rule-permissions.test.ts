import type { Rule, User } from '../../src/domain/types';
import { asAdmin, bearer, simpleRule, startApi, TEST_ADMIN_TOKEN, type Api, type ErrorResponse } from './helpers';

/** DESIGN §4 "Permissions", actor by actor. */

type Actor = User & { token: string };

let api: Api;
let granted: Actor;
let plain: Actor;
let other: Actor;
let grantedRule: Rule;
let plainRule: Rule;
let otherRule: Rule;

beforeAll(async () => {
  api = await startApi();
  granted = await api.createUser({ name: 'Grace (may manage rules)', canManageRules: true });
  plain = await api.createUser({ name: 'Paul (may only read)' });
  other = await api.createUser({ name: 'Olga', canManageRules: true });
});
afterAll(() => api.close());

beforeEach(async () => {
  for (const rule of (await api.http().get('/api/rules?pageSize=100').set(asAdmin)).body.items as Rule[]) {
    await api.http().delete(`/api/rules/${rule.id}`).set(asAdmin);
  }
  grantedRule = await api.createRule(simpleRule(granted.id, { name: "Grace's rule" }));
  plainRule = await api.createRule(simpleRule(plain.id, { name: "Paul's rule" }));
  otherRule = await api.createRule(simpleRule(other.id, { name: "Olga's rule" }));
});

const ruleNames = async (token: string, query = ''): Promise<string[]> => {
  const res = await api.http().get(`/api/rules${query}`).set(bearer(token));
  expect(res.status).toBe(200);
  return (res.body.items as Rule[]).map((r) => r.name).sort();
};
const readName = async (id: string): Promise<string> => (await api.http().get(`/api/rules/${id}`).set(asAdmin)).body.name;
const expectCode = (res: { status: number; body: unknown }, status: number, code: string): void => {
  expect(res.status).toBe(status);
  expect((res.body as ErrorResponse).error.code).toBe(code);
};

describe('an administrator', () => {
  test('sees every rule, and can filter by owner', async () => {
    expect(await ruleNames(TEST_ADMIN_TOKEN)).toEqual(["Grace's rule", "Olga's rule", "Paul's rule"]);
    expect(await ruleNames(TEST_ADMIN_TOKEN, `?userId=${plain.id}`)).toEqual(["Paul's rule"]);
  });

  test("reads, replaces, patches and deletes anyone's rule", async () => {
    expect((await api.http().get(`/api/rules/${otherRule.id}`).set(asAdmin)).status).toBe(200);
    const put = await api.http().put(`/api/rules/${otherRule.id}`).set(asAdmin).send(simpleRule(undefined, { name: 'Replaced' }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Replaced', userId: other.id });
    const patch = await api.http().patch(`/api/rules/${plainRule.id}`).set(asAdmin).send({ enabled: false });
    expect(patch.status).toBe(200);
    expect((await api.http().delete(`/api/rules/${grantedRule.id}`).set(asAdmin)).status).toBe(204);
  });

  test('must name the owner when creating a rule', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(undefined));
    expectCode(res, 400, 'validation_failed');
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['userId']);
    expect((res.body as ErrorResponse).error.message).toContain('userId');
  });

  test('cannot create a rule for a user who does not exist', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule('usr_nobody'));
    expectCode(res, 400, 'validation_failed');
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['userId']);
  });

  test('can hand a rule to another existing user, but not to an unknown one', async () => {
    const moved = await api.http().patch(`/api/rules/${plainRule.id}`).set(asAdmin).send({ userId: other.id });
    expect(moved.status).toBe(200);
    expect(moved.body.userId).toBe(other.id);
    const bad = await api.http().patch(`/api/rules/${otherRule.id}`).set(asAdmin).send({ userId: 'usr_nobody' });
    expectCode(bad, 400, 'validation_failed');
  });
});

describe('a user allowed to manage rules', () => {
  test('sees only their own rules', async () => {
    expect(await ruleNames(granted.token)).toEqual(["Grace's rule"]);
    expect(await ruleNames(granted.token, `?userId=${granted.id}`)).toEqual(["Grace's rule"]);
  });

  test("asking for someone else's rules is 403", async () => {
    expectCode(await api.http().get(`/api/rules?userId=${other.id}`).set(bearer(granted.token)), 403, 'forbidden');
  });

  test('creates rules that belong to them, with or without naming themselves', async () => {
    const implicit = await api.createRule(simpleRule(undefined, { name: 'Implicit' }), granted.token);
    const explicit = await api.createRule(simpleRule(granted.id, { name: 'Explicit' }), granted.token);
    expect(implicit.userId).toBe(granted.id);
    expect(explicit.userId).toBe(granted.id);
  });

  test('cannot create a rule for someone else (403)', async () => {
    const res = await api.http().post('/api/rules').set(bearer(granted.token)).send(simpleRule(other.id));
    expectCode(res, 403, 'forbidden');
    expect(await ruleNames(other.token)).toEqual(["Olga's rule"]);
  });

  test('reads, replaces, patches and deletes their own rule', async () => {
    const auth = bearer(granted.token);
    expect((await api.http().get(`/api/rules/${grantedRule.id}`).set(auth)).status).toBe(200);
    expect((await api.http().put(`/api/rules/${grantedRule.id}`).set(auth).send(simpleRule(undefined, { name: 'Mine' }))).status).toBe(200);
    expect((await api.http().patch(`/api/rules/${grantedRule.id}`).set(auth).send({ priority: 5 })).body).toMatchObject({
      name: 'Mine',
      priority: 5,
      userId: granted.id,
    });
    expect((await api.http().delete(`/api/rules/${grantedRule.id}`).set(auth)).status).toBe(204);
  });

  test('cannot give their rule away (403)', async () => {
    const res = await api.http().patch(`/api/rules/${grantedRule.id}`).set(bearer(granted.token)).send({ userId: other.id });
    expectCode(res, 403, 'forbidden');
    expect((await api.http().get(`/api/rules/${grantedRule.id}`).set(asAdmin)).body.userId).toBe(granted.id);
  });

  test("finds someone else's rule 404 on read, replace, patch and delete, and it stays unchanged", async () => {
    const auth = bearer(granted.token);
    const path = `/api/rules/${otherRule.id}`;
    expectCode(await api.http().get(path).set(auth), 404, 'not_found');
    expectCode(await api.http().put(path).set(auth).send(simpleRule(undefined, { name: 'Hijacked' })), 404, 'not_found');
    expectCode(await api.http().patch(path).set(auth).send({ name: 'Hijacked' }), 404, 'not_found');
    expectCode(await api.http().delete(path).set(auth), 404, 'not_found');
    expect(await readName(otherRule.id)).toBe("Olga's rule");
  });
});

describe('a user without the rule grant', () => {
  test('sees and reads their own rules', async () => {
    expect(await ruleNames(plain.token)).toEqual(["Paul's rule"]);
    expect((await api.http().get(`/api/rules/${plainRule.id}`).set(bearer(plain.token))).status).toBe(200);
  });

  test("finds someone else's rule 404", async () => {
    expectCode(await api.http().get(`/api/rules/${otherRule.id}`).set(bearer(plain.token)), 404, 'not_found');
  });

  test('gets 403 on every write, their own rule included, and nothing changes', async () => {
    const auth = bearer(plain.token);
    const own = `/api/rules/${plainRule.id}`;
    const theirs = `/api/rules/${otherRule.id}`;
    const responses = [
      await api.http().post('/api/rules').set(auth).send(simpleRule(undefined)),
      await api.http().put(own).set(auth).send(simpleRule(undefined, { name: 'Changed' })),
      await api.http().patch(own).set(auth).send({ name: 'Changed' }),
      await api.http().delete(own).set(auth),
      await api.http().patch(theirs).set(auth).send({ name: 'Changed' }),
      await api.http().delete(theirs).set(auth),
    ];
    for (const res of responses) expectCode(res, 403, 'forbidden');
    expect(await readName(plainRule.id)).toBe("Paul's rule");
    expect(await readName(otherRule.id)).toBe("Olga's rule");
    expect(await ruleNames(plain.token)).toEqual(["Paul's rule"]);
  });
});

describe('without a valid token', () => {
  const endpoints: Array<[string, string]> = [
    ['GET', '/api/rules'],
    ['POST', '/api/rules'],
    ['GET', '/api/rules/:id'],
    ['PUT', '/api/rules/:id'],
    ['PATCH', '/api/rules/:id'],
    ['DELETE', '/api/rules/:id'],
  ];

  test.each(endpoints)('%s %s answers 401 with no token and with a wrong one, and changes nothing', async (method, template) => {
    const path = template.replace(':id', otherRule.id);
    const call = () => {
      const req = api.http()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
      return method === 'GET' || method === 'DELETE' ? req : req.send(simpleRule(other.id, { name: 'Anonymous' }));
    };
    expectCode(await call(), 401, 'unauthorized');
    expectCode(await call().set(bearer('chr_forged-token')), 401, 'unauthorized');
    expect(await readName(otherRule.id)).toBe("Olga's rule");
  });
});
