import { startApp, type RunningApp } from '../support/app';

/** How the app serves the panel at /admin (no browser needed): pages fall back to index.html, assets do not. */
describe('the admin panel is served at /admin', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (path: string) => fetch(`${app.baseUrl}${path}`, { redirect: 'manual' });

  test('/admin/ answers the panel page, which loads its script as an ES module', async () => {
    const response = await get('/admin/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<script type="module" src="js/main.js">');
    expect(html).toContain('<base href="/admin/">');
  });

  test('/admin without the slash redirects to /admin/', async () => {
    const response = await get('/admin');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/admin/');
  });

  test('the site root sends a person who opens the app in a browser to the panel', async () => {
    const response = await get('/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/admin/');
  });

  test('a page path such as /admin/rules/rul_1 answers the same page, for the browser to route', async () => {
    for (const path of ['/admin/rules', '/admin/rules/rul_1', '/admin/calls/CA123', '/admin/sign-in']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('js/main.js');
    }
  });

  test('scripts and styles are served with their types; a missing asset is 404, not the page', async () => {
    const script = await get('/admin/js/main.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const styles = await get('/admin/styles.css');
    expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
    expect((await get('/admin/js/no-such-module.js')).status).toBe(404);
  });

  test('the panel runs only its own code: a content security policy without inline scripts, and no framing', async () => {
    const response = await get('/admin/');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('the API is unaffected: /api paths still answer JSON errors, not the panel', async () => {
    const response = await get('/api/rules');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
  });
});

/**
 * PUBLIC_BASE_URL with a path (README "Deploying"): a proxy serves the app under it and strips it, so the app still
 * receives /admin/…, but what it sends the browser (the page's base, the API root, redirects) must be under the path.
 * The panel working end to end behind such a proxy is path-prefix.test.ts.
 */
describe('the admin panel of an app whose PUBLIC_BASE_URL has a path', () => {
  let app: RunningApp | undefined;
  /** Starts the app with this PUBLIC_BASE_URL (closed after the test); `get` fetches from it without following redirects. */
  async function servedAt(publicBaseUrl: string): Promise<(path: string) => Promise<Response>> {
    const started = await startApp({ env: { PUBLIC_BASE_URL: publicBaseUrl } });
    app = started;
    return (path) => fetch(`${started.baseUrl}${path}`, { redirect: 'manual' });
  }

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  test('the page loads its files from <path>/admin/ and calls the API at <path>/api/', async () => {
    const get = await servedAt('https://example.com/calls/');
    for (const path of ['/admin/', '/admin/rules/rul_1', '/admin/index.html']) {
      const html = await (await get(path)).text();
      expect(html).toContain('<base href="/calls/admin/">');
      expect(html).toContain('<meta name="api-root" content="/calls/api/">');
    }
  });

  test('the site root and /admin redirect to <path>/admin/, keeping the query', async () => {
    const get = await servedAt('https://example.com/calls');
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/calls/admin/');
    const admin = await get('/admin?from=mail');
    expect(admin.status).toBe(301);
    expect(admin.headers.get('location')).toBe('/calls/admin/?from=mail');
  });

  test('a path with characters that mean something in HTML is written into the page escaped', async () => {
    const get = await servedAt("https://example.com/o'neil&co");
    const html = await (await get('/admin/')).text();
    expect(html).toContain('<base href="/o&#39;neil&amp;co/admin/">');
    expect(html).toContain('<meta name="api-root" content="/o&#39;neil&amp;co/api/">');
  });
});
