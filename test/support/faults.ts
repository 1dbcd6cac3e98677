import type { Store } from '../../src/store/store';

/**
 * The next call of one store method fails, as a Redis command does when it times out; later calls work. `meanwhile`
 * runs first, inside that call (something else happening while the store is slow).
 */
export function failOnce<M extends keyof Store>(store: Store, method: M, meanwhile?: () => Promise<unknown>): void {
  const original = store[method];
  store[method] = (async () => {
    store[method] = original;
    await meanwhile?.();
    throw new Error('Command timed out');
  }) as unknown as Store[M];
}
