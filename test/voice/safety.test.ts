import net from 'node:net';
import request from 'supertest';
import twilio from 'twilio';
import { createLogger } from '../../src/log';
import { MemoryStore } from '../../src/store/memory';
import { StoreUnavailableError, type Store } from '../../src/store/store';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/app';
import { attr, el, find, parseTwiml, signedPost } from '../support/twilio';
import {
  CALLER, dialActionParams, dialOf, incomingParams, JOHNS_NUMBER, johnsRule, seedJohn, startVoiceApp, VoicePath, type VoiceTestApp,
} from './helpers';

const APOLOGY = el('Response', {}, el('Say', {}, 'Sorry, we cannot take your call right now. Please try again later. Goodbye.'), el('Hangup'));

/** A real store whose chosen methods (or all of them) fail the way an unreachable Redis does. */
class OutageStore {
  private failing = new Set<string>();
  private all = false;
  readonly store: Store;

  constructor(inner: Store) {
    this.store = new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const name = String(prop);
        if (name !== 'close' && (this.all || this.failing.has(name))) {
          return () => Promise.reject(new StoreUnavailableError(`store unreachable (${name})`));
        }
        return value.bind(target);
      },
    });
  }

  down(...methods: Array<keyof Store>): void {
    if (methods.length === 0) this.all = true;
    for (const m of methods) this.failing.add(m);
  }
}

describe('webhooks not signed by Twilio', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp();
    await seedJohn(t.store, johnsRule());
  });
  afterEach(() => t.close());

  async function expectRefused(res: { status: number; headers: Record<string, string>; text: string }): Promise<void> {
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).not.toContain('<Response');
    expect(await t.store.getHunt('CA00000000000000000000000000000001')).toBeNull();
    expect(await t.store.getCall('CA00000000000000000000000000000001')).toBeNull();
  }

  it('a request without a signature is refused and changes nothing', async () => {
    await expectRefused(await signedPost(t.app, VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'), { token: null }));
  });

  it('a request signed with another token is refused and changes nothing', async () => {
    await expectRefused(await signedPost(t.app, VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'), { token: 'forger-token-123456' }));
  });

  it('a signed request whose parameters were altered is refused', async () => {
    const params = incomingParams('CA00000000000000000000000000000001');
    const res = await signedPost(t.app, VoicePath.Incoming, params).send({ From: '+15550000000' });
    await expectRefused(res);
  });

  it('a GET (a number set to HTTP GET) is signed over its URL with the query: forged or altered, it is refused and changes nothing', async () => {
    const path = `${VoicePath.Incoming}?${new URLSearchParams(incomingParams('CA00000000000000000000000000000001')).toString()}`;
    const signature = twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, t.app.baseUrl + path, {});
    await expectRefused(await request(t.app.baseUrl).get(path));
    await expectRefused(await request(t.app.baseUrl).get(path.replace('CallSid=CA00000000000000000000000000000001', 'CallSid=CA00000000000000000000000000000001&From=%2B15550000000'))
      .set('X-Twilio-Signature', signature));
    await expectRefused(await request(t.app.baseUrl).get(path).set('X-Twilio-Signature', twilio.getExpectedTwilioSignature('forger-token-123456', t.app.baseUrl + path, {})));
  });

  it('a request whose target is an absolute URL (not a path) is refused, not answered with TwiML', async () => {
    const body = new URLSearchParams(incomingParams('CA00000000000000000000000000000001')).toString();
    const { hostname: host, port } = new URL(t.app.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), host, () => {
        socket.end(`POST http://evil.example${VoicePath.Incoming} HTTP/1.1\r\nHost: ${host}:${port}\r\nX-Twilio-Signature: forged\r\n`
          + `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      });
      let answer = '';
      socket.on('data', (chunk) => { answer += chunk.toString(); });
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
    expect(raw.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
    expect(raw).not.toContain('<Response>');
    expect(await t.store.getHunt('CA00000000000000000000000000000001')).toBeNull();
  });

  it('a signature made for another URL is refused (the query is covered too)', async () => {
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    const params = dialActionParams('CA00000000000000000000000000000001', 'no-answer');
    const res = await signedPost(t.app, action.replace('step=0', 'step=2'), params, { token: null })
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, action, params));
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('<Response');
  });

  it('a call signed over the URL without its port (as some Twilio edges sign it) is still answered', async () => {
    const params = incomingParams('CA00000000000000000000000000000001');
    const withoutPort = `${t.app.baseUrl.replace(/:\d+$/, '')}${VoicePath.Incoming}`;
    const res = await signedPost(t.app, VoicePath.Incoming, params, { token: null })
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, withoutPort, params));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Dial');
  });

  it('a form encoded as Twilio encodes it (+ for spaces, UTF-8, a repeated name) is read and its signature holds', async () => {
    const params = { ...incomingParams('CA00000000000000000000000000000001'), CallerName: 'José Müller & Co', Tags: ['a b', 'c'] };
    const body = `CallSid=CA00000000000000000000000000000001&AccountSid=${TEST_ACCOUNT_SID}&From=%2B15557654321&To=${encodeURIComponent(JOHNS_NUMBER)}`
      + '&CallStatus=ringing&Direction=inbound&ApiVersion=2010-04-01&CallerName=Jos%C3%A9+M%C3%BCller+%26+Co&Tags=a+b&Tags=c';
    const url = `${t.app.baseUrl}${VoicePath.Incoming}`;
    const res = await request(t.app.baseUrl).post(VoicePath.Incoming).type('form').send(body)
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, params));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Dial');
    expect((await t.store.getCall('CA00000000000000000000000000000001'))?.from).toBe(CALLER);
  });

  it('a body that is not a form is refused like an unsigned one', async () => {
    const res = await request(t.app.baseUrl).post(VoicePath.Incoming).type('json').send(incomingParams('CA00000000000000000000000000000001'))
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${t.app.baseUrl}${VoicePath.Incoming}`, incomingParams('CA00000000000000000000000000000001')));
    await expectRefused(res);
  });

  it('an oversized request is refused as a client error, never a server error', async () => {
    const res = await signedPost(t.app, VoicePath.Incoming, { ...incomingParams('CA00000000000000000000000000000001'), Junk: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
    expect(await t.store.getHunt('CA00000000000000000000000000000001')).toBeNull();
  });

  it('a form with more name=value pairs than any Twilio webhook is refused as a client error, and changes nothing', async () => {
    const junk = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`X${i}`, '1']));
    const res = await signedPost(t.app, VoicePath.Incoming, { ...incomingParams('CA00000000000000000000000000000001'), ...junk });
    expect(res.status).toBe(413);
    expect(await t.store.getHunt('CA00000000000000000000000000000001')).toBeNull();
  });

  it('a recording callback that is not signed stores no voicemail', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const res = await signedPost(t.app, `${VoicePath.RecordingStatus}?call=CA00000000000000000000000000000001`, {
      CallSid: 'CA00000000000000000000000000000001', RecordingSid: 'RE00000000000000000000000000000001', RecordingStatus: 'completed', RecordingUrl: 'https://x/RE00000000000000000000000000000001', RecordingDuration: '5',
    }, { token: null });
    expect(res.status).toBe(403);
    expect(await t.store.listVoicemails()).toEqual([]);
  });

  /**
   * Twilio signs names and values run together without a separator, so a captured request re-sent with `name`'s value
   * followed by the next parameter (in signing order) carries the same valid signature.
   */
  function mergedWithNext(params: Record<string, string>, name: string): Record<string, string> {
    const names = Object.keys(params).sort();
    const next = names[names.indexOf(name) + 1]!;
    const { [next]: swallowed, ...rest } = params;
    return { ...rest, [name]: `${params[name]}${next}${swallowed}` };
  }

  it('a captured incoming call re-sent with its CallSid run into the next parameter (same signature) rings nobody', async () => {
    const url = `${t.app.baseUrl}${VoicePath.Incoming}`;
    const original = incomingParams('CA00000000000000000000000000000001');
    const forged = mergedWithNext(original, 'CallSid');
    expect(twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, forged)).toBe(twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, original));
    expect(find(await t.post(VoicePath.Incoming, original), 'Number').text).toBe('+15551230001');

    const res = await request(t.app.baseUrl).post(VoicePath.Incoming).type('form').send(forged)
      .set('X-Twilio-Signature', twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, original));
    expect(res.status).toBe(200);
    expect(parseTwiml(res.text)).toEqual(APOLOGY);
    expect(await t.store.getHunt(forged.CallSid!)).toBeNull();
    expect((await t.store.listCalls()).map((c) => c.callSid)).toEqual(['CA00000000000000000000000000000001']);
  });

  it('a captured recording callback re-sent with its RecordingSid run into the next parameter stores no second voicemail', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const path = `${VoicePath.RecordingStatus}?call=CA00000000000000000000000000000001`;
    const original = {
      AccountSid: TEST_ACCOUNT_SID, CallSid: 'CA00000000000000000000000000000001', RecordingSid: 'RE00000000000000000000000000000001',
      RecordingSource: 'RecordVerb', RecordingStatus: 'completed', RecordingDuration: '5',
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Recordings/RE00000000000000000000000000000001`,
    };
    const signature = twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${t.app.baseUrl}${path}`, original);
    expect((await signedPost(t.app, path, original)).status).toBe(200);
    const forged = mergedWithNext(original, 'RecordingSid');
    const res = await request(t.app.baseUrl).post(path).type('form').send(forged).set('X-Twilio-Signature', signature);
    expect(res.status).toBe(200);
    expect(parseTwiml(res.text)).toEqual(el('Response'));
    expect((await t.store.listVoicemails()).map((v) => v.id)).toEqual(['RE00000000000000000000000000000001']);
  });
});

describe('signature settings', () => {
  it('without a configured auth token every webhook is refused', async () => {
    const t = await startVoiceApp({ env: { TWILIO_AUTH_TOKEN: '' } });
    try {
      expect(t.app.config.twilioAuthToken).toBeUndefined();
      expect((await signedPost(t.app, VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('an auth token pasted with a space and a line break around it still checks Twilio\'s signatures (no 403 for every webhook)', async () => {
    const t = await startVoiceApp({ env: { TWILIO_AUTH_TOKEN: ` ${TEST_AUTH_TOKEN}\n` } });
    try {
      const res = await signedPost(t.app, VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
      expect(res.status).toBe(200);
      expect(parseTwiml(res.text).name).toBe('Response');
      expect((await signedPost(t.app, VoicePath.Incoming, incomingParams('CA00000000000000000000000000000002'), { token: 'forged-token-0123456789' })).status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('with TWILIO_VALIDATE_SIGNATURES=false an unsigned webhook is answered (local experiments only)', async () => {
    const t = await startVoiceApp({ env: { TWILIO_VALIDATE_SIGNATURES: 'false' } });
    try {
      const res = await signedPost(t.app, VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'), { token: null });
      expect(res.status).toBe(200);
      expect(parseTwiml(res.text).name).toBe('Response');
    } finally {
      await t.close();
    }
  });
});

describe('webhooks with missing parameters still answer valid TwiML', () => {
  let t: VoiceTestApp;
  beforeEach(async () => {
    t = await startVoiceApp();
    await seedJohn(t.store, johnsRule());
  });
  afterEach(() => t.close());

  it('an incoming call without To hears an apology', async () => {
    const { To: _omitted, ...params } = incomingParams('CA00000000000000000000000000000001');
    expect(await t.post(VoicePath.Incoming, params)).toEqual(APOLOGY);
  });

  it('a dial action without DialCallStatus or without its step sends the known caller to voicemail', async () => {
    await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'));
    const { DialCallStatus: _omitted, ...noStatus } = dialActionParams('CA00000000000000000000000000000001', 'no-answer');
    const a = await t.post(`${VoicePath.FollowMeDialAction}?step=0`, noStatus);
    const b = await t.post(VoicePath.FollowMeDialAction, dialActionParams('CA00000000000000000000000000000001', 'no-answer'));
    for (const twiml of [a, b]) expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });

  it('a dial action for a call the app has no hunt for lets the caller leave John a message; on a number nobody owns, an apology', async () => {
    const johns = await t.post(`${VoicePath.FollowMeDialAction}?step=1`, dialActionParams('CA00000000000000000000000000000404', 'no-answer'));
    expect(johns.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
    expect(await t.post(`${VoicePath.FollowMeDialAction}?step=1`, { ...dialActionParams('CA00000000000000000000000000000405', 'no-answer'), To: '+15550009999' })).toEqual(APOLOGY);
  });

  it('a dial action for a call whose hunt is gone, after the caller was put through or hung up, hangs up: no voicemail, no call log entry', async () => {
    const action = `${VoicePath.FollowMeDialAction}?step=0`;
    const talked = await t.post(action, dialActionParams('CA00000000000000000000000000000406', 'completed', { DialBridged: 'true', DialCallDuration: '600' }));
    expect(talked).toEqual(el('Response', {}, el('Hangup')));
    const gone = await t.post(action, dialActionParams('CA00000000000000000000000000000407', 'no-answer', { CallStatus: 'completed' }));
    expect(gone).toEqual(el('Response', {}, el('Hangup')));
    expect(await t.store.getCall('CA00000000000000000000000000000406')).toBeNull();
    expect(await t.store.getCall('CA00000000000000000000000000000407')).toBeNull();
    expect(await t.store.getHunt('CA00000000000000000000000000000407')).toBeNull();
  });

  it('callbacks without their parameters are acknowledged with an empty Response', async () => {
    expect(await t.post(VoicePath.Status, { CallSid: 'CA00000000000000000000000000000001' })).toEqual(el('Response'));
    expect(await t.post(`${VoicePath.RecordingStatus}?call=CA00000000000000000000000000000001`, { CallSid: 'CA00000000000000000000000000000001' })).toEqual(el('Response'));
    expect(await t.post(VoicePath.Transcription, {})).toEqual(el('Response'));
  });
});

describe('when the store fails, callers still get sensible TwiML and never a server error', () => {
  let t: VoiceTestApp;
  let outage: OutageStore;
  beforeEach(async () => {
    outage = new OutageStore(new MemoryStore());
    t = await startVoiceApp({ store: outage.store });
  });
  afterEach(() => t.close());

  it('store unreachable from the start: an incoming call hears an apology', async () => {
    outage.down();
    expect(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001'))).toEqual(APOLOGY);
  });

  it('store unreachable mid-call: the next dial action gets an apology rather than an error', async () => {
    await seedJohn(t.store, johnsRule());
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    outage.down();
    expect(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer'))).toEqual(APOLOGY);
  });

  it('a call log that cannot be written does not disturb the call', async () => {
    await seedJohn(t.store, johnsRule());
    outage.down('createCall', 'appendCallEvent', 'finishCall', 'getCall');
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    expect(find(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), 'Number').text).toBe('+15551230002');
    expect(await t.post(VoicePath.Status, { ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'completed' })).toEqual(el('Response'));
  });

  it('with confirm on too, a call log that cannot be read or written does not disturb the call', async () => {
    await seedJohn(t.store, johnsRule({ confirm: true }));
    outage.down('createCall', 'appendCallEvent', 'finishCall', 'getCall');
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    expect(find(await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer')), 'Number').text).toBe('+15551230002');
  });

  it('a failure once the call is known sends the caller to voicemail', async () => {
    await seedJohn(t.store, johnsRule({ confirm: true }));
    const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
    outage.down('getCall');
    const twiml = await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'completed'));
    expect(twiml.children.map((c) => c.name)).toEqual(['Say', 'Record', 'Say', 'Hangup']);
  });

  it('a whispered phone can still accept the call when the store is unreachable', async () => {
    await seedJohn(t.store, johnsRule({ confirm: true }));
    const url = attr(find(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')), 'Number'), 'url');
    outage.down();
    const whisper = await t.post(url, { CallSid: 'CAee000000000000000000000000000001', ParentCallSid: 'CA00000000000000000000000000000001', CallStatus: 'in-progress' });
    const gather = find(whisper, 'Gather');
    expect(find(gather, 'Say').text).toBe('Incoming call. Press 1 to accept.');
    expect(whisper.children.map((c) => c.name)).toEqual(['Gather', 'Hangup']);
    expect(await t.post(attr(gather, 'action'), { CallSid: 'CAee000000000000000000000000000001', Digits: '1' })).toEqual(el('Response'));
  });

  it('status and recording callbacks are acknowledged while the store is unreachable', async () => {
    outage.down();
    expect(await t.post(VoicePath.Status, { ...incomingParams('CA00000000000000000000000000000001'), CallStatus: 'completed' })).toEqual(el('Response'));
    expect(await t.post(`${VoicePath.RecordingStatus}?call=CA00000000000000000000000000000001`, {
      CallSid: 'CA00000000000000000000000000000001', RecordingSid: 'RE00000000000000000000000000000001', RecordingStatus: 'completed', RecordingUrl: 'https://x/RE00000000000000000000000000000001', RecordingDuration: '5',
    })).toEqual(el('Response'));
    expect(await t.post(VoicePath.Fallback, { ...incomingParams('CA00000000000000000000000000000001'), ErrorCode: '11200' })).toEqual(APOLOGY);
  });
});

describe('logs of a failing webhook', () => {
  it('a refused signature names the whole path and the URL it was checked against, so a wrong PUBLIC_BASE_URL shows', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const t = await startVoiceApp({ logger });
    try {
      await signedPost(t.app, `${VoicePath.Incoming}?x=1`, incomingParams('CA00000000000000000000000000000001'), { token: 'forger-token-123456' });
      const refused = lines.find((line) => line.msg === 'voice webhook refused: not signed by Twilio');
      expect(refused).toMatchObject({ path: VoicePath.Incoming, checkedAgainst: `${t.app.baseUrl}${VoicePath.Incoming}`, reason: 'bad signature', callSid: 'CA00000000000000000000000000000001' });
    } finally {
      await t.close();
    }
  });

  it('name the call: every line written while handling it carries its CallSid', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const outage = new OutageStore(new MemoryStore());
    const t = await startVoiceApp({ store: outage.store, logger });
    try {
      await seedJohn(t.store, johnsRule());
      const { action } = dialOf(await t.post(VoicePath.Incoming, incomingParams('CA00000000000000000000000000000001')));
      outage.down();
      lines.length = 0;
      await t.post(action, dialActionParams('CA00000000000000000000000000000001', 'no-answer'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((line) => line.callSid === 'CA00000000000000000000000000000001')).toBe(true);
      expect(lines.some((line) => line.level === 50 && (line.err as { type?: string })?.type === 'StoreUnavailableError')).toBe(true);
      // the path as Twilio requested it, as the request line has it
      expect(lines.find((line) => line.msg === 'voice webhook failed: answering safe TwiML')?.path).toBe(VoicePath.FollowMeDialAction);
    } finally {
      await t.close();
    }
  });
});
