import net from 'node:net';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/log';
import { createTwilioGateway } from '../../src/twilio/client';
import { RestError, type PlaceCallRequest, type TwilioGateway } from '../../src/twilio/gateway';
import type { EmulatedCall } from '../../src/simulator/views';
import { ACCOUNT_SID, AUTH_TOKEN, BUSINESS, CALLER, rig, twiml, type Rig } from '../simulator/support/twiml-app';

const OFFICE = '+15551230001';

function gatewayFor(apiBaseUrl: string): TwilioGateway {
  const config = loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE_URL: apiBaseUrl, LOG_LEVEL: 'silent' });
  const gateway = createTwilioGateway(config, silentLogger);
  if (!gateway) throw new Error('no gateway despite credentials');
  return gateway;
}

describe('Twilio REST gateway against the emulator', () => {
  let r: Rig;
  let gateway: TwilioGateway;

  const leg = (overrides: Partial<PlaceCallRequest> = {}): PlaceCallRequest => ({
    to: OFFICE, from: BUSINESS, url: r.app.url('/whisper'), timeout: 40, statusCallback: r.app.url('/leg-status'), ...overrides,
  });

  beforeEach(async () => {
    r = await rig();
    gateway = gatewayFor(r.em.apiBaseUrl);
    r.app.on('/whisper', () => twiml((vr) => vr.hangup()));
    r.app.on('/leg-status', () => twiml(() => undefined));
  });
  afterEach(() => r.close());

  it('a leg is created with the parameters Twilio documents for an outbound call with a whisper and status events', async () => {
    await gateway.placeCall(leg({ machineDetection: true }));

    const creates = r.em.restRequests.filter((request) => request.method === 'POST' && request.path.endsWith('/Calls.json'));
    expect(creates).toHaveLength(1);
    expect(creates[0]!.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`);
    expect(creates[0]!.params).toEqual({
      To: OFFICE, From: BUSINESS, Url: r.app.url('/whisper'), Method: 'POST', Timeout: '40',
      StatusCallback: r.app.url('/leg-status'), StatusCallbackMethod: 'POST',
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'], MachineDetection: 'Enable',
    });
  });

  it('a leg rings the destination from the business number for the step\'s ring time, and every status reaches the app', async () => {
    r.em.callee(OFFICE, { kind: 'no-answer' });

    const { sid } = await gateway.placeCall(leg());
    await r.em.run();

    const [placed] = r.em.legs();
    expect(placed).toMatchObject({ sid, from: BUSINESS, target: OFFICE, direction: 'outbound-api', status: 'no-answer' });
    expect((placed!.endedAt! - placed!.startedAt) / 1000).toBe(40);
    const statuses = r.app.at('/leg-status');
    expect(statuses.every((request) => request.method === 'POST' && request.params.CallSid === sid)).toBe(true);
    expect(statuses.map((request) => request.params.CallStatus)).toEqual(expect.arrayContaining(['ringing', 'no-answer']));
  });

  it('an answered leg hears the whisper; with machine detection the whisper request says a person answered', async () => {
    r.em.callee(OFFICE, { kind: 'answer', after: 5 });

    await gateway.placeCall(leg({ machineDetection: true }));
    await r.em.run();

    const [whisper] = r.app.at('/whisper');
    expect(whisper).toMatchObject({ method: 'POST', params: expect.objectContaining({ AnsweredBy: 'human' }) });
    expect(r.app.at('/leg-status').map((request) => request.params.CallStatus)).toContain('in-progress');
  });

  it('without machine detection the whisper request carries no AnsweredBy', async () => {
    r.em.callee(OFFICE, { kind: 'answer', after: 5 });

    await gateway.placeCall(leg());
    await r.em.run();

    expect(r.app.at('/whisper')[0]?.params.AnsweredBy).toBeUndefined();
  });

  it('a ringing leg is canceled when another one wins', async () => {
    r.em.callee(OFFICE, { kind: 'no-answer' });
    const { sid } = await gateway.placeCall(leg());
    await r.em.run({ maxSeconds: 5 });

    // Twilio answers with the call as the change left it
    expect(await gateway.endCall(sid, 'canceled')).toBe('canceled');
    await r.em.run();

    expect(r.em.call(sid)?.status).toBe('canceled');
  });

  it('a leg answered since the app last heard of it is hung up all the same: Twilio\'s canceled would leave it on the line', async () => {
    r.em.callee(OFFICE, { kind: 'answer', after: 5 });
    r.app.on('/whisper', () => twiml((vr) => vr.pause({ length: 60 })));
    const { sid } = await gateway.placeCall(leg());
    await r.em.run({ maxSeconds: 10 });
    expect(r.em.call(sid)?.status).toBe('in-progress');

    expect(await gateway.endCall(sid, 'canceled')).toBe('completed');
    await r.em.run({ maxSeconds: 1 });

    expect(r.em.call(sid)?.status).toBe('completed');
    expect((r.em.call(sid)!.endedAt! - r.em.call(sid)!.startedAt) / 1000).toBeLessThanOrEqual(11);
  });

  it('ending or redirecting a call that already ended resolves false instead of failing', async () => {
    r.em.callee(OFFICE, { kind: 'busy' });
    const { sid } = await gateway.placeCall(leg());
    await r.em.run();

    expect(await gateway.endCall(sid, 'canceled')).toBe(false);
    expect(await gateway.endCall(sid, 'completed')).toBe(false);
    expect(await gateway.redirectCall(sid, r.app.url('/voicemail'))).toBe(false);
    expect(await gateway.endCall('CA00000000000000000000000000000000', 'completed')).toBe(false);
  });

  it('deleting a queue that no longer exists resolves false', async () => {
    expect(await gateway.deleteQueue('QU00000000000000000000000000000000')).toBe(false);
  });

  it('a recording Twilio does not have (404: deleted, or never made) is looked up as undefined, not a failure to retry', async () => {
    expect(await gateway.recording('RE00000000000000000000000000000000')).toBeUndefined();
  });

  /** A caller holding in queue `name` (10 s pauses); a /voicemail that says so. */
  async function callerOnHold(name: string): Promise<{ caller: EmulatedCall; queueSid: string }> {
    r.app.on('/incoming', () => twiml((vr) => vr.enqueue({ waitUrl: r.app.url('/hold'), action: r.app.url('/queue-exit') }, name)));
    r.app.on('/hold', () => twiml((vr) => vr.pause({ length: 10 })));
    r.app.on('/queue-exit', () => twiml(() => undefined));
    r.app.on('/voicemail', () => twiml((vr) => vr.say('Leave a message.')));
    const caller = await r.em.placeCall({ from: CALLER, to: BUSINESS });
    await r.em.run({ maxSeconds: 15 });
    return { caller, queueSid: r.app.at('/hold')[0]!.params.QueueSid! };
  }

  it('a caller on hold is redirected, and their emptied queue deleted', async () => {
    const { caller, queueSid } = await callerOnHold('hold-1');

    expect(await gateway.redirectCall(caller.sid, r.app.url('/voicemail'))).toBe(true);
    await r.em.run();

    expect(r.app.at('/voicemail')).toHaveLength(1);
    expect(await gateway.deleteQueue(queueSid)).toBe(true);
    expect(await gateway.deleteQueue(queueSid)).toBe(false);
  });

  it('a caller on hold is taken out of their queue to new TwiML; once they have left it, taking them out again resolves false', async () => {
    const { caller, queueSid } = await callerOnHold('hold-2');

    expect(await gateway.dequeueCaller(queueSid, caller.sid, r.app.url('/voicemail'))).toBe(true);
    await r.em.run();

    expect(r.app.at('/voicemail')).toHaveLength(1);
    expect(r.app.at('/queue-exit')[0]?.params.QueueResult).toBe('redirected');
    expect(await gateway.dequeueCaller(queueSid, caller.sid, r.app.url('/voicemail'))).toBe(false);
    expect(r.app.at('/voicemail')).toHaveLength(1);
  });

  it('when Twilio rate-limits twice (HTTP 429), the leg is still placed, once', async () => {
    r.em.injectRestFault({ method: 'POST', pathMatch: '/Calls.json', status: 429, times: 2 });

    const { sid } = await gateway.placeCall(leg());

    expect(r.em.legs().map((placed) => placed.sid)).toEqual([sid]);
    expect(r.em.restRequests.map((request) => request.status)).toEqual([429, 429, 201]);
  });

  it('when Twilio fails (HTTP 5xx), placing a leg rejects with a RestError naming the status and code', async () => {
    r.em.injectRestFault({ method: 'POST', pathMatch: '/Calls.json', status: 503 });

    const failure = await gateway.placeCall(leg()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RestError);
    expect(failure).toMatchObject({ status: 503, code: 20503 });
    expect(r.em.legs()).toEqual([]);
  });

  it('a server error while ending a call is not mistaken for a call already gone', async () => {
    r.em.callee(OFFICE, { kind: 'no-answer' });
    const { sid } = await gateway.placeCall(leg());
    r.em.injectRestFault({ method: 'POST', pathMatch: `/Calls/${sid}.json`, status: 500 });

    await expect(gateway.endCall(sid, 'canceled')).rejects.toMatchObject({ name: 'RestError', status: 500, code: 20500 });
  });
});

describe('Twilio REST gateway without Twilio', () => {
  it('is absent without an account SID or auth token', () => {
    expect(createTwilioGateway(loadConfig({ TWILIO_AUTH_TOKEN: AUTH_TOKEN }), silentLogger)).toBeUndefined();
    expect(createTwilioGateway(loadConfig({ TWILIO_ACCOUNT_SID: ACCOUNT_SID }), silentLogger)).toBeUndefined();
  });

  it('an API nobody answers makes placing a leg reject with a RestError (status 0), not hang or crash', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const gateway = gatewayFor(`http://127.0.0.1:${port}`);

    await expect(gateway.placeCall({ to: OFFICE, from: BUSINESS, url: 'http://127.0.0.1:9/w', timeout: 30, statusCallback: 'http://127.0.0.1:9/s' }))
      .rejects.toMatchObject({ name: 'RestError', status: 0 });
  });
});
