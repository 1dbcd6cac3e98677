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

/** The next call of one store method first lets `meanwhile` run (another request landing while this one is in flight), then goes through. */
export function meanwhileOnce<M extends keyof Store>(store: Store, method: M, meanwhile: () => Promise<unknown>): void {
  const original = store[method] as (...args: unknown[]) => Promise<unknown>;
  store[method] = (async (...args: unknown[]) => {
    store[method] = original as unknown as Store[M];
    await meanwhile();
    return original.apply(store, args);
  }) as unknown as Store[M];
}
