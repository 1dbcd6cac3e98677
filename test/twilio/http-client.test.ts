import { rewriteTwilioUri } from '../../src/twilio/http-client';

describe('where REST requests for Twilio go (TWILIO_API_BASE_URL)', () => {
  const emulator = new URL('http://127.0.0.1:4010');

  it('a request for api.twilio.com goes to the configured API, keeping its path and query', () => {
    expect(rewriteTwilioUri('https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?PageSize=50', emulator))
      .toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Calls.json?PageSize=50');
  });

  it('regional and edge Twilio hosts go there too', () => {
    expect(rewriteTwilioUri('https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1/Queues/QU1.json', emulator))
      .toBe('http://127.0.0.1:4010/2010-04-01/Accounts/AC1/Queues/QU1.json');
  });

  it('a base URL with a path puts the API under that path', () => {
    expect(rewriteTwilioUri('https://api.twilio.com/2010-04-01/Accounts/AC1/Calls/CA1.json', new URL('https://proxy.example.com/twilio/')))
      .toBe('https://proxy.example.com/twilio/2010-04-01/Accounts/AC1/Calls/CA1.json');
  });

  it('the default base URL leaves requests exactly where they were going', () => {
    const uri = 'https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json';
    expect(rewriteTwilioUri(uri, new URL('https://api.twilio.com'))).toBe(uri);
  });

  it('hosts that are not Twilio\'s are left alone', () => {
    expect(rewriteTwilioUri('https://nottwilio.com/x', emulator)).toBe('https://nottwilio.com/x');
    expect(rewriteTwilioUri('https://twilio.com.evil.example/x', emulator)).toBe('https://twilio.com.evil.example/x');
  });
});
