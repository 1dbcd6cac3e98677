import { ConfigError, loadConfig, publicBaseUrlWarning } from '../../src/config';

/** Start-up configuration (DESIGN §3): a bad value stops the app with a message naming the variable. */
describe('configuration', () => {
  it('refuses the example administrator token from .env.example: anyone who read the file could sign in', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me-to-a-long-random-string' })).toThrow(new ConfigError('ADMIN_TOKEN',
      'is still the example value from .env.example, which anyone can read: it must be a random string of at least 16 characters, '
      + 'without spaces, for example the output of: openssl rand -hex 24'));
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
      'must be the Account SID: AC then 32 hex digits (Twilio console, Account Info; not an SK… API key), '
      + 'for example TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef'));
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

describe('what a bad value is told: the variable, in plain words what it takes, and an example', () => {
  it.each([
    ['PORT', 'abc', 'PORT must be a whole number from 0 to 65535 (0: any free port), for example PORT=3000'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535 (0: any free port), for example PORT=3000'],
    ['PUBLIC_BASE_URL', 'calls.example.com', 'PUBLIC_BASE_URL must be the http(s) URL Twilio reaches this app at'],
    ['PUBLIC_BASE_URL', 'https://calls.example.com?x=1', 'PUBLIC_BASE_URL has a query, a fragment or user:password, which would end up inside every callback URL: it must be'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a Redis URL: redis[s]://[[user]:password@]host[:port][/database number], the port up to 65535, for example REDIS_URL=redis://127.0.0.1:6379'],
    ['REDIS_URL', 'redis://127.0.0.1:6379/abc', 'REDIS_URL must be a Redis URL'],
    ['REDIS_PREFIX', 'my app:', 'REDIS_PREFIX must be up to 50 letters, digits and _ : . - (no spaces), for example REDIS_PREFIX=chr:'],
    ['REDIS_PREFIX', 'x'.repeat(51), 'REDIS_PREFIX must be up to 50 letters'],
    ['REDIS_TLS_REJECT_UNAUTHORIZED', 'no', 'REDIS_TLS_REJECT_UNAUTHORIZED must be true or false (or 1 or 0), for example REDIS_TLS_REJECT_UNAUTHORIZED=false'],
    ['TWILIO_ACCOUNT_SID', 'AC123', 'TWILIO_ACCOUNT_SID must be the Account SID: AC then 32 hex digits'],
    ['TWILIO_AUTH_TOKEN', 'short', 'TWILIO_AUTH_TOKEN must be the Auth Token from the Twilio console (Account Info), at least 8 characters, for example TWILIO_AUTH_TOKEN='],
    ['TWILIO_AUTH_TOKEN_SECONDARY', 'short', 'TWILIO_AUTH_TOKEN_SECONDARY must be the secondary Auth Token from the Twilio console, at least 8 characters, for example'],
    ['TWILIO_API_BASE_URL', 'api.twilio.com', 'TWILIO_API_BASE_URL must be the http(s) URL of Twilio\'s REST API or a Twilio-compatible one, for example TWILIO_API_BASE_URL=https://api.twilio.com'],
    ['TWILIO_VALIDATE_SIGNATURES', 'off', 'TWILIO_VALIDATE_SIGNATURES must be true or false (or 1 or 0), for example TWILIO_VALIDATE_SIGNATURES=true'],
    ['ADMIN_TOKEN', 'short', 'ADMIN_TOKEN must be a random string of at least 16 characters, without spaces, for example the output of: openssl rand -hex 24'],
    ['ADMIN_TOKEN', 'correct horse battery staple', 'ADMIN_TOKEN contains a space or other white space, which no Authorization header can carry: it must be a random string'],
    ['DEFAULT_HOLD_MUSIC_URL', 'hold.mp3', 'DEFAULT_HOLD_MUSIC_URL must be an http(s) URL of audio Twilio can fetch, for example DEFAULT_HOLD_MUSIC_URL=https://example.com/hold.mp3'],
    ['NOTIFY_WEBHOOK_URL', 'hooks.example.com', 'NOTIFY_WEBHOOK_URL must be the http(s) URL notifications are POSTed to, for example NOTIFY_WEBHOOK_URL=https://hooks.example.com/calls'],
    ['NOTIFY_SIGNING_SECRET', 'short', 'NOTIFY_SIGNING_SECRET must be a random string of at least 16 characters, for example the output of: openssl rand -hex 24'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent, for example LOG_LEVEL=info'],
  ])('%s=%s', (variable, value, told) => {
    let message = '';
    try {
      loadConfig({ [variable]: value });
    } catch (err) {
      message = (err as Error).message;
    }
    const opening = `Invalid configuration: ${told}`;
    expect(message.slice(0, opening.length)).toBe(opening);
    expect(message).toMatch(/, for example /);
    // none of joi's own wording: a regular expression, "must be a boolean", "valid uri", "length must be"
    expect(message).not.toMatch(/\/\^|pattern|must be a (boolean|number|string)|valid uri|length must|fails to match|\[fatal/);
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
