import { createLogger } from '../../src/log';

/** What reaches the log stream for one line. */
function lineOf(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
  const lines: string[] = [];
  write(createLogger('info', { write: (line: string) => void lines.push(line) }));
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

/** An operator reading the logs never sees a user's API token, its hash, the Twilio auth token or an Authorization header. */
describe('secrets in log lines', () => {
  it('are censored at the top of a line', () => {
    expect(lineOf((log) => log.info({ token: 'tok-1', authToken: 'auth-1', tokenHash: 'hash-1', userId: 'u1' }, 'created'))).toMatchObject({
      token: '[redacted]', authToken: '[redacted]', tokenHash: '[redacted]', userId: 'u1', msg: 'created',
    });
  });

  it('are censored in an object one level down, which keeps its other fields and is not changed itself', () => {
    const user = { id: 'u1', name: 'John', token: 'tok-1', tokenHash: 'hash-1' };
    const line = lineOf((log) => log.info({ user, config: { authToken: 'auth-1', accountSid: 'AC1' }, count: 2 }, 'saved'));
    expect(line).toMatchObject({
      user: { id: 'u1', name: 'John', token: '[redacted]', tokenHash: '[redacted]' }, config: { authToken: '[redacted]', accountSid: 'AC1' }, count: 2,
    });
    expect(user.token).toBe('tok-1');
  });

  it('leave lines without secrets as they are', () => {
    expect(lineOf((log) => log.info({ method: 'POST', path: '/voice/incoming', status: 200, ms: 1.5, nested: { a: [1, 'x'] } }, 'request')))
      .toMatchObject({ method: 'POST', path: '/voice/incoming', status: 200, ms: 1.5, nested: { a: [1, 'x'] }, msg: 'request' });
  });

  it('are censored in request headers (Authorization, X-Twilio-Signature)', () => {
    const line = lineOf((log) => log.info({
      req: { method: 'GET', headers: { authorization: 'Bearer tok-1', 'x-twilio-signature': 'sig', accept: 'text/xml' } },
      headers: { authorization: 'Bearer tok-2' },
    }, 'request'));
    expect(line).toMatchObject({
      req: { method: 'GET', headers: { authorization: '[redacted]', 'x-twilio-signature': '[redacted]', accept: 'text/xml' } },
      headers: { authorization: '[redacted]' },
    });
  });

  it('are censored in a logged error, which keeps its message', () => {
    const err = Object.assign(new Error('refused'), { token: 'tok-1', code: 'E1' });
    const line = lineOf((log) => log.warn({ err }, 'failed'));
    expect(line.err).toMatchObject({ message: 'refused', token: '[redacted]', code: 'E1', type: 'Error' });
  });
});
