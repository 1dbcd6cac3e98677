import type { Timed } from './contract-records';

/** Store contract, part 4: max-hold deadlines, claimed by the sweepers of every app instance. */

const T = Date.UTC(2025, 0, 1, 10, 10);

export function deadlinesContract(current: Timed): void {
  describe('max-hold deadlines', () => {
    it('a deadline is handed out once it is due, and only once', async () => {
      const { store } = current();
      await store.addDeadline('CA1', T);

      expect(await store.claimDueDeadlines(T - 1, 100)).toEqual([]);
      expect(await store.claimDueDeadlines(T, 100)).toEqual(['CA1']);
      expect(await store.claimDueDeadlines(T + 60_000, 100)).toEqual([]);
    });

    it('due deadlines come out earliest first, at most `limit` at a time; later ones wait', async () => {
      const { store } = current();
      await store.addDeadline('CA-late', T + 2);
      await store.addDeadline('CA-early', T);
      await store.addDeadline('CA-middle', T + 1);
      await store.addDeadline('CA-future', T + 60_000);

      expect(await store.claimDueDeadlines(T + 5, 2)).toEqual(['CA-early', 'CA-middle']);
      expect(await store.claimDueDeadlines(T + 5, 2)).toEqual(['CA-late']);
      expect(await store.claimDueDeadlines(T + 60_000, 2)).toEqual(['CA-future']);
    });

    it('a cleared deadline (the call was answered) never fires; a second deadline for a call does not move the first', async () => {
      const { store } = current();
      await store.addDeadline('CA-answered', T);
      await store.addDeadline('CA-kept', T);
      await store.removeDeadline('CA-answered');
      await store.removeDeadline('CA-never-added');
      await store.addDeadline('CA-kept', T + 1000);

      expect(await store.claimDueDeadlines(T - 1, 100)).toEqual([]);
      expect(await store.claimDueDeadlines(T, 100)).toEqual(['CA-kept']);
      expect(await store.claimDueDeadlines(T + 1000, 100)).toEqual([]);
    });

    it('setDeadline moves an entry that exists and adds one that does not', async () => {
      const { store } = current();
      await store.addDeadline('CA-moved/step-check', T);
      await store.setDeadline('CA-moved/step-check', T + 1000);
      await store.setDeadline('CA-new/step-check', T + 500);

      expect(await store.claimDueDeadlines(T + 999, 100)).toEqual(['CA-new/step-check']);
      expect(await store.claimDueDeadlines(T + 1000, 100)).toEqual(['CA-moved/step-check']);
    });

    it('a deadline claimed or removed can be set again', async () => {
      const { store } = current();
      await store.addDeadline('CA-again', T);
      expect(await store.claimDueDeadlines(T, 100)).toEqual(['CA-again']);
      await store.addDeadline('CA-again', T + 1000);
      await store.removeDeadline('CA-again');
      await store.addDeadline('CA-again', T + 2000);

      expect(await store.claimDueDeadlines(T + 1999, 100)).toEqual([]);
      expect(await store.claimDueDeadlines(T + 2000, 100)).toEqual(['CA-again']);
    });

    it('a claim with a lease hands an entry out once, and again after the lease unless it was released (its handler finished)', async () => {
      const { store } = current();
      await store.addDeadline('CA-crashed', T);
      await store.addDeadline('CA-handled', T);

      expect(await store.claimDueDeadlines(T, 100, 15_000)).toEqual(['CA-crashed', 'CA-handled']);
      expect(await store.claimDueDeadlines(T + 14_999, 100, 15_000)).toEqual([]);
      await store.releaseDeadline('CA-handled', T + 15_000);
      expect(await store.claimDueDeadlines(T + 15_000, 100, 15_000)).toEqual(['CA-crashed']);
      expect(await store.claimDueDeadlines(T + 60_000, 100, 15_000)).toEqual(['CA-crashed']);
    });

    it('releasing a leased entry that its handler set again (a watchdog re-armed) leaves the new one', async () => {
      const { store } = current();
      await store.setDeadline('CA-rearmed/step-check', T);
      expect(await store.claimDueDeadlines(T, 100, 15_000)).toEqual(['CA-rearmed/step-check']);
      await store.setDeadline('CA-rearmed/step-check', T + 30_000);
      await store.releaseDeadline('CA-rearmed/step-check', T + 15_000);
      await store.releaseDeadline('CA-never-added', T + 15_000);

      expect(await store.claimDueDeadlines(T + 29_999, 100, 15_000)).toEqual([]);
      expect(await store.claimDueDeadlines(T + 30_000, 100, 15_000)).toEqual(['CA-rearmed/step-check']);
    });

    it('deadlineOf tells when an entry is due, leased or not, and nothing once it is gone', async () => {
      const { store } = current();
      await store.setDeadline('CA-round/next-round', T);
      expect(await store.deadlineOf('CA-round/next-round')).toBe(T);
      await store.claimDueDeadlines(T, 100, 15_000);
      expect(await store.deadlineOf('CA-round/next-round')).toBe(T + 15_000);
      await store.releaseDeadline('CA-round/next-round', T + 15_000);
      expect(await store.deadlineOf('CA-round/next-round')).toBeUndefined();
    });

    it('two sweepers claiming at the same moment never both get the same call, and together they get every call', async () => {
      const { store, factory } = current();
      const twin = await factory.twin(store);
      const calls = Array.from({ length: 300 }, (_, i) => `CA${String(i).padStart(4, '0')}`);
      await Promise.all(calls.map((callSid, i) => store.addDeadline(callSid, T + (i % 7))));

      const claimedBy: string[][] = [[], []];
      for (let round = 0; round < 10; round += 1) {
        const [first, second] = await Promise.all([store.claimDueDeadlines(T + 10, 25), twin.claimDueDeadlines(T + 10, 25)]);
        claimedBy[0]!.push(...first);
        claimedBy[1]!.push(...second);
      }

      const all = [...claimedBy[0]!, ...claimedBy[1]!];
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual([...calls].sort());
      expect(claimedBy[0]!.length).toBeGreaterThan(0);
      expect(claimedBy[1]!.length).toBeGreaterThan(0);
    });
  });
}
