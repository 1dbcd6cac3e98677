import type { Clock, TimerHandle } from '../clock';

/** Tuesday 24 November 2026, 15:00 UTC: inside ordinary business hours in the Americas and Europe. */
export const DEFAULT_VIRTUAL_START = Date.UTC(2026, 10, 24, 15, 0);

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/**
 * A clock whose time moves only when told to. Timers run in order of due time, then of creation;
 * time never goes backwards. The emulator and the app under test share one instance, so the app's own
 * timers (a deadline sweeper, say) are part of the same schedule as the emulator's.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private readonly heap: Timer[] = [];
  private readonly live = new Set<number>();

  constructor(startMs: number = DEFAULT_VIRTUAL_START) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: Timer = { id: this.nextId++, due: this.current + delay, fn };
    this.live.add(timer.id);
    this.push(timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle?.id === 'number') this.live.delete(handle.id);
  }

  /** Number of timers still due to run. */
  get pending(): number {
    return this.live.size;
  }

  /** Due time of the next timer, or undefined when nothing is scheduled. */
  nextDueAt(): number | undefined {
    this.dropCleared();
    return this.heap[0]?.due;
  }

  /** Moves time to the next timer's due time and runs it. False when nothing is scheduled. */
  runNext(): boolean {
    this.dropCleared();
    const timer = this.pop();
    if (!timer) return false;
    this.live.delete(timer.id);
    if (timer.due > this.current) this.current = timer.due;
    timer.fn();
    return true;
  }

  /** Runs every timer due up to `target` (inclusive), synchronously, then sets the time to `target`. */
  advanceTo(target: number): void {
    for (let due = this.nextDueAt(); due !== undefined && due <= target; due = this.nextDueAt()) this.runNext();
    if (target > this.current) this.current = target;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  private dropCleared(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0].id)) this.pop();
  }

  private before(a: Timer, b: Timer): boolean {
    return a.due < b.due || (a.due === b.due && a.id < b.id);
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): Timer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.before(heap[l], heap[m])) m = l;
      if (r < heap.length && this.before(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
    return top;
  }
}
