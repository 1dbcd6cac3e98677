import { CALL_SORTING, pageOf, parsePageQuery, RULE_SORTING, sortItems, USER_SORTING } from '../../src/domain/paging';
import type { CallRecord, User } from '../../src/domain/types';
import { asAdmin, ManualClock, startApi } from './helpers';

/** The shared list behaviour, as every list endpoint (and the admin panel) relies on it. */

const user = (name: string, createdAt: string, id: string, role: User['role'] = 'user'): User => ({
  id,
  name,
  role,
  numbers: [],
  canManageRules: false,
  createdAt,
  updatedAt: createdAt,
});

describe('sorting and paging rules (domain/paging)', () => {
  test('without a query: sorted by the default field, page 1 of 20', () => {
    expect(parsePageQuery({}, RULE_SORTING)).toEqual({ sort: 'createdAt', page: 1, pageSize: 20 });
    expect(parsePageQuery({}, CALL_SORTING)).toEqual({ sort: '-startedAt', page: 1, pageSize: 20 });
  });

  test('query strings are read as numbers', () => {
    expect(parsePageQuery({ sort: '-name', page: '3', pageSize: '7' }, RULE_SORTING)).toEqual({ sort: '-name', page: 3, pageSize: 7 });
  });

  test('text ignores case; equal names fall back to createdAt then id, ascending even when sorting descending', () => {
    const users = [
      user('bob', '2026-01-01T00:00:02Z', 'u3'),
      user('Bob', '2026-01-01T00:00:01Z', 'u2'),
      user('BOB', '2026-01-01T00:00:01Z', 'u1'),
      user('alice', '2026-01-01T00:00:09Z', 'u9'),
    ];
    expect(sortItems(users, 'name', USER_SORTING).map((u) => u.id)).toEqual(['u9', 'u1', 'u2', 'u3']);
    expect(sortItems(users, '-name', USER_SORTING).map((u) => u.id)).toEqual(['u1', 'u2', 'u3', 'u9']);
  });

  test('a call still in progress (no endedAt, no outcome) sorts last in either direction', () => {
    const call = (callSid: string, endedAt?: string): CallRecord => ({
      callSid, userId: 'u', from: '+15550000001', to: '+15550000002', startedAt: '2026-01-01T00:00:00Z', events: [], ...(endedAt ? { endedAt } : {}),
    });
    const calls = [call('CA_live'), call('CA_early', '2026-01-01T00:01:00Z'), call('CA_late', '2026-01-01T00:05:00Z')];
    expect(sortItems(calls, 'endedAt', CALL_SORTING).map((c) => c.callSid)).toEqual(['CA_early', 'CA_late', 'CA_live']);
    expect(sortItems(calls, '-endedAt', CALL_SORTING).map((c) => c.callSid)).toEqual(['CA_late', 'CA_early', 'CA_live']);
  });

  test('a page past the end is empty but still tells the total', () => {
    const users = [user('a', '2026-01-01T00:00:00Z', 'u1')];
    expect(pageOf(users, { sort: 'name', page: 5, pageSize: 10 }, USER_SORTING)).toEqual({ items: [], page: 5, pageSize: 10, total: 1 });
  });

  test('the caller\'s array is left as it was', () => {
    const users = [user('b', '2026-01-01T00:00:00Z', 'u2'), user('a', '2026-01-01T00:00:00Z', 'u1')];
    sortItems(users, 'name', USER_SORTING);
    expect(users.map((u) => u.id)).toEqual(['u2', 'u1']);
  });
});

describe('the user list', () => {
  test('sorts by name and role, searches name, email and numbers, and pages', async () => {
    const clock = new ManualClock();
    const api = await startApi({ clock });
    try {
      for (const body of [
        { name: 'carol', email: 'carol@example.com' },
        { name: 'Alice', role: 'admin' },
        { name: 'bob', numbers: ['+15550009999'] },
      ]) {
        await api.createUser(body);
        clock.advance(1000);
      }
      const names = async (q: string): Promise<string[]> =>
        (await api.http().get(`/api/users${q}`).set(asAdmin)).body.items.map((u: User) => u.name);
      expect(await names('')).toEqual(['carol', 'Alice', 'bob']);
      expect(await names('?sort=name')).toEqual(['Alice', 'bob', 'carol']);
      expect(await names('?sort=-name')).toEqual(['carol', 'bob', 'Alice']);
      expect(await names('?sort=role')).toEqual(['Alice', 'carol', 'bob']);
      expect(await names('?q=EXAMPLE.com')).toEqual(['carol']);
      expect(await names('?q=0009999')).toEqual(['bob']);
      const page = await api.http().get('/api/users?sort=name&pageSize=2&page=2').set(asAdmin);
      expect(page.body).toMatchObject({ page: 2, pageSize: 2, total: 3 });
      expect(page.body.items.map((u: User) => u.name)).toEqual(['carol']);
      expect((await api.http().get('/api/users?sort=priority').set(asAdmin)).status).toBe(400);
    } finally {
      await api.close();
    }
  });
});
