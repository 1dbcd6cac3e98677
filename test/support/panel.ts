import type { Page } from 'playwright-core';
import type { RunningApp } from './app';

/**
 * Helpers for the admin panel's browser tests (their set-up is panel-suite.ts): sign-in through the form, a small
 * API client to seed data the way any client would, and waiting for what the page shows.
 */

export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export interface ApiClient {
  call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  createUser(body: Record<string, unknown>): Promise<{ id: string; token: string; name: string }>;
  createRule(body: Record<string, unknown>): Promise<{ id: string; name: string }>;
}

/** The management API as a given bearer token sees it. Seeding failures throw with the API's answer. */
export function apiAs(app: RunningApp, token: string): ApiClient {
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
  async function expectCreated(path: string, body: Record<string, unknown>) {
    const result = await call('POST', path, body);
    if (result.status !== 201) throw new Error(`POST ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
    return result.body;
  }
  return {
    call,
    createUser: (body) => expectCreated('/api/users', body),
    createRule: (body) => expectCreated('/api/rules', body),
  };
}

/** A one-step Follow Me rule body for seeding. */
export function simpleRule(userId: string, name: string, to = '+15551230001'): Record<string, unknown> {
  return { userId, name, mode: 'followMe', steps: [{ destinations: [{ type: 'number', to, label: 'Office' }], ringSeconds: 20 }] };
}

/** The text of one column for every row of the list table, in display order. */
export async function columnTexts(page: Page, column: string): Promise<string[]> {
  const headers = await page.locator('table.list thead th').allTextContents();
  const index = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === column);
  if (index < 0) throw new Error(`no column "${column}" in ${JSON.stringify(headers)}`);
  return page.locator(`table.list tbody tr td:nth-child(${index + 1})`).allTextContents();
}

/**
 * Retries an assertion until it passes (the page updates after a request answers), failing with the
 * last assertion error after `timeoutMs`. For waiting on the UI only — never for the app's own deadlines.
 */
export async function eventually(assertion: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The length of the recording the page's <audio> loaded, in seconds, as the browser decoded it. */
export function recordingSeconds(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolve, reject) => {
    const el = document.querySelector('audio') as HTMLAudioElement;
    if (el.readyState >= 1) resolve(el.duration);
    el.addEventListener('loadedmetadata', () => resolve(el.duration));
    el.addEventListener('error', () => reject(new Error(`audio error ${el.error?.code}`)));
  }));
}
