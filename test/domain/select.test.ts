import { selectRule } from '../../src/domain/select';
import type { Rule, Schedule } from '../../src/domain/types';

const TUESDAY_10_NY = Date.parse('2025-01-14T15:00:00Z');
const SATURDAY_10_NY = Date.parse('2025-01-18T15:00:00Z');
const officeHours: Schedule = {
  timezone: 'America/New_York',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
};

function rule(id: string, overrides: Partial<Rule> = {}): Rule {
  return {
    id,
    userId: 'usr_john',
    name: id,
    enabled: true,
    priority: 0,
    mode: 'followMe',
    steps: [{ destinations: [{ type: 'number', to: '+15551230001' }], ringSeconds: 30 }],
    confirm: false,
    callerId: 'caller',
    maxHoldMinutes: 10,
    voicemail: { maxLengthSeconds: 120, transcribe: false },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const pick = (rules: Rule[], at = TUESDAY_10_NY): string | undefined => selectRule(rules, at)?.id;

describe('choosing the rule that handles a call', () => {
  it('a rule ringing one of its owner\'s own business numbers (saved in a race with the number) is passed over: it would call itself', () => {
    const loop = rule('loop', { priority: -1, steps: [
      { destinations: [{ type: 'number', to: '+15551230001' }], ringSeconds: 30 },
      { destinations: [{ type: 'client', to: 'john' }, { type: 'number', to: '+15550001000' }], ringSeconds: 30 },
    ] });
    const office = rule('office');
    expect(selectRule([loop, office], TUESDAY_10_NY, ['+15550001000'])?.id).toBe('office');
    expect(selectRule([loop], TUESDAY_10_NY, ['+15550001000'])).toBeNull();
    expect(selectRule([loop, office], TUESDAY_10_NY, ['+15550009999'])?.id).toBe('loop');
  });

  it('the lowest priority wins, whatever the order of the list', () => {
    expect(pick([rule('later', { priority: 5 }), rule('first', { priority: -2 }), rule('mid', { priority: 0 })])).toBe('first');
  });

  it('between equal priorities the oldest rule wins', () => {
    const newer = rule('newer', { createdAt: '2025-01-05T00:00:00.000Z' });
    const older = rule('older', { createdAt: '2025-01-02T00:00:00.000Z' });
    expect(pick([newer, older])).toBe('older');
  });

  it('a disabled rule is skipped even with the best priority', () => {
    expect(pick([rule('off', { enabled: false, priority: -10 }), rule('on', { priority: 3 })])).toBe('on');
  });

  it('a rule outside its schedule falls through to the next one', () => {
    const rules = [rule('office', { priority: 0, schedule: officeHours }), rule('evenings', { priority: 1 })];
    expect(pick(rules, TUESDAY_10_NY)).toBe('office');
    expect(pick(rules, SATURDAY_10_NY)).toBe('evenings');
  });

  it('no rule when none is enabled and in schedule (the caller gets voicemail)', () => {
    const rules = [rule('office', { schedule: officeHours }), rule('off', { enabled: false })];
    expect(selectRule(rules, SATURDAY_10_NY)).toBeNull();
    expect(selectRule([], TUESDAY_10_NY)).toBeNull();
  });
});
