import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets never reach a line: auth headers, tokens and Twilio signatures are redacted.
 * Lines about a call carry `callSid` (use `logger.child({ callSid })`).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['token', 'authToken', 'tokenHash', '*.token', '*.authToken', '*.tokenHash', 'req.headers.authorization',
          'req.headers["x-twilio-signature"]', 'headers.authorization'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A logger that writes nothing, for tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
