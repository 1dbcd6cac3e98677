import { ConfigError, loadConfig, publicBaseUrlWarning } from '../../src/config';

/** Start-up configuration (DESIGN §3): a bad value stops the app with a message naming the variable. */
describe('configuration', () => {
  it('refuses the example administrator token from .env.example: anyone who read the file could sign in', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me-to-a-long-random-string' }))
      .toThrow(new ConfigError('ADMIN_TOKEN', 'is still the example value from .env.example: set a long random string of your own'));
  });

  it.each([
    ['a query string', 'https://calls.example.com?x=1'],
    ['a fragment', 'https://calls.example.com#top'],
    ['credentials (they would be printed in its log lines)', 'https://user:s3cret@calls.example.com'],
    ['a password and no user', 'https://:s3cret@calls.example.com'],
    ['an empty query (a bare ?)', 'https://calls.example.com?'],
    ['an empty fragment (a bare #)', 'https://calls.example.com/#'],
  ])('refuses a PUBLIC_BASE_URL with %s, naming the variable: it would end up inside every callback URL', (_what, url) => {
    expect(() => loadConfig({ PUBLIC_BASE_URL: url })).toThrow(/PUBLIC_BASE_URL/);
  });

  it('takes a PUBLIC_BASE_URL with a path prefix (an app behind a proxy under /calls)', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://example.com/calls/' }).publicBaseUrl).toBe('https://example.com/calls');
  });

  it('refuses the example notification signing secret too', () => {
    expect(() => loadConfig({ NOTIFY_SIGNING_SECRET: 'change-me-to-another-long-random-string' })).toThrow(/NOTIFY_SIGNING_SECRET is still the example value/);
  });

  it.each([
    ['a database that is not a number', 'redis://127.0.0.1:6379/abc'],
    ['a port past 65535', 'redis://127.0.0.1:99999'],
    ['a path beyond the database', 'redis://127.0.0.1:6379/0/extra'],
  ])('refuses a REDIS_URL with %s, naming the variable', (_what, url) => {
    expect(() => loadConfig({ REDIS_URL: url })).toThrow(/^Invalid configuration: REDIS_URL /);
  });

  it('checks a rediss:// certificate unless REDIS_TLS_REJECT_UNAUTHORIZED is false, and refuses another value naming it', () => {
    expect(loadConfig({}).redisTlsRejectUnauthorized).toBe(true);
    expect(loadConfig({ REDIS_TLS_REJECT_UNAUTHORIZED: 'false' }).redisTlsRejectUnauthorized).toBe(false);
    expect(() => loadConfig({ REDIS_TLS_REJECT_UNAUTHORIZED: 'maybe' })).toThrow(/^Invalid configuration: REDIS_TLS_REJECT_UNAUTHORIZED /);
  });

  it('takes a REDIS_URL with a password and a database number', () => {
    expect(loadConfig({ REDIS_URL: 'rediss://:s3cret@redis.example.com:6380/2' }).redisUrl).toBe('rediss://:s3cret@redis.example.com:6380/2');
  });

  it('takes an account SID pasted with a space after it, without the space', () => {
    expect(loadConfig({ TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef \n' }).twilioAccountSid).toBe('AC0123456789abcdef0123456789abcdef');
  });

  it('refuses an API key SID (SK…) as the account SID, saying where the Account SID is', () => {
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: 'SK0123456789abcdef0123456789abcdef' })).toThrow(new ConfigError('TWILIO_ACCOUNT_SID',
      'must be the Account SID: AC then 32 hex digits (Twilio console, Account Info; not an SK… API key)'));
  });

  it('refuses a short administrator token, naming the variable', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/^Invalid configuration: ADMIN_TOKEN .*16/);
  });

  it('refuses an administrator token with a space in it, which no Authorization header could carry', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'correct horse battery staple' })).toThrow(/^Invalid configuration: ADMIN_TOKEN .*space/);
  });

  it('takes an administrator token ending in a line break (a secret read from a file) without it', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'a-token-of-my-own-0123456789\n' }).adminToken).toBe('a-token-of-my-own-0123456789');
  });

  it('takes a token of the user\'s own', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'a-token-of-my-own-0123456789' }).adminToken).toBe('a-token-of-my-own-0123456789');
  });
});

describe('the start-up warning about PUBLIC_BASE_URL', () => {
  const twilio = { TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001', TWILIO_AUTH_TOKEN: 'a-real-looking-token' };

  it('with a Twilio account but no PUBLIC_BASE_URL: Twilio cannot reach localhost, and every signature would be checked against it', () => {
    expect(publicBaseUrlWarning(loadConfig({ ...twilio }))).toMatch(/^PUBLIC_BASE_URL is http:\/\/localhost:3000: .*403/);
    expect(publicBaseUrlWarning(loadConfig({ ...twilio, PUBLIC_BASE_URL: 'http://127.0.0.1:8080' }))).toMatch(/^PUBLIC_BASE_URL is http:\/\/127\.0\.0\.1:8080/);
  });

  it('with a Twilio account and a plain http public URL: webhooks would travel unencrypted', () => {
    expect(publicBaseUrlWarning(loadConfig({ ...twilio, PUBLIC_BASE_URL: 'http://calls.example.com' }))).toMatch(/unencrypted/);
    for (const url of ['http://8.8.8.8', 'http://[::ffff:8.8.8.8]', 'http://172.32.0.1', 'http://[2001:db8::1]']) {
      expect(publicBaseUrlWarning(loadConfig({ ...twilio, PUBLIC_BASE_URL: url }))).toMatch(/unencrypted/);
    }
  });

  it.each(['http://0.0.0.0:3000', 'http://[::]:3000', 'http://[::1]:3000', 'http://[::ffff:127.0.0.1]:3000', 'http://localhost.:3000',
    'http://app.localhost:3000', 'http://10.1.2.3', 'http://172.20.0.5:3000', 'http://192.168.1.10', 'http://[fd00::1]'])(
    'a host Twilio cannot reach (%s) is reported as such', (url) => {
      expect(publicBaseUrlWarning(loadConfig({ ...twilio, PUBLIC_BASE_URL: url }))).toMatch(/Twilio cannot reach it/);
    });

  it('with only TWILIO_AUTH_TOKEN set (no account SID), signatures are still checked against localhost: warned all the same', () => {
    expect(publicBaseUrlWarning(loadConfig({ TWILIO_AUTH_TOKEN: 'a-real-looking-token' })))
      .toMatch(/^PUBLIC_BASE_URL is http:\/\/localhost:3000: Twilio cannot reach it, .*403/);
  });

  it('with signatures switched off, nothing is refused: the warning says only that Twilio cannot reach it', () => {
    const warning = publicBaseUrlWarning(loadConfig({ ...twilio, TWILIO_VALIDATE_SIGNATURES: 'false' }));
    expect(warning).toMatch(/Twilio cannot reach it/);
    expect(warning).not.toMatch(/403/);
  });

  it('with a local Twilio-compatible API (the emulator), a local public URL is expected: no warning', () => {
    expect(publicBaseUrlWarning(loadConfig({ ...twilio, TWILIO_API_BASE_URL: 'http://127.0.0.1:4010' }))).toBeUndefined();
  });

  it('none for an https public URL, or without a Twilio account (the quick start)', () => {
    expect(publicBaseUrlWarning(loadConfig({ ...twilio, PUBLIC_BASE_URL: 'https://calls.example.com' }))).toBeUndefined();
    expect(publicBaseUrlWarning(loadConfig({}))).toBeUndefined();
  });
});
