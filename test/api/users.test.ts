import { meanwhileOnce } from '../support/faults';
import { asAdmin, bearer, johnsRule, simpleRule, startApi, type Api, type ErrorResponse } from './helpers';

let api: Api;
beforeAll(async () => (api = await startApi()));
afterAll(() => api.close());

let seq = 0;
/** A number no other test in this file uses. */
const freshNumber = (): string => `+1555${String(2_000_000 + ++seq).padStart(7, '0')}`;

describe('creating users', () => {
  test('an administrator creates a user and sees its token once', async () => {
    const number = freshNumber();
    const res = await api.http().post('/api/users').set(asAdmin).send({ name: 'John', numbers: [number], email: 'john@example.com' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'John', role: 'user', numbers: [number], canManageRules: false, email: 'john@example.com' });
    expect(res.body.token).toMatch(/^chr_[A-Za-z0-9_-]{43,}$/);
    expect(res.body.tokenHash).toBeUndefined();

    const read = await api.http().get(`/api/users/${res.body.id}`).set(asAdmin);
    expect(read.status).toBe(200);
    expect(read.body.token).toBeUndefined();
    expect(read.body.tokenHash).toBeUndefined();
    const list = await api.http().get('/api/users?pageSize=100').set(asAdmin);
    expect(JSON.stringify(list.body)).not.toContain(res.body.token);
    expect(JSON.stringify(list.body)).not.toContain('tokenHash');
  });

  test('answers that carry a token, and every other answer of the API, may not be kept by a browser or a proxy cache', async () => {
    const created = await api.http().post('/api/users').set(asAdmin).send({ name: 'Jo', numbers: [freshNumber()] });
    expect(created.headers['cache-control']).toBe('no-store');
    const rotated = await api.http().post(`/api/users/${created.body.id}/token`).set(asAdmin);
    expect(rotated.body.token).toMatch(/^chr_/);
    expect(rotated.headers['cache-control']).toBe('no-store');
    expect((await api.http().get('/api/me').set(bearer(rotated.body.token))).headers['cache-control']).toBe('no-store');
    expect((await api.http().get('/api/me').set(bearer(created.body.token))).headers['cache-control']).toBe('no-store');
  });

  test('the new user can use their token right away', async () => {
    const mary = await api.createUser({ name: 'Mary' });
    const me = await api.http().get('/api/me').set(bearer(mary.token));
    expect(me.body).toMatchObject({ id: mary.id, name: 'Mary' });
  });

  test('two users never get the same token', async () => {
    const a = await api.createUser({ name: 'A' });
    const b = await api.createUser({ name: 'B' });
    expect(a.token).not.toBe(b.token);
    expect(a.id).not.toBe(b.id);
  });

  test('a number already owned by someone else is refused with 409 naming the number', async () => {
    const number = freshNumber();
    await api.createUser({ name: 'First', numbers: [number] });
    const res = await api.http().post('/api/users').set(asAdmin).send({ name: 'Second', numbers: [freshNumber(), number] });
    expect(res.status).toBe(409);
    expect((res.body as ErrorResponse).error.code).toBe('number_taken');
    expect((res.body as ErrorResponse).error.message).toContain(number);
    const names = (await api.http().get('/api/users?pageSize=100').set(asAdmin)).body.items.map((u: { name: string }) => u.name);
    expect(names).not.toContain('Second');
  });

  test.each<[string, string, Record<string, unknown>]>([
    ['no name', 'name', {}],
    ['an empty name', 'name', { name: '' }],
    ['a name of a zero-width space (nothing to say in the whisper)', 'name', { name: '\u200B' }],
    ['a name of 101 characters', 'name', { name: 'x'.repeat(101) }],
    ['an unknown role', 'role', { name: 'J', role: 'root' }],
    ['a number without +', 'numbers.0', { name: 'J', numbers: ['15551230001'] }],
    ['a number of 6 digits', 'numbers.0', { name: 'J', numbers: ['+123456'] }],
    ['a number of 16 digits', 'numbers.0', { name: 'J', numbers: ['+1234567890123456'] }],
    ['the same number twice', 'numbers.1', { name: 'J', numbers: ['+15551239999', '+15551239999'] }],
    ['51 numbers', 'numbers', { name: 'J', numbers: Array.from({ length: 51 }, (_, i) => `+1555300${String(i).padStart(4, '0')}`) }],
    ['numbers as a string', 'numbers', { name: 'J', numbers: '+15551230001' }],
    ['the rule grant as a string', 'canManageRules', { name: 'J', canManageRules: 'yes' }],
    ['an invalid email', 'email', { name: 'J', email: 'john-at-example' }],
    ['a notify URL over ftp', 'notifyUrl', { name: 'J', notifyUrl: 'ftp://example.com/hook' }],
    ['a token chosen by the client', 'token', { name: 'J', token: 'chr_mine' }],
    ['an unknown field', 'shoeSize', { name: 'J', shoeSize: 44 }],
  ])('a user with %s is refused with 400 naming %s', async (_what, path, body) => {
    const res = await api.http().post('/api/users').set(asAdmin).send(body);
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.code).toBe('validation_failed');
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toContain(path);
  });

  test('null for an optional field is the field left out, as in a PATCH: no email, no notifyUrl, the default role', async () => {
    const res = await api.http().post('/api/users').set(asAdmin)
      .send({ name: 'Nell', email: null, notifyUrl: null, role: null, numbers: null, canManageRules: null });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Nell', role: 'user', numbers: [], canManageRules: false });
    expect(res.body).not.toHaveProperty('email');
    expect(res.body).not.toHaveProperty('notifyUrl');
  });

  test('limits at their edge are accepted: a 100-character name, 50 numbers of 7 and 15 digits, an admin role', async () => {
    const numbers = [
      '+1234567',
      '+123456789012345',
      ...Array.from({ length: 48 }, (_, i) => `+1555400${String(i).padStart(4, '0')}`),
    ];
    const res = await api.http().post('/api/users').set(asAdmin).send({
      name: 'x'.repeat(100),
      role: 'admin',
      numbers,
      canManageRules: true,
      notifyUrl: 'https://example.com/hook',
    });
    expect(res.status).toBe(201);
    expect(res.body.numbers).toHaveLength(50);
  });

  test('a name counts characters, not UTF-16 units: 100 emoji are accepted, 101 are not', async () => {
    expect((await api.http().post('/api/users').set(asAdmin).send({ name: '🙂'.repeat(100) })).status).toBe(201);
    const over = await api.http().post('/api/users').set(asAdmin).send({ name: '🙂'.repeat(101) });
    expect(over.status).toBe(400);
    expect((over.body as ErrorResponse).error.message).toBe('name length must be less than or equal to 100 characters long');
  });
});

describe('changing users', () => {
  test('granting canManageRules lets the user create rules from then on', async () => {
    const john = await api.createUser({ name: 'John' });
    expect((await api.http().post('/api/rules').set(bearer(john.token)).send(simpleRule(undefined))).status).toBe(403);
    const patched = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ canManageRules: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'John', canManageRules: true });
    expect((await api.http().post('/api/rules').set(bearer(john.token)).send(simpleRule(undefined))).status).toBe(201);
  });

  test('patching numbers replaces the list, and a released number can be taken by someone else', async () => {
    const [a, b] = [freshNumber(), freshNumber()];
    const john = await api.createUser({ name: 'John', numbers: [a] });
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ numbers: [b] });
    expect(res.status).toBe(200);
    expect(res.body.numbers).toEqual([b]);
    const mary = await api.http().post('/api/users').set(asAdmin).send({ name: 'Mary', numbers: [a] });
    expect(mary.status).toBe(201);
  });

  test('patching in a number someone else owns is refused with 409 and changes nothing', async () => {
    const [mine, theirs] = [freshNumber(), freshNumber()];
    const john = await api.createUser({ name: 'John', numbers: [mine] });
    await api.createUser({ name: 'Mary', numbers: [theirs] });
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ name: 'Johnny', numbers: [mine, theirs] });
    expect(res.status).toBe(409);
    expect((res.body as ErrorResponse).error.code).toBe('number_taken');
    expect((res.body as ErrorResponse).error.message).toContain(theirs);
    const read = await api.http().get(`/api/users/${john.id}`).set(asAdmin);
    expect(read.body).toMatchObject({ name: 'John', numbers: [mine] });
  });

  test('a name that cannot be spoken in TwiML (a control character) is 400, on create and on patch', async () => {
    const created = await api.http().post('/api/users').set(asAdmin).send({ name: 'John\u0001' });
    expect(created.status).toBe(400);
    expect((created.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['name']);
    const john = await api.createUser({ name: 'John' });
    const patched = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ name: 'Jo\uDC00hn' });
    expect(patched.status).toBe(400);
    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).body).toMatchObject({ name: 'John' });
  });

  test('giving a user a number one of their rules rings is 400 naming the number and the rule: the call would ring itself', async () => {
    const john = await api.createUser({ name: 'John', numbers: ['+15550001000'], canManageRules: true });
    await api.createRule(johnsRule(john.id, { name: 'Office first' }));
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ numbers: ['+15550001000', '+15551230001'] });
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details).toEqual([{ path: 'numbers.1', message: expect.stringMatching(/^\+15551230001 .*"Office first"/) }]);
    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).body.numbers).toEqual(['+15550001000']);
  });

  test('a patch is validated: a bad email is 400 and nothing changes', async () => {
    const john = await api.createUser({ name: 'John', email: 'john@example.com' });
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ email: 'nope', name: 'Jo' });
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details[0]?.path).toBe('email');
    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).body).toMatchObject({ name: 'John', email: 'john@example.com' });
  });

  test('patching email to null removes it; the token keeps working', async () => {
    const john = await api.createUser({ name: 'John', email: 'john@example.com' });
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ email: null });
    expect(res.status).toBe(200);
    expect(res.body.email).toBeUndefined();
    expect((await api.http().get('/api/me').set(bearer(john.token))).status).toBe(200);
  });

  test('rotating a token returns a new one once; the old one stops working', async () => {
    const john = await api.createUser({ name: 'John' });
    const res = await api.http().post(`/api/users/${john.id}/token`).set(asAdmin);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['token']);
    expect(res.body.token).not.toBe(john.token);
    expect((await api.http().get('/api/me').set(bearer(john.token))).status).toBe(401);
    const me = await api.http().get('/api/me').set(bearer(res.body.token));
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(john.id);
  });

  test('unknown users are 404 for read, change, delete and rotation', async () => {
    const responses = await Promise.all([
      api.http().get('/api/users/usr_nobody').set(asAdmin),
      api.http().patch('/api/users/usr_nobody').set(asAdmin).send({ name: 'X' }),
      api.http().delete('/api/users/usr_nobody').set(asAdmin),
      api.http().post('/api/users/usr_nobody/token').set(asAdmin),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(404);
      expect((res.body as ErrorResponse).error.code).toBe('not_found');
    }
  });
});

describe('rotating a leaked token while someone edits the same user', () => {
  test('the old token stays dead and the new one works, whichever request saves last', async () => {
    const john = await api.createUser({ name: 'John' });
    let rotated = '';
    // the rename has read John (with his old token hash) and is about to save when the rotation lands
    meanwhileOnce(api.app.deps.store, 'updateUser', async () => {
      const res = await api.http().post(`/api/users/${john.id}/token`).set(asAdmin);
      expect(res.status).toBe(200);
      rotated = res.body.token;
    });
    const rename = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ name: 'John Smith' });
    expect(rename.status).toBe(200);
    expect(rename.body.name).toBe('John Smith');

    expect((await api.http().get('/api/me').set(bearer(john.token))).status).toBe(401);
    const me = await api.http().get('/api/me').set(bearer(rotated));
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('John Smith');
  });

  test('a change saved while a rotation is in flight is kept', async () => {
    const mary = await api.createUser({ name: 'Mary', canManageRules: false });
    // the rotation has read Mary and is about to save her new token hash when the grant lands
    meanwhileOnce(api.app.deps.store, 'updateUser', async () => {
      const res = await api.http().patch(`/api/users/${mary.id}`).set(asAdmin).send({ canManageRules: true });
      expect(res.status).toBe(200);
    });
    const rotation = await api.http().post(`/api/users/${mary.id}/token`).set(asAdmin);
    expect(rotation.status).toBe(200);

    expect((await api.http().get(`/api/users/${mary.id}`).set(asAdmin)).body.canManageRules).toBe(true);
    expect((await api.http().get('/api/me').set(bearer(rotation.body.token))).status).toBe(200);
  });

  test('a user deleted while a PATCH is in flight stays deleted, and the PATCH answers 404', async () => {
    const gone = await api.createUser({ name: 'Leaving' });
    meanwhileOnce(api.app.deps.store, 'updateUser', async () => {
      expect((await api.http().delete(`/api/users/${gone.id}`).set(asAdmin)).status).toBe(204);
    });
    expect((await api.http().patch(`/api/users/${gone.id}`).set(asAdmin).send({ name: 'Back' })).status).toBe(404);
    expect((await api.http().get(`/api/users/${gone.id}`).set(asAdmin)).status).toBe(404);
  });
});

describe('deleting users', () => {
  test('deleting a user deletes their rules, releases their numbers and ends their token', async () => {
    const number = freshNumber();
    const john = await api.createUser({ name: 'John', numbers: [number], canManageRules: true });
    const mary = await api.createUser({ name: 'Mary' });
    const johnsRule = await api.createRule(simpleRule(john.id));
    const marysRule = await api.createRule(simpleRule(mary.id));

    const res = await api.http().delete(`/api/users/${john.id}`).set(asAdmin);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).status).toBe(404);
    expect((await api.http().get(`/api/rules/${johnsRule.id}`).set(asAdmin)).status).toBe(404);
    expect((await api.http().get(`/api/rules?userId=${john.id}`).set(asAdmin)).body.total).toBe(0);
    expect((await api.http().get(`/api/rules/${marysRule.id}`).set(asAdmin)).status).toBe(200);
    expect((await api.http().get('/api/me').set(bearer(john.token))).status).toBe(401);
    expect((await api.http().post('/api/users').set(asAdmin).send({ name: 'Heir', numbers: [number] })).status).toBe(201);
  });
});

describe('who may manage users', () => {
  test('a user, even one allowed to manage rules, gets 403 on every /api/users endpoint', async () => {
    const john = await api.createUser({ name: 'John', canManageRules: true });
    const asJohn = bearer(john.token);
    const responses = await Promise.all([
      api.http().get('/api/users').set(asJohn),
      api.http().post('/api/users').set(asJohn).send({ name: 'Eve', role: 'admin' }),
      api.http().get(`/api/users/${john.id}`).set(asJohn),
      api.http().patch(`/api/users/${john.id}`).set(asJohn).send({ role: 'admin' }),
      api.http().delete(`/api/users/${john.id}`).set(asJohn),
      api.http().post(`/api/users/${john.id}/token`).set(asJohn),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(403);
      expect((res.body as ErrorResponse).error.code).toBe('forbidden');
    }
    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).body.role).toBe('user');
  });

  test('a user with role admin is an administrator', async () => {
    const boss = await api.createUser({ name: 'Boss', role: 'admin' });
    const res = await api.http().post('/api/users').set(bearer(boss.token)).send({ name: 'New hire' });
    expect(res.status).toBe(201);
    expect((await api.http().get('/api/users').set(bearer(boss.token))).status).toBe(200);
  });
});

describe('a webhook URL with credentials in it', () => {
  const withPassword = 'https://hooks:s3cret-pw@crm.example.com/calls/in?team=7';

  test('a user reads their own webhook URL with the password masked; an administrator reads and keeps it whole', async () => {
    const john = await api.createUser({ name: 'John', notifyUrl: withPassword });
    const me = await api.http().get('/api/me').set(bearer(john.token));
    expect(me.status).toBe(200);
    expect(me.body.notifyUrl).toBe('https://hooks:***@crm.example.com/calls/in?team=7');
    expect(JSON.stringify(me.body)).not.toContain('s3cret-pw');
    // nor can they read it, or change it, through /api/users
    expect((await api.http().get(`/api/users/${john.id}`).set(bearer(john.token))).status).toBe(403);
    expect((await api.http().patch(`/api/users/${john.id}`).set(bearer(john.token)).send({ notifyUrl: 'https://evil.example.com/' })).status).toBe(403);

    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).body.notifyUrl).toBe(withPassword);
    const listed = (await api.http().get('/api/users?q=John&pageSize=100').set(asAdmin)).body.items.find((u: { id: string }) => u.id === john.id);
    expect(listed.notifyUrl).toBe(withPassword);
  });

  test('a user name given without a password is masked too (it is the secret then)', async () => {
    const mary = await api.createUser({ name: 'Mary', notifyUrl: 'https://tok_abc123@hooks.example.com/in' });
    expect((await api.http().get('/api/me').set(bearer(mary.token))).body.notifyUrl).toBe('https://***@hooks.example.com/in');
  });

  test('a user with role admin reads their own webhook URL whole', async () => {
    const boss = await api.createUser({ name: 'Boss', role: 'admin', notifyUrl: withPassword });
    expect((await api.http().get('/api/me').set(bearer(boss.token))).body.notifyUrl).toBe(withPassword);
  });

  test('an administrator who saves other fields with the masked URL sent back keeps the stored password', async () => {
    const john = await api.createUser({ name: 'John', notifyUrl: withPassword });
    const masked = (await api.http().get('/api/me').set(bearer(john.token))).body.notifyUrl as string;
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ name: 'John Smith', notifyUrl: masked });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'John Smith', notifyUrl: withPassword });
    expect((await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ email: 'j@example.com' })).body.notifyUrl).toBe(withPassword);
    expect((await api.http().get(`/api/users/${john.id}`).set(asAdmin)).body.notifyUrl).toBe(withPassword);
  });

  test('an administrator can still change the URL, its password included', async () => {
    const john = await api.createUser({ name: 'John', notifyUrl: withPassword });
    const changed = 'https://hooks:n3w-pw@crm.example.com/calls/in?team=7';
    const res = await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ notifyUrl: changed });
    expect(res.body.notifyUrl).toBe(changed);
    expect((await api.http().patch(`/api/users/${john.id}`).set(asAdmin).send({ notifyUrl: null })).body.notifyUrl).toBeUndefined();
  });
});
