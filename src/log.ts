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
      serializers: { err: withoutCommandArguments },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * pino's error serializer, without the arguments of the Redis command an ioredis error carries: a refused login puts
 * its AUTH (user and password) there, and any other command its keys and values (callers' numbers). Its name is kept.
 */
function withoutCommandArguments(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown;
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  const command = (serialized as Record<string, unknown>).command;
  if (typeof command === 'object' && command !== null && 'args' in command) {
    const { args: _args, ...rest } = command as Record<string, unknown>;
    return { ...serialized, command: rest };
  }
  return serialized;
}

/** A logger that writes nothing, for tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
