import { DEFAULT_VIRTUAL_START, VirtualClock } from '../../src/simulator/virtual-clock';

describe('VirtualClock', () => {
  test('starts on a Tuesday afternoon and only moves when told', () => {
    const clock = new VirtualClock();
    expect(new Date(clock.now()).getUTCDay()).toBe(2);
    expect(clock.now()).toBe(DEFAULT_VIRTUAL_START);
    expect(clock.nextDueAt()).toBeUndefined();
    expect(clock.runNext()).toBe(false);
  });

  test('runs timers by due time, then in the order they were set', () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push('b@10'), 10);
    clock.setTimeout(() => seen.push('a@5'), 5);
    clock.setTimeout(() => seen.push('c@10'), 10);
    clock.setTimeout(() => seen.push('now'), -3);
    while (clock.runNext()) seen.push(`t=${clock.now()}`);
    expect(seen).toEqual(['now', 't=0', 'a@5', 't=5', 'b@10', 't=10', 'c@10', 't=10']);
  });

  test('a cleared timer never runs and timers set by timers join the schedule', () => {
    const clock = new VirtualClock(1000);
    const seen: number[] = [];
    const cleared = clock.setTimeout(() => seen.push(-1), 50);
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now()), 30), 20);
    clock.clearTimeout(cleared);
    expect(clock.pending).toBe(1);
    clock.advanceBy(100);
    expect(seen).toEqual([1050]);
    expect(clock.now()).toBe(1100);
  });
});
