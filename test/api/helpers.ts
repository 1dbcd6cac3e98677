import request from 'supertest';
import { systemClock, type Clock } from '../../src/clock';
import type { Rule, User } from '../../src/domain/types';
import { startApp, TEST_ADMIN_TOKEN, type RunningApp, type StartOptions } from '../support/app';

export { TEST_ADMIN_TOKEN };

/** `Authorization` header for a bearer token. */
export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
export const asAdmin = bearer(TEST_ADMIN_TOKEN);

/** The error shape every API failure has (DESIGN §4). */
export interface ErrorResponse {
  error: { code: string; message: string; details: Array<{ path: string; message: string }> };
}

/** A clock the test moves by hand, so createdAt/updatedAt differ without sleeping. */
export class ManualClock implements Clock {
  constructor(private nowMs = Date.parse('2026-01-05T09:00:00.000Z')) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
  setTimeout: Clock['setTimeout'] = (fn, ms) => systemClock.setTimeout(fn, ms);
  clearTimeout: Clock['clearTimeout'] = (handle) => systemClock.clearTimeout(handle);
}

export interface Api {
  readonly app: RunningApp;
  /** supertest bound to the running server. */
  http(): ReturnType<typeof request>;
  createUser(body: Record<string, unknown>): Promise<User & { token: string }>;
  createRule(body: Record<string, unknown>, token?: string): Promise<Rule>;
  close(): Promise<void>;
}

/** Starts the real app (embedded store unless given another) and offers a few admin shortcuts. */
export async function startApi(options: StartOptions = {}): Promise<Api> {
  const app = await startApp(options);
  const http = () => request(app.server);
  return {
    app,
    http,
    async createUser(body) {
      const res = await http().post('/api/users').set(asAdmin).send(body);
      if (res.status !== 201) throw new Error(`creating user failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async createRule(body, token = TEST_ADMIN_TOKEN) {
      const res = await http().post('/api/rules').set(bearer(token)).send(body);
      if (res.status !== 201) throw new Error(`creating rule failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    close: () => app.close(),
  };
}

/** John's rule from the product manual: office 40 s, home 30 s, then cell and his Twilio Client together. */
export function johnsRule(userId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userId,
    name: 'Weekday hunting',
    mode: 'followMe',
    steps: [
      { destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: '+15551230002', label: 'Home' }], ringSeconds: 30 },
      {
        destinations: [
          { type: 'number', to: '+15551230003', label: 'Cell' },
          { type: 'client', to: 'john' },
        ],
      },
    ],
    ...overrides,
  };
}

/** A minimal valid rule body. */
export function simpleRule(userId: string | undefined, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...(userId === undefined ? {} : { userId }),
    name: 'Ring the office',
    mode: 'followMe',
    steps: [{ destinations: [{ type: 'number', to: '+15551230001' }] }],
    ...overrides,
  };
}
