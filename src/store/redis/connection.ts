import { Redis, ReplyError } from 'ioredis';
import type { Logger } from '../../log';
import { NumberTakenError, StoreUnavailableError } from '../store';

/** A reply slower than this fails the command: a dead Redis must never hang a webhook. */
export const COMMAND_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;
const DISCONNECT_TIMEOUT_MS = 200;

/** Reply errors that mean "Redis cannot serve us" (starting, failing over, full, refusing our credentials) rather than a bug in a command. */
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|OOM|NOREPLICAS|NOAUTH|WRONGPASS|NOPERM)\b/;

/**
 * Opens a connection that fails fast and heals itself: commands are never queued while disconnected,
 * each is tried once and times out after COMMAND_TIMEOUT_MS; reconnection goes on forever with capped backoff.
 */
export function connectRedis(url: string, logger: Logger, options: { tlsRejectUnauthorized: boolean } = { tlsRejectUnauthorized: true }): Redis {
  const unchecked = !options.tlsRejectUnauthorized && url.startsWith('rediss:');
  const redis = new Redis(url, {
    // rediss:// already means TLS; this only stops checking the certificate (Heroku Redis: self-signed)
    ...(unchecked ? { tls: { rejectUnauthorized: false } } : {}),
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
    // closing while Redis is unreachable: ioredis waits this long for a socket that is already gone (default 2 s),
    // which held up shutdown by as much
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    // commands issued in the same tick (a webhook's parallel reads, many concurrent webhooks) share one write
    enableAutoPipelining: true,
    // a command in flight when the connection drops may already have run: failing it is safe, sending it again is not
    // (a hunt created twice answers "already there" to the call that created it)
    autoResendUnfulfilledCommands: false,
  });
  watchConnection(redis, logger);
  return redis;
}

/** Logs the first error after each healthy period (not every retry) and each recovery. */
function watchConnection(redis: Redis, logger: Logger): void {
  let healthy = true;
  redis.on('error', (error: Error) => {
    if (healthy) logger.error({ err: error }, 'Redis connection failed; reconnecting');
    else logger.debug({ err: error }, 'Redis still unreachable');
    healthy = false;
  });
  redis.on('ready', () => {
    if (!healthy) logger.info('Redis connection restored');
    healthy = true;
  });
}

/** After a command timed out, how long commands fail at once instead of waiting for Redis again. */
const UNANSWERED_PAUSE_MS = 2000;

/**
 * What a store does after a command timed out: commands fail at once for UNANSWERED_PAUSE_MS, or until Redis answers a
 * PING sent in the background at the timeout, whichever comes first; after a second timeout in a row, the connection is
 * replaced. A webhook reads the store several times in turn: with a Redis that holds the connection open without
 * answering, each read would wait its whole timeout, the caller hearing silence for most of Twilio's 15 s. A Redis that
 * was only slow (a fork for a snapshot) answers the PING soon after, and the store serves again at once. And a
 * connection that went dead without closing (a failover behind one address, a NAT that forgot it) never heals by
 * itself: ioredis does not reconnect on a timeout.
 */
export class UnansweredGuard {
  /** performance.now() until which commands fail at once. */
  private until = 0;
  /** Timeouts since Redis last answered: the second in a row replaces the connection (one slow command does not). */
  private timeouts = 0;
  /** A background PING is awaiting Redis's answer (one at a time). */
  private probing = false;

  constructor(private readonly redis: Redis, private readonly logger: Logger) {
    // a new connection answers: no reason to keep failing
    redis.on('ready', () => {
      this.until = 0;
    });
  }

  /** Throws StoreUnavailableError while a timeout is recent. */
  check(): void {
    if (performance.now() < this.until) throw new StoreUnavailableError('Redis did not answer a moment ago: not waiting for it again yet');
  }

  answered(): void {
    this.until = 0;
    this.timeouts = 0;
  }

  failed(error: unknown): void {
    if (!(error instanceof Error && error.message === 'Command timed out')) return;
    this.until = performance.now() + UNANSWERED_PAUSE_MS;
    this.timeouts += 1;
    if (this.timeouts < 2 || this.redis.status !== 'ready') {
      this.probe();
      return;
    }
    this.timeouts = 0;
    this.logger.warn('Redis did not answer in time twice in a row: reconnecting');
    this.redis.disconnect(true);
  }

  /**
   * PINGs Redis in the background: its answer ends the pause (Redis answers again). Its own timeout or failure counts
   * for nothing: the pause then runs out, and the next command tells.
   */
  private probe(): void {
    if (this.probing || this.redis.status !== 'ready') return;
    this.probing = true;
    this.redis.ping().then(() => {
      this.logger.info('Redis answers again after a command timed out');
      this.answered();
    }, (error: unknown) => {
      this.logger.debug({ err: error }, 'Redis did not answer the PING after a timeout either');
    }).finally(() => {
      this.probing = false;
    });
  }
}

/** One wait per connection, shared by every command issued while it connects (no listener pile-up). */
const readiness = new WeakMap<Redis, Promise<void>>();

/**
 * Resolves once the connection is ready. While the first connection (or a reconnection attempt) is under way it
 * waits for it, at most CONNECT_TIMEOUT_MS; while disconnected between attempts it fails at once.
 */
export function whenReady(redis: Redis): Promise<void> {
  const status = redis.status;
  if (status === 'ready') return Promise.resolve();
  if (status !== 'wait' && status !== 'connecting' && status !== 'connect') {
    return Promise.reject(new StoreUnavailableError(`Redis is not connected (${status})`));
  }
  let waiting = readiness.get(redis);
  if (!waiting) {
    waiting = waitForReady(redis).finally(() => readiness.delete(redis));
    readiness.set(redis, waiting);
  }
  return waiting;
}

function waitForReady(redis: Redis): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onReady = (): void => finish();
    const onClose = (): void => finish(new StoreUnavailableError('Redis refused or dropped the connection'));
    const timer = setTimeout(() => finish(new StoreUnavailableError('Redis did not answer in time')), CONNECT_TIMEOUT_MS);
    timer.unref(); // a wait left behind by a closed store must not keep the process alive
    redis.once('ready', onReady);
    redis.once('close', onClose);
  });
}

/**
 * Maps an error met while talking to Redis: connection trouble (timeouts, refused or dropped connections,
 * a loading, read-only or credential-refusing server) becomes StoreUnavailableError; the store's own errors and command bugs pass through.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || error instanceof NumberTakenError) return error;
  if (error instanceof SyntaxError || error instanceof TypeError || error instanceof RangeError) return error;
  if (error instanceof ReplyError) {
    const message = (error as Error).message;
    return UNAVAILABLE_REPLY.test(message) ? new StoreUnavailableError(`Redis is unavailable: ${message}`, { cause: error }) : error;
  }
  if (error instanceof Error) {
    return new StoreUnavailableError(`Redis is unavailable: ${error.message}`, { cause: error });
  }
  return new StoreUnavailableError('Redis is unavailable', { cause: error });
}
