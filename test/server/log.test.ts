import { createLogger } from '../../src/log';

/** Log lines are written whatever a failure was rejected with: a catch block's log call must never throw. */
describe('the JSON log', () => {
  it.each([['null', null], ['a string', 'went wrong'], ['undefined', undefined], ['a plain object', { status: 500 }]])(
    'writes a line for an error that is %s', (_what, err) => {
      const lines: string[] = [];
      const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
      expect(() => logger.warn({ err }, 'something failed')).not.toThrow();
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'something failed' });
    },
  );
});
