import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, TEST_ADMIN_TOKEN, type RunningApp, type StartOptions } from './app';
import { launchBrowser } from './browser';
import { apiAs, signIn, type ApiClient } from './panel';

/**
 * The set-up every browser test file of the admin panel shares. Called in a describe body, panelSuite() starts the
 * app (or `start`'s server) and Chromium once for the file and stops both after it; each test opens its own fresh
 * browser contexts (so sessionStorage starts empty) with open(), and after the test every one of them is closed and
 * must have seen no uncaught error in its pages.
 */

export interface PanelSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the context's page; after the test there must have been none. */
  errors: string[];
}

/** What the panel is served by: the app, and how to stop it with whatever runs beside it (e.g. the emulator). */
export interface PanelServer {
  readonly app: RunningApp;
  /** Where the browser reaches the app, e.g. a proxy's URL with a path prefix (default: app.baseUrl, directly). */
  readonly publicUrl?: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Signs in through the sign-in form with this token once the page has loaded. */
  token?: string;
  /** Another app than the suite's (one the test started itself). */
  app?: RunningApp;
  /** Default 1280 × 900. */
  viewport?: { width: number; height: number };
  /** Runs before the page loads, e.g. to listen to its requests and console. */
  beforeLoad?: (page: Page) => void;
}

export interface PanelSuite<S extends PanelServer = PanelServer> {
  readonly server: S;
  readonly app: RunningApp;
  readonly browser: Browser;
  /** The management API as the administrator sees it. */
  readonly admin: ApiClient;
  /** The management API as the holder of `token` sees it. */
  as(token: string): ApiClient;
  /** The session the test opened last. */
  readonly session: PanelSession;
  /** A new browser context on /admin/<path> (under publicUrl), signed in when options.token is given; closed after the test. */
  open(path?: string, options?: OpenOptions): Promise<Page>;
}

export function panelSuite(options?: { app?: StartOptions }): PanelSuite;
export function panelSuite<S extends PanelServer>(options: { start: () => Promise<S> }): PanelSuite<S>;
export function panelSuite(options: { app?: StartOptions; start?: () => Promise<PanelServer> } = {}): PanelSuite {
  const start = options.start ?? (async () => {
    const app = await startApp(options.app);
    return { app, close: () => app.close() };
  });
  let server: PanelServer | undefined;
  let browser: Browser | undefined;
  let opened: PanelSession[] = [];

  beforeAll(async () => {
    server = await start();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    const sessions = opened;
    opened = [];
    await Promise.all(sessions.map((s) => s.context.close()));
    expect(sessions.flatMap((s) => s.errors)).toEqual([]);
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not there yet: use it in a test or a hook`);
    return value;
  };

  return {
    get server() { return ready(server, 'the server'); },
    get app() { return ready(server, 'the server').app; },
    get browser() { return ready(browser, 'the browser'); },
    get admin() { return apiAs(ready(server, 'the server').app, TEST_ADMIN_TOKEN); },
    as: (token) => apiAs(ready(server, 'the server').app, token),
    get session() { return ready(opened.at(-1), 'the session (open() a page first)'); },
    async open(path = '', { token, app, viewport, beforeLoad } = {}) {
      const context = await ready(browser, 'the browser').newContext({ viewport: viewport ?? { width: 1280, height: 900 } });
      const page = await context.newPage();
      const session: PanelSession = { context, page, errors: [] };
      opened.push(session);
      page.on('pageerror', (err) => session.errors.push(err.message));
      // generous: the browser shares two cores with jest's workers, and its first page load is the slowest
      page.setDefaultTimeout(10_000);
      page.setDefaultNavigationTimeout(15_000);
      beforeLoad?.(page);
      const served = ready(server, 'the server');
      await page.goto(`${app?.baseUrl ?? served.publicUrl ?? served.app.baseUrl}/admin/${path}`);
      if (token !== undefined) await signIn(page, token);
      return page;
    },
  };
}
