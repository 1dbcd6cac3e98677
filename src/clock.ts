/**
 * Injected time. Production uses the system clock; tests and the emulator use a virtual clock, so a
 * ten-minute hold plays out in milliseconds. Nothing in src reads Date.now() or calls setTimeout directly
 * for call-flow timing.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: unknown;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { id: t };
  },
  clearTimeout: (handle) => clearTimeout(handle.id as NodeJS.Timeout),
};
