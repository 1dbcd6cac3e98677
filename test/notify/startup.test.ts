import { notificationStartupWarning } from '../../src/notify';

/** server.ts logs this once at start-up. */
describe('the start-up warning about notifications', () => {
  it('says that notifications go out unsigned when NOTIFY_SIGNING_SECRET is not set', () => {
    expect(notificationStartupWarning({})).toMatch(/NOTIFY_SIGNING_SECRET is not set.*unsigned/);
  });

  it('is absent when a signing secret is configured', () => {
    expect(notificationStartupWarning({ notifySigningSecret: 'notify-signing-secret-0123456789' })).toBeUndefined();
  });
});
