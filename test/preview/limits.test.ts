import express from 'express';
import request from 'supertest';
import type { Clock } from '../../src/clock';
import { authenticate } from '../../src/api/auth';
import { jsonBody } from '../../src/api/body';
import { errorHandler } from '../../src/api/error-handler';
import { silentLogger } from '../../src/log';
import { PreviewGuard } from '../../src/preview/guard';
import { createPreviewRouter } from '../../src/preview/routes';
import { asAdmin, bearer, johnsRule, startApi, withJohn, type Api, type ErrorResponse } from './support';

/**
 * A preview costs an app and an emulator for a moment: an instance runs a few at once (429 beyond that) and answers
 * within a bounded real time (504). The preview routes are mounted as api/router mounts them, on the real app's store.
 */

let api: Api;
let ruleId: string;
let john: { id: string; token: string };
beforeAll(async () => {
  api = await startApi();
  ({ ruleId, john } = await withJohn(api));
});
afterAll(() => api.close());

function previewApp(guard: PreviewGuard): express.Express {
  const app = express();
  app.use('/api/rules', authenticate(api.app.deps), jsonBody(), createPreviewRouter(api.app.deps, { guard }));
  app.use(errorHandler(silentLogger));
  return app;
}

/** Wall clocks for the guard: one whose timeout never fires, one on which it fires as soon as the preview started. */
const neverFires: Clock = { now: () => Date.now(), setTimeout: () => ({ id: 0 }), clearTimeout: () => undefined };
const firesAtOnce: Clock = {
  now: () => Date.now(),
  setTimeout: (fn) => ({ id: setImmediate(fn) }),
  clearTimeout: (handle) => clearImmediate(handle.id as NodeJS.Immediate),
};

test('with every preview slot taken the API answers 429 (Retry-After), and previews again once one is free', async () => {
  const guard = new PreviewGuard({ maxConcurrent: 1, clock: neverFires, logger: silentLogger });
  let finish!: () => void;
  const occupied = guard.run(() => new Promise<void>((resolve) => { finish = resolve; }));

  const refused = await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(asAdmin).send({ destinations: {} });
  expect(refused.status).toBe(429);
  expect(refused.headers['retry-after']).toBe('1');
  expect((refused.body as ErrorResponse).error).toEqual({ code: 'too_many_previews', message: expect.stringContaining('1 rule preview'), details: [] });

  finish();
  await occupied;
  const played = await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(asAdmin).send({ destinations: {} });
  expect(played.status).toBe(200);
  expect(guard.running).toBe(0);
});

test('one user runs one preview at a time (429 for a second), while others still can', async () => {
  const guard = new PreviewGuard({ maxConcurrent: 4, clock: neverFires, logger: silentLogger });
  let finish!: () => void;
  const occupied = guard.run(() => new Promise<void>((resolve) => { finish = resolve; }), john.id);

  const refused = await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(bearer(john.token)).send({ destinations: {} });
  expect(refused.status).toBe(429);
  expect((refused.body as ErrorResponse).error).toEqual({ code: 'preview_running', message: expect.stringContaining('already'), details: [] });
  const unsaved = await request(previewApp(guard)).post('/api/rules/preview').set(bearer(john.token)).send({ rule: johnsRule(john.id), destinations: {} });
  expect(unsaved.status).toBe(429);
  expect((await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(asAdmin).send({ destinations: {} })).status).toBe(200);

  finish();
  await occupied;
  expect((await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(bearer(john.token)).send({ destinations: {} })).status).toBe(200);
});

test('right after a 504, a second preview of the same user is told the first is still stopping, then runs once it has', async () => {
  let fireTimeout!: () => void;
  const fireOnDemand: Clock = { now: () => Date.now(), setTimeout: (fn) => { fireTimeout = fn; return { id: 0 }; }, clearTimeout: () => undefined };
  const guard = new PreviewGuard({ clock: fireOnDemand, logger: silentLogger });
  let finish!: () => void;
  const slow = guard.run(() => new Promise<void>((resolve) => { finish = resolve; }), john.id);
  fireTimeout();
  await expect(slow).rejects.toThrow('20 s');

  const refused = await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(bearer(john.token)).send({ destinations: {} });
  expect(refused.status).toBe(429);
  expect((refused.body as ErrorResponse).error).toEqual({
    code: 'preview_running', message: 'your last rule preview took too long and is still stopping: try again in a few seconds', details: [],
  });

  finish();
  await guard.idle();
  expect((await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(bearer(john.token)).send({ destinations: {} })).status).toBe(200);
});

test('a preview that outlasts its real-time budget is answered 504, stopped and cleaned up', async () => {
  const guard = new PreviewGuard({ timeoutMs: 10_000, clock: firesAtOnce, logger: silentLogger });
  const res = await request(previewApp(guard)).post(`/api/rules/${ruleId}/preview`).set(asAdmin).send({ destinations: {} });
  expect(res.status).toBe(504);
  expect((res.body as ErrorResponse).error).toEqual({
    code: 'preview_timeout',
    message: 'the preview took longer than 10 s and was stopped: preview a rule with fewer steps or phones, or a shorter maxHoldMinutes',
    details: [],
  });
  await guard.idle();
  expect(guard.running).toBe(0);
});
