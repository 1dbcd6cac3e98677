import { ConfigError, loadConfig } from '../../src/config';

/** Start-up configuration (DESIGN §3): a bad value stops the app with a message naming the variable. */
describe('configuration', () => {
  it('refuses the example administrator token from .env.example: anyone who read the file could sign in', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'change-me-to-a-long-random-string' }))
      .toThrow(new ConfigError('ADMIN_TOKEN', 'is still the example value from .env.example: set a long random string of your own'));
  });

  it('refuses the example notification signing secret too', () => {
    expect(() => loadConfig({ NOTIFY_SIGNING_SECRET: 'change-me-to-another-long-random-string' })).toThrow(/NOTIFY_SIGNING_SECRET is still the example value/);
  });

  it('refuses a short administrator token, naming the variable', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/^Invalid configuration: ADMIN_TOKEN .*16/);
  });

  it('takes a token of the user\'s own', () => {
    expect(loadConfig({ ADMIN_TOKEN: 'a-token-of-my-own-0123456789' }).adminToken).toBe('a-token-of-my-own-0123456789');
  });
});
