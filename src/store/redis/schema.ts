import type { Redis } from 'ioredis';
import type { Logger } from '../../log';
import { StoreUnavailableError } from '../store';

/**
 * The shape of the data this version keeps in Redis. A version that changes it raises the number (and migrates);
 * the number is kept under the prefix, so that a version older than the data (a rollback, an old instance left
 * running) refuses to read and write what it would misread, instead of quietly damaging it.
 */
export const SCHEMA_VERSION = 1;

/** The data under REDIS_PREFIX was written by a newer version of the app. */
export class IncompatibleSchemaError extends StoreUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'IncompatibleSchemaError';
  }
}

/**
 * Checks the schema version each time the connection becomes ready: an empty prefix (or one of a version that kept
 * no number, all of schema 1) is marked with this version's; a newer one makes every store call fail and is
 * reported to `onIncompatible` (the server stops). A check that fails for want of Redis is made at the next ready.
 */
export class SchemaGuard {
  private incompatible?: IncompatibleSchemaError;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly logger: Logger,
    private readonly onIncompatible?: (error: IncompatibleSchemaError) => void,
  ) {
    redis.on('ready', () => void this.verify());
  }

  /** Throws while the data is of a newer schema. */
  check(): void {
    if (this.incompatible) throw this.incompatible;
  }

  private async verify(): Promise<void> {
    let found: string | null;
    try {
      await this.redis.set(this.key, String(SCHEMA_VERSION), 'NX');
      found = await this.redis.get(this.key);
    } catch (error) {
      this.logger.debug({ err: error }, 'Redis schema version: not checked (checked again once reconnected)');
      return;
    }
    const version = Number(found);
    if (Number.isInteger(version) && version >= 1 && version <= SCHEMA_VERSION) return;
    this.incompatible = new IncompatibleSchemaError(
      `Redis holds data of schema version ${JSON.stringify(found)} under ${this.key}; this version of the app reads version ${SCHEMA_VERSION}:`
      + ' run the newer version of the app, or give this one a REDIS_PREFIX of its own',
    );
    this.logger.fatal({ key: this.key, found, supported: SCHEMA_VERSION }, this.incompatible.message);
    this.onIncompatible?.(this.incompatible);
  }
}
