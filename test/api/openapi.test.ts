import type { Router } from 'express';
import { openApiDocument, type SchemaObject } from '../../src/api/openapi';
import type { OperationObject } from '../../src/api/openapi/types';
import { createApiRouter } from '../../src/api/router';
import { DEFAULT_RETRY_POLICY } from '../../src/notify/notifier';
import { asAdmin, bearer, johnsRule, simpleRule, startApi, type Api } from './helpers';

/**
 * GET /api/openapi.json describes the management API as it is: every route the router mounts is in the
 * document and every path in the document is mounted; what the API returns fits the document's schemas.
 */

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
  rawPath?: unknown;
}

/** "GET /api/rules/{id}" for every route of an Express 5 router, mounted sub-routers included. */
function mountedRoutes(stack: RouterLayer[], prefix: string): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = `${prefix}${layer.route.path === '/' ? '' : layer.route.path}`.replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${path}`);
    }
    const inner = layer.handle?.stack;
    if (!Array.isArray(inner)) return [];
    if (typeof layer.rawPath !== 'string') throw new Error('express router layers no longer expose rawPath: update this walker');
    return mountedRoutes(inner, prefix + (layer.rawPath === '/' ? '' : layer.rawPath));
  });
}

function describedRoutes(): string[] {
  return Object.entries(openApiDocument.paths).flatMap(([path, item]) =>
    Object.keys(item).filter((k) => k !== 'parameters').map((method) => `${method.toUpperCase()} ${path}`));
}

describe('the document matches the router', () => {
  test('every mounted route is described, and every described operation is mounted', () => {
    const router = createApiRouter(api.app.deps) as Router & { stack: RouterLayer[] };
    const mounted = mountedRoutes(router.stack, '/api');
    expect(mounted.length).toBeGreaterThan(20);
    expect([...new Set(mounted)].sort()).toEqual(describedRoutes().sort());
  });

  test('every path parameter is declared by each of its operations', () => {
    const parameters = openApiDocument.components.parameters;
    for (const [path, item] of Object.entries(openApiDocument.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || Array.isArray(op)) continue;
        const declared = (op.parameters ?? [])
          .map((p) => ('$ref' in p ? parameters[p.$ref.split('/').pop() ?? ''] : p))
          .filter((p) => p?.in === 'path')
          .map((p) => p?.name);
        expect({ path, method, params: declared.sort() }).toEqual({ path, method, params: inPath.sort() });
      }
    }
  });

  test('every list says how ties are ordered with fields its items have', () => {
    const schemas = openApiDocument.components.schemas as Record<string, SchemaObject>;
    const operations = Object.values(openApiDocument.paths).flatMap((item) => Object.values(item))
      .filter((op): op is OperationObject => !Array.isArray(op));
    const lists = operations.filter((op) => (op.parameters ?? []).some((p) => 'name' in p && p.name === 'sort'));
    expect(lists.length).toBeGreaterThanOrEqual(5);
    for (const op of lists) {
      const sort = (op.parameters ?? []).find((p) => 'name' in p && p.name === 'sort') as { description: string };
      const ties = /ties by (\w+), then (\w+)$/.exec(sort.description)?.slice(1) ?? [];
      const page = JSON.stringify(op.responses?.['200']).match(/schemas\/(\w+)Page/)?.[1] ?? '';
      expect({ op: op.operationId, ties: ties.filter((field) => !(field in (schemas[page]?.properties ?? {}))) }).toEqual({ op: op.operationId, ties: [] });
      expect(ties).toHaveLength(2);
    }
  });

  test('every $ref points at something the document defines', () => {
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(50);
    for (const target of new Set(refs)) {
      const found = target.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], openApiDocument);
      expect({ target, found: found !== undefined }).toEqual({ target, found: true });
    }
  });
});

describe('GET /api/openapi.json', () => {
  test('is served without a token, as OpenAPI 3.1 with bearer auth on everything else', async () => {
    const res = await api.http().get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(res.body.security).toEqual([{ bearerAuth: [] }]);
    expect(res.body.paths['/api/openapi.json'].get.security).toEqual([]);
  });
});

/** A small JSON Schema check (the keywords the document uses): the problems found, [] when the value fits. */
function check(value: unknown, schema: SchemaObject, at = '$'): string[] {
  if (schema.$ref) return check(value, lookup(schema.$ref), at);
  if (schema.oneOf) {
    const fits = schema.oneOf.filter((s) => check(value, s, at).length === 0).length;
    return fits === 1 ? [] : [`${at}: fits ${fits} of the oneOf alternatives`];
  }
  const problems: string[] = [];
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  if (types.length > 0 && !types.some((t) => typeOk(value, t))) return [`${at}: not ${types.join('|')}`];
  if (schema.const !== undefined && value !== schema.const) problems.push(`${at}: not ${String(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value as string)) problems.push(`${at}: not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push(`${at}: repeats an item`);
    value.forEach((item, i) => schema.items && problems.push(...check(item, schema.items, `${at}[${i}]`)));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}.${key}: required`);
    for (const [key, v] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...check(v, property, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}.${key}: not in the schema`);
    }
  }
  return problems;
}

function typeOk(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === type;
}

function lookup(pointer: string): SchemaObject {
  const name = pointer.replace('#/components/schemas/', '');
  const schema = openApiDocument.components.schemas[name];
  if (!schema) throw new Error(`no schema ${pointer}`);
  return schema;
}

const schema = (name: string): SchemaObject => lookup(`#/components/schemas/${name}`);

describe('what the API answers fits the document', () => {
  test('a created user (with its token), a user read back and the user list', async () => {
    const created = await api.http().post('/api/users').set(asAdmin)
      .send({ name: 'John', numbers: ['+15550001000'], email: 'john@example.com', notifyUrl: 'https://example.com/hook' });
    expect(created.status).toBe(201);
    expect(check(created.body, schema('UserWithToken'))).toEqual([]);
    expect(check((await api.http().get(`/api/users/${created.body.id}`).set(asAdmin)).body, schema('User'))).toEqual([]);
    expect(check((await api.http().get('/api/me').set(bearer(created.body.token))).body, schema('User'))).toEqual([]);
    expect(check((await api.http().get('/api/users').set(asAdmin)).body, schema('UserPage'))).toEqual([]);
  });

  test("a created rule (John's, with a schedule and every destination type), read back and listed", async () => {
    const john = await api.createUser({ name: 'John Rules', numbers: ['+15550001001'] });
    const body = johnsRule(john.id, {
      steps: [
        { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 },
        { destinations: [{ type: 'client', to: 'john' }, { type: 'sip', to: 'sip:john@pbx.example.com' }] },
      ],
      schedule: { timezone: 'America/New_York', windows: [{ days: ['mon', 'tue'], from: '09:00', to: '17:00' }] },
      voicemail: { greeting: 'Leave a message.', maxLengthSeconds: 60, transcribe: true },
    });
    expect(check(body, schema('RuleInput'))).toEqual([]);
    const created = await api.http().post('/api/rules').set(asAdmin).send(body);
    expect(created.status).toBe(201);
    expect(check(created.body, schema('Rule'))).toEqual([]);
    expect(check((await api.http().get(`/api/rules/${created.body.id}`).set(asAdmin)).body, schema('Rule'))).toEqual([]);
    expect(check((await api.http().get('/api/rules').set(asAdmin)).body, schema('RulePage'))).toEqual([]);
  });

  test('a rule body with null for its optional fields (no schedule) fits the document and is created', async () => {
    const john = await api.createUser({ name: 'John Nulls', numbers: ['+15550001002'] });
    const body = simpleRule(john.id, { schedule: null, holdMusicUrl: null, holdAnnouncement: null, voicemail: null, enabled: null });
    expect(check(body, schema('RuleInput'))).toEqual([]);
    const created = await api.http().post('/api/rules').set(asAdmin).send(body);
    expect(created.status).toBe(201);
    expect(check(created.body, schema('Rule'))).toEqual([]);
  });

  test.each([
    ['a ring time under 5 s', { steps: [{ destinations: [{ type: 'number', to: '+15551230001' }], ringSeconds: 4 }] }],
    ['a number that is not E.164', { steps: [{ destinations: [{ type: 'number', to: '0555123' }] }] }],
    ['eleven destinations in one step', { steps: [{ destinations: Array.from({ length: 11 }, (_, i) => ({ type: 'client', to: `c${i}` })) }] }],
    ['a maximum hold of 61 minutes', { maxHoldMinutes: 61 }],
    ['an unknown mode', { mode: 'simulRing' }],
    ['an unknown field', { colour: 'blue' }],
  ])('%s: the document and the API both refuse it (400 in the documented error shape)', async (_what, overrides) => {
    const body = johnsRule('usr_x', overrides);
    expect(check(body, schema('RuleInput'))).not.toEqual([]);
    const res = await api.http().post('/api/rules').set(asAdmin).send(body);
    expect(res.status).toBe(400);
    expect(check(res.body, schema('Error'))).toEqual([]);
  });
});

describe('the documented behaviour matches what the app does', () => {
  test('the notification webhook states as many attempts as the app makes', () => {
    const description = openApiDocument.webhooks?.notification?.post?.description ?? '';
    const stated = /(\d+) attempts/.exec(description)?.[1];
    expect(Number(stated)).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
  });

  test('a PATCH that keeps losing to other writers answers 409, and 409 is documented for it', async () => {
    const john = await api.createUser({ name: 'John Conflict' });
    const rule = await api.createRule(simpleRule(john.id));
    // another writer changes the rule each time this PATCH is about to save it
    const store = api.app.deps.store;
    const original = store.saveRuleChecked.bind(store);
    let otherWrites = 0;
    store.saveRuleChecked = async (next, expected) => {
      const current = await store.getRule(rule.id);
      if (current) await store.saveRule({ ...current, name: `Renamed by another writer ${++otherWrites}` });
      return original(next, expected);
    };
    try {
      const res = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: false });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('edit_conflict');
      expect((await store.getRule(rule.id))?.name).toBe(`Renamed by another writer ${otherWrites}`);
    } finally {
      store.saveRuleChecked = original;
    }
    expect(Object.keys(openApiDocument.paths['/api/rules/{id}']?.patch?.responses ?? {})).toContain('409');
  });
});
