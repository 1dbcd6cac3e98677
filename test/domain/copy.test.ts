import { copyJson } from '../../src/domain/copy';

describe('copying plain JSON data', () => {
  const original = {
    name: 'Weekday hunting', enabled: true, priority: 0, schedule: null,
    steps: [{ destinations: [{ type: 'number', to: '+15551230001', label: 'Office' }], ringSeconds: 40 }],
    voicemail: { greeting: 'Leave a message.', maxLengthSeconds: 120 },
  };

  it('gives an equal value that shares nothing with the original', () => {
    const copy = copyJson(original);
    expect(copy).toStrictEqual(original);
    copy.steps[0]!.destinations.push({ type: 'client', to: 'john', label: 'App' });
    copy.voicemail.greeting = 'changed';
    expect(original.steps[0]!.destinations).toHaveLength(1);
    expect(original.voicemail.greeting).toBe('Leave a message.');
  });

  it('leaves out unset fields, like a JSON round trip', () => {
    const value = { a: 1, b: undefined, nested: { c: undefined, d: [1, 'x', false, null] } };
    expect(copyJson(value)).toStrictEqual(JSON.parse(JSON.stringify(value)));
    expect(Object.keys(copyJson(value))).toEqual(['a', 'nested']);
  });

  it('passes scalars through', () => {
    expect(copyJson('text')).toBe('text');
    expect(copyJson(42)).toBe(42);
    expect(copyJson(null)).toBeNull();
  });
});
