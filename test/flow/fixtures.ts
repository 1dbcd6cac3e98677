import type { StoreFactory } from '../support/stores';
import { BUSINESS_NUMBER, type FlowRig } from '../support/flow';

export const OFFICE = '+15551230001';
export const HOME = '+15551230002';
export const CELL = '+15551230003';
export const JOHNS_APP = 'client:john';

/** Tuesday 14 January 2025, 10:00 in New York (15:00 UTC). */
export const TUESDAY_10_NY = Date.parse('2025-01-14T15:00:00.000Z');
/** Saturday 18 January 2025, 10:00 in New York. */
export const SATURDAY_10_NY = Date.parse('2025-01-18T15:00:00.000Z');

/** John's rule from the product manual: office 40 s, home 30 s, cell (default ring time) with his app, then voicemail. */
export function johnsRule(userId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    userId,
    name: 'Weekday hunting',
    mode: 'followMe',
    steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 40 },
      { destinations: [{ type: 'number', to: HOME, label: 'Home' }], ringSeconds: 30 },
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'client', to: 'john' }] },
    ],
    voicemail: { greeting: "John can't take your call. Leave a message after the tone." },
    ...overrides,
  };
}

export interface John {
  id: string;
  token: string;
}

/** John, owner of the business number, created by the administrator through the API. */
export async function createJohn(rig: FlowRig): Promise<John> {
  const user = await rig.createUser({ name: 'John', numbers: [BUSINESS_NUMBER], canManageRules: true });
  return { id: user.id, token: user.token };
}

/** describe() once per store: `memory` and `redis` (when Redis answers). */
export function describeEachStore(name: string, fn: (factory: () => StoreFactory) => void, factories: StoreFactory[]): void {
  describe.each(factories.map((f) => [f.name, f] as const))(`${name} (%s store)`, (_n, factory) => {
    afterAll(() => factory.cleanup());
    fn(() => factory);
  });
}
