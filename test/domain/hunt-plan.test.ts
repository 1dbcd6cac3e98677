import { newHunt } from '../../src/domain/hunt-plan';
import type { Rule } from '../../src/domain/types';

const rule: Rule = {
  id: 'rul_1', userId: 'usr_john', name: 'Weekdays', enabled: true, priority: 0, mode: 'followMe',
  steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 }],
  confirm: true, callerId: 'called', maxHoldMinutes: 10,
  voicemail: { greeting: 'Leave a message.', maxLengthSeconds: 60, transcribe: true },
  createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z',
};
const owner = { id: 'usr_john', name: 'John' };

describe('the hunt snapshot', () => {
  it('freezes what the call needs from the rule', () => {
    const hunt = newHunt({ callSid: 'CA1', owner, from: '+15557654321', to: '+15550000001', rule, now: 1000 });
    expect(hunt).toEqual({
      callSid: 'CA1', userId: 'usr_john', userName: 'John', from: '+15557654321', to: '+15550000001',
      plan: {
        ruleId: 'rul_1', ruleName: 'Weekdays', mode: 'followMe', steps: rule.steps, confirm: true,
        callerId: 'called', maxHoldMinutes: 10, voicemail: rule.voicemail,
      },
      state: 'hunting', step: 0, cycle: 0, createdAt: 1000,
    });
  });

  it('is not changed by later edits of the rule object', () => {
    const edited = structuredClone(rule);
    const hunt = newHunt({ callSid: 'CA1', owner, from: '+1', to: '+2', rule: edited, now: 0 });
    edited.steps[0]!.ringSeconds = 5;
    edited.voicemail.greeting = 'changed';
    expect(hunt.plan?.steps[0]?.ringSeconds).toBe(40);
    expect(hunt.plan?.voicemail.greeting).toBe('Leave a message.');
  });

  it('has no plan when no rule matched (straight to voicemail)', () => {
    const hunt = newHunt({ callSid: 'CA1', owner, from: '+1', to: '+2', rule: null, now: 0 });
    expect(hunt.plan).toBeNull();
    expect(hunt.state).toBe('voicemail');
  });
});
