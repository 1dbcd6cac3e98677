import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseUrlRequestClient, rewriteTwilioUri } from '../../src/twilio/http-client';

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

describe('what the REST client sends', () => {
  it('a request for Twilio reaches TWILIO_API_BASE_URL under its path, with Host, credentials, form body and query', async () => {
    const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { body += chunk; });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"sid":"CA1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new BaseUrlRequestClient(`http://127.0.0.1:${port}/twilio/`, { timeout: 5000, maxRetries: 0 });
    try {
      const response = await client.request({
        method: 'post', uri: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json', username: 'AC1', password: 'secret',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        params: { PageSize: 20 }, data: { To: '+15551230001', StatusCallbackEvent: ['ringing', 'completed'], Skipped: undefined },
      });
      expect([response.statusCode, response.body]).toEqual([201, '{"sid":"CA1"}']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual([{
      method: 'POST',
      url: '/twilio/2010-04-01/Accounts/AC1/Calls.json?PageSize=20',
      headers: expect.objectContaining({
        host: `127.0.0.1:${port}`, authorization: `Basic ${Buffer.from('AC1:secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', connection: 'keep-alive', 'content-length': '75',
      }),
      body: 'To=%2B15551230001&StatusCallbackEvent=ringing&StatusCallbackEvent=completed',
    }]);
  });
});
