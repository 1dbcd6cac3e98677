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
