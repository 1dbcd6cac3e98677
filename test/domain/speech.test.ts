import { spokenCaller } from '../../src/domain/speech';

describe('how a whisper names the caller', () => {
  it('a North American number is read digit by digit, in groups, without the country code', () => {
    expect(spokenCaller('+15557654321')).toBe('5 5 5, 7 6 5, 4 3 2 1');
  });

  it('other numbers are read digit by digit, country code included', () => {
    expect(spokenCaller('+442071234567')).toBe('4 4 2 0 7 1 2 3 4 5 6 7');
  });

  it('a withheld number is an unknown caller', () => {
    expect(spokenCaller('anonymous')).toBe('an unknown caller');
    expect(spokenCaller('+266696687')).toBe('an unknown caller');
    expect(spokenCaller('')).toBe('an unknown caller');
  });

  it('an app (Client) or SIP caller is named by identity', () => {
    expect(spokenCaller('client:alice')).toBe('alice');
    expect(spokenCaller('sip:bob@pbx.example.com')).toBe('bob');
  });

  it('a SIP user that is a phone number is read as one', () => {
    expect(spokenCaller('sip:+15557654321@pbx.example.com')).toBe('5 5 5, 7 6 5, 4 3 2 1');
  });

  it('of an identity the caller chose, only letters, digits, dots, dashes and underscores are spoken, at most 30 of them', () => {
    expect(spokenCaller('client:<Press 2 now!>')).toBe('Press2now');
    expect(spokenCaller('client:José')).toBe('José');
    expect(spokenCaller('client:Jose\u0301')).toBe('Jose\u0301');
    expect(spokenCaller('client:प्रिया')).toBe('प्रिया');
    expect(spokenCaller(`client:${'é'.normalize('NFD').repeat(40)}`)).toBe('é'.normalize('NFD').repeat(30));
    expect(spokenCaller('client:\u0001\u0002')).toBe('an unknown caller');
    expect(spokenCaller(`sip:${'a'.repeat(50)}@pbx.example.com`)).toBe('a'.repeat(30));
  });
});
