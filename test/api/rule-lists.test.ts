import type { Rule } from '../../src/domain/types';
import { asAdmin, ManualClock, simpleRule, startApi, type Api, type ErrorResponse } from './helpers';

/** Reloading, sorting and paging the rule list (DESIGN §4 "Lists"). Each describe starts from an empty app. */

let api: Api;
let clock: ManualClock;
let userId: string;

beforeEach(async () => {
  clock = new ManualClock();
  api = await startApi({ clock });
  userId = (await api.createUser({ name: 'Lister' })).id;
});
afterEach(() => api.close());

/** Creates rules one minute apart, in the order given. */
async function createRules(overrides: Array<Record<string, unknown>>): Promise<Rule[]> {
  const rules: Rule[] = [];
  for (const o of overrides) {
    rules.push(await api.createRule(simpleRule(userId, o)));
    clock.advance(60_000);
  }
  return rules;
}

async function list(query: string): Promise<{ items: Rule[]; page: number; pageSize: number; total: number }> {
  const res = await api.http().get(`/api/rules${query}`).set(asAdmin);
  expect(res.status).toBe(200);
  return res.body;
}
const names = async (query: string): Promise<string[]> => (await list(query)).items.map((r) => r.name);

describe('paging', () => {
  test('25 rules in pages of 10: three pages, the last with 5, each telling the total of 25', async () => {
    const created = await createRules(Array.from({ length: 25 }, (_, i) => ({ name: `Rule ${String(i + 1).padStart(2, '0')}` })));
    const pages = [await list('?pageSize=10&page=1'), await list('?pageSize=10&page=2'), await list('?pageSize=10&page=3')];
    expect(pages.map((p) => p.items.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => [p.page, p.pageSize, p.total])).toEqual([[1, 10, 25], [2, 10, 25], [3, 10, 25]]);
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(created.map((r) => r.id));
    expect(await list('?pageSize=10&page=4')).toEqual({ items: [], page: 4, pageSize: 10, total: 25 });
  });

  test('without paging parameters: page 1 of 20, oldest first', async () => {
    await createRules(Array.from({ length: 21 }, (_, i) => ({ name: `R${i}` })));
    const first = await list('');
    expect([first.page, first.pageSize, first.total, first.items.length]).toEqual([1, 20, 21, 20]);
    expect(first.items[0]?.name).toBe('R0');
  });

  test('an empty list is a page with no items and total 0', async () => {
    expect(await list('')).toEqual({ items: [], page: 1, pageSize: 20, total: 0 });
  });

  test('page sizes of 1 and 100 are allowed', async () => {
    await createRules([{ name: 'a' }, { name: 'b' }]);
    expect((await list('?pageSize=1&page=2')).items.map((r) => r.name)).toEqual(['b']);
    expect((await list('?pageSize=100')).items).toHaveLength(2);
  });

  test.each([
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=abc', 'page'],
    ['page=1.5', 'page'],
    ['pageSize=0', 'pageSize'],
    ['pageSize=101', 'pageSize'],
    ['sort=color', 'sort'],
    ['sort=--name', 'sort'],
    ['sort=Name', 'sort'],
  ])('?%s answers 400 naming %s', async (query, path) => {
    const res = await api.http().get(`/api/rules?${query}`).set(asAdmin);
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.code).toBe('validation_failed');
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toEqual([path]);
    expect((res.body as ErrorResponse).error.message).toContain(path);
  });
});

describe('sorting', () => {
  test('by name ignores case, ascending and descending', async () => {
    await createRules([{ name: 'banana' }, { name: 'Apple' }, { name: 'cherry' }, { name: 'apricot' }, { name: 'Banana split' }]);
    expect(await names('?sort=name')).toEqual(['Apple', 'apricot', 'banana', 'Banana split', 'cherry']);
    expect(await names('?sort=-name')).toEqual(['cherry', 'Banana split', 'banana', 'apricot', 'Apple']);
  });

  test('by priority compares numbers, not text', async () => {
    await createRules([{ name: 'nine', priority: 9 }, { name: 'ten', priority: 10 }, { name: 'minus five', priority: -5 }]);
    expect(await names('?sort=priority')).toEqual(['minus five', 'nine', 'ten']);
    expect(await names('?sort=-priority')).toEqual(['ten', 'nine', 'minus five']);
  });

  test('by mode', async () => {
    await createRules([{ name: 'f', mode: 'followMe' }, { name: 'e', mode: 'extendRing' }]);
    expect(await names('?sort=mode')).toEqual(['e', 'f']);
    expect(await names('?sort=-mode')).toEqual(['f', 'e']);
  });

  test('by createdAt and updatedAt: an edited rule moves to the end of the updatedAt order', async () => {
    const [first] = await createRules([{ name: 'first' }, { name: 'second' }, { name: 'third' }]);
    expect(await names('?sort=createdAt')).toEqual(['first', 'second', 'third']);
    expect(await names('?sort=-createdAt')).toEqual(['third', 'second', 'first']);
    await api.http().patch(`/api/rules/${first!.id}`).set(asAdmin).send({ priority: 1 });
    expect(await names('?sort=updatedAt')).toEqual(['second', 'third', 'first']);
    expect(await names('?sort=-updatedAt')).toEqual(['first', 'third', 'second']);
    expect(await names('?sort=createdAt')).toEqual(['first', 'second', 'third']);
  });

  test('ties keep the oldest first, in either direction', async () => {
    const rules = await createRules([{ name: 'Same', priority: 1 }, { name: 'same', priority: 2 }, { name: 'SAME', priority: 3 }]);
    const ids = rules.map((r) => r.id);
    expect((await list('?sort=name')).items.map((r) => r.id)).toEqual(ids);
    expect((await list('?sort=-name')).items.map((r) => r.id)).toEqual(ids);
  });

  test('rules created in the same instant keep their creation order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.createRule(simpleRule(userId, { name: 'Burst' }))).id);
    expect((await list('?sort=name')).items.map((r) => r.id)).toEqual(ids);
    expect((await list('?sort=-createdAt')).items.map((r) => r.id)).toEqual(ids);
  });
});

describe('searching with q', () => {
  beforeEach(async () => {
    await createRules([
      { name: 'Weekday hunting', steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }] }] },
      { name: 'Weekend', steps: [{ destinations: [{ type: 'client', to: 'john.doe' }] }] },
      { name: 'Night', steps: [{ destinations: [{ type: 'sip', to: 'sip:desk@pbx.example.com', label: 'Desk phone' }] }] },
    ]);
  });

  test.each([
    ['weekday', ['Weekday hunting']],
    ['WEEK', ['Weekday hunting', 'Weekend']],
    ['office', ['Weekday hunting']],
    ['5551230001', ['Weekday hunting']],
    ['John.Doe', ['Weekend']],
    ['pbx.example', ['Night']],
    ['desk', ['Night']],
    ['nothing like this', []],
  ])('q=%s finds %j', async (q, expected) => {
    expect(await names(`?q=${encodeURIComponent(q)}&sort=name`)).toEqual(expected);
  });

  test('the total counts only matching rules', async () => {
    const page = await list('?q=week&pageSize=1');
    expect([page.total, page.items.length]).toEqual([2, 1]);
  });

  test('an empty q matches everything', async () => {
    expect((await list('?q=')).total).toBe(3);
  });
});
