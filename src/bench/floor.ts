import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { twiml } from 'twilio';
import { BENCH_ACCOUNT_SID, BENCH_AUTH_TOKEN, BUSINESS_NUMBER, CALLER_NUMBER, INCOMING_PATH } from './fixtures';

/**
 * The Extend Ring floor (diagnostic): the bare Express app, answering static `<Enqueue>` TwiML, that also does the one
 * thing every Extend Ring implementation must do per call: ask Twilio to call the step's phones — `legs` calls.create
 * POSTs, form-encoded, over keep-alive node:http, the answer read and dropped. No signature, no store, no log, no
 * twilio client, no status tracking. Its throughput next to the bare app's is the best ratio any Extend Ring app can
 * reach on this machine, with Twilio's side (the emulator) sharing the cores as it does for ours.
 */
export interface Floor {
  server: http.Server;
  url: string;
  /** calls.create requests sent and not yet answered. */
  pending(): number;
}

export async function startExtendRingFloor(apiBaseUrl: string, legs: number): Promise<Floor> {
  const api = new URL(`/2010-04-01/Accounts/${BENCH_ACCOUNT_SID}/Calls.json`, apiBaseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const authorization = `Basic ${Buffer.from(`${BENCH_ACCOUNT_SID}:${BENCH_AUTH_TOKEN}`).toString('base64')}`;
  let pending = 0;
  const placeLeg = (url: string, index: number): void => {
    const body = new URLSearchParams({
      To: `+1555123000${index + 1}`, From: BUSINESS_NUMBER, Url: `${url}/voice/extend-ring/whisper`, Method: 'POST', Timeout: '40',
      StatusCallback: `${url}/voice/extend-ring/leg-status`, StatusCallbackMethod: 'POST',
    }).toString();
    pending += 1;
    const request = http.request(api, {
      method: 'POST', agent,
      headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => void (pending -= 1));
    });
    request.on('error', () => void (pending -= 1));
    request.end(body);
  };
  const vr = new twiml.VoiceResponse();
  vr.enqueue({ waitUrl: '/voice/extend-ring/hold', action: '/voice/extend-ring/queue-exit' }, `hunt-${CALLER_NUMBER}`);
  const xml = vr.toString();
  const server = http.createServer();
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('request', bareTwimlApp(xml, () => {
    for (let index = 0; index < legs; index++) placeLeg(url, index);
  }));
  return { server, url, pending: () => pending };
}

/**
 * The bench's bare app, the minimal Express Twilio webhook: express.urlencoded() and a fixed TwiML answer to
 * /voice/incoming (no signature, no store, no log); `afterAnswer` runs once each answer is sent.
 */
export function bareTwimlApp(xml: string, afterAnswer?: () => void): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.post(INCOMING_PATH, (_req, res) => {
    res.type('text/xml').send(xml);
    afterAnswer?.();
  });
  return app;
}
