import { asAdmin, simpleRule, startApi, type Api, type ErrorResponse } from './helpers';

/** Every limit of the rule document (DESIGN §4): outside → 400 naming the field, at the edge → accepted. */

let api: Api;
let userId: string;

beforeAll(async () => {
  api = await startApi();
  userId = (await api.createUser({ name: 'John', numbers: ['+15550001000'] })).id;
});
afterAll(() => api.close());

const text = (n: number): string => 'x'.repeat(n);
const dest = (to: string, type = 'number'): Record<string, unknown> => ({ type, to });
const step = (destinations: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({ destinations, ...extra });
const oneStep = (destination: Record<string, unknown>): Record<string, unknown> => ({ steps: [step([destination])] });
const ringing = (ringSeconds: unknown): Record<string, unknown> => ({ steps: [step([dest('+15551230001')], { ringSeconds })] });
const window = (w: Record<string, unknown>): Record<string, unknown> => ({ days: ['mon'], from: '09:00', to: '17:00', ...w });
const schedule = (s: Record<string, unknown>): Record<string, unknown> => ({
  schedule: { timezone: 'America/New_York', windows: [window({})], ...s },
});
const steps = (n: number): Record<string, unknown> => ({ steps: Array.from({ length: n }, () => step([dest('+15551230001')])) });
const destinations = (n: number): Record<string, unknown> => ({
  steps: [step(Array.from({ length: n }, (_, i) => dest(`+1555123${String(i).padStart(4, '0')}`)))],
});

/** `steps.0.ringSeconds` → `steps[0].ringSeconds`, the way the message names the field. */
const label = (path: string): string => path.replace(/\.(\d+)/g, '[$1]');

type Case = [description: string, path: string, overrides: Record<string, unknown>];

const rejected: Case[] = [
  ['a rule without a name', 'name', { name: undefined }],
  ['an empty name', 'name', { name: '' }],
  ['a blank name', 'name', { name: '   ' }],
  ['a name of invisible characters only (zero-width space, word joiner, BOM)', 'name', { name: '\u200B\u2060\uFEFF' }],
  ['a label of a zero-width space', 'steps.0.destinations.0.label', { steps: [step([{ ...dest('+15551230001'), label: '\u200B' }])] }],
  ['a name of 101 characters', 'name', { name: text(101) }],
  ['an unknown mode', 'mode', { mode: 'roundRobin' }],
  ['no mode', 'mode', { mode: undefined }],
  ['no steps', 'steps', { steps: undefined }],
  ['an empty step list', 'steps', { steps: [] }],
  ['21 steps', 'steps', steps(21)],
  ['a step without destinations', 'steps.0.destinations', { steps: [step([])] }],
  ['a step with 11 destinations', 'steps.0.destinations', destinations(11)],
  ['a step ringing the same number twice', 'steps.0.destinations.1', { steps: [step([dest('+15551230001'), dest('+15551230001')])] }],
  // RFC 3261 §19.1.4: the scheme and the host of a SIP URI compare case-insensitively
  ['a step ringing the same SIP phone as sip: and SIP:', 'steps.0.destinations.1',
    { steps: [step([dest('sip:alice@example.com', 'sip'), dest('SIP:alice@example.com', 'sip')])] }],
  ['a step ringing the same SIP phone with its host in another case', 'steps.0.destinations.1',
    { steps: [step([dest('sip:alice@pbx.example.com', 'sip'), dest('Sip:alice@PBX.Example.COM', 'sip')])] }],
  ['a step ringing the owner\'s own business number (the call would come back to this rule)', 'steps.1.destinations.0.to',
    { steps: [step([dest('+15551230001')]), step([dest('+15550001000')])] }],
  ['ringing 4 seconds', 'steps.0.ringSeconds', ringing(4)],
  ['ringing 601 seconds', 'steps.0.ringSeconds', ringing(601)],
  ['ringing a fractional number of seconds', 'steps.0.ringSeconds', ringing(30.5)],
  ['ring seconds sent as a string', 'steps.0.ringSeconds', ringing('30')],
  ['an unknown destination type', 'steps.0.destinations.0.type', oneStep(dest('+15551230001', 'pstn'))],
  ['a destination without a target', 'steps.0.destinations.0.to', oneStep({ type: 'number' })],
  ['a number without +', 'steps.0.destinations.0.to', oneStep(dest('15551230001'))],
  ['a number with a leading 0', 'steps.0.destinations.0.to', oneStep(dest('+05551230001'))],
  ['a number of 6 digits', 'steps.0.destinations.0.to', oneStep(dest('+123456'))],
  ['a number of 16 digits', 'steps.0.destinations.0.to', oneStep(dest('+1234567890123456'))],
  ['a number with spaces', 'steps.0.destinations.0.to', oneStep(dest('+1 555 123 0001'))],
  ['a client identity with a space', 'steps.0.destinations.0.to', oneStep(dest('john doe', 'client'))],
  ['a client identity of 101 characters', 'steps.0.destinations.0.to', oneStep(dest(text(101), 'client'))],
  ['a SIP address without sip:', 'steps.0.destinations.0.to', oneStep(dest('john@example.com', 'sip'))],
  ['an http URL as SIP address', 'steps.0.destinations.0.to', oneStep(dest('http://example.com', 'sip'))],
  ['a bare sip: scheme', 'steps.0.destinations.0.to', oneStep(dest('sip:', 'sip'))],
  ['a label of 51 characters', 'steps.0.destinations.0.label', oneStep({ ...dest('+15551230001'), label: text(51) })],
  ['an unknown destination field', 'steps.0.destinations.0.weight', oneStep({ ...dest('+15551230001'), weight: 2 })],
  ['a time zone that does not exist', 'schedule.timezone', schedule({ timezone: 'Mars/Olympus_Mons' })],
  ['a UTC offset instead of a time zone', 'schedule.timezone', schedule({ timezone: '+01:00' })],
  ['a schedule without time zone', 'schedule.timezone', schedule({ timezone: undefined })],
  ['a schedule without windows', 'schedule.windows', schedule({ windows: [] })],
  ['a schedule with 21 windows', 'schedule.windows', schedule({ windows: Array.from({ length: 21 }, () => window({})) })],
  ['a window without days', 'schedule.windows.0.days', schedule({ windows: [window({ days: [] })] })],
  ['a window naming a day twice', 'schedule.windows.0.days.1', schedule({ windows: [window({ days: ['mon', 'mon'] })] })],
  ['a window on an unknown day', 'schedule.windows.0.days.0', schedule({ windows: [window({ days: ['funday'] })] })],
  ['a window from 24:00', 'schedule.windows.0.from', schedule({ windows: [window({ from: '24:00' })] })],
  ['a window from 9:00 (one hour digit)', 'schedule.windows.0.from', schedule({ windows: [window({ from: '9:00' })] })],
  ['a window to 23:60', 'schedule.windows.0.to', schedule({ windows: [window({ to: '23:60' })] })],
  ['a window without end', 'schedule.windows.0.to', schedule({ windows: [window({ to: undefined })] })],
  ['confirm as a string', 'confirm', { confirm: 'yes' }],
  ['an unknown caller id choice', 'callerId', { callerId: 'both' }],
  ['holding 0 minutes', 'maxHoldMinutes', { maxHoldMinutes: 0 }],
  ['holding 61 minutes', 'maxHoldMinutes', { maxHoldMinutes: 61 }],
  ['hold music over ftp', 'holdMusicUrl', { holdMusicUrl: 'ftp://example.com/hold.mp3' }],
  ['hold music that is not a URL', 'holdMusicUrl', { holdMusicUrl: 'hold music please' }],
  ['a hold announcement of 501 characters', 'holdAnnouncement', { holdAnnouncement: text(501) }],
  ['voicemail detection as a string', 'detectVoicemail', { detectVoicemail: 'no' }],
  ['a greeting of 1001 characters', 'voicemail.greeting', { voicemail: { greeting: text(1001) } }],
  ['a greeting with a control character (it cannot go into TwiML)', 'voicemail.greeting', { voicemail: { greeting: 'Leave a message\u0001' } }],
  ['a greeting with half of a surrogate pair', 'voicemail.greeting', { voicemail: { greeting: 'Leave a message \uD83D' } }],
  ['a hold announcement with U+FFFF', 'holdAnnouncement', { holdAnnouncement: 'Please hold\uFFFF' }],
  ['a name with a control character', 'name', { name: 'Office\u0007' }],
  ['a label with a control character', 'steps.0.destinations.0.label', oneStep({ ...dest('+15551230001'), label: 'Cell\u001B' })],
  ['a greeting at a plain http URL', 'voicemail.greeting', { voicemail: { greeting: 'http://example.com/greeting.mp3' } }],
  ['a voicemail of at most 4 seconds', 'voicemail.maxLengthSeconds', { voicemail: { maxLengthSeconds: 4 } }],
  ['a voicemail of at most 601 seconds', 'voicemail.maxLengthSeconds', { voicemail: { maxLengthSeconds: 601 } }],
  ['transcribe as a string', 'voicemail.transcribe', { voicemail: { transcribe: 'true' } }],
  ['an unknown voicemail setting', 'voicemail.language', { voicemail: { language: 'en' } }],
  ['a fractional priority', 'priority', { priority: 1.5 }],
  ['priority -1001', 'priority', { priority: -1001 }],
  ['priority 1001', 'priority', { priority: 1001 }],
  ['enabled as a string', 'enabled', { enabled: 'false' }],
  ['an unknown top-level field', 'color', { color: 'blue' }],
  ['a numeric userId', 'userId', { userId: 42 }],
];

const accepted: Array<[description: string, overrides: Record<string, unknown>]> = [
  ['a name of 1 character', { name: 'J' }],
  ['a name of 100 characters', { name: text(100) }],
  ['a name of 100 emoji (one character each, two UTF-16 units)', { name: '📞'.repeat(100) }],
  ['Extend Ring mode', { mode: 'extendRing' }],
  ['20 steps', steps(20)],
  ['10 destinations ringing at once', destinations(10)],
  ['ringing 5 seconds', ringing(5)],
  ['ringing 600 seconds', ringing(600)],
  ['a number of 7 digits', oneStep(dest('+1234567'))],
  ['a number of 15 digits', oneStep(dest('+123456789012345'))],
  ['a client identity with . _ -', oneStep(dest('john.doe_1-x', 'client'))],
  ['a client identity of 100 characters', oneStep(dest(text(100), 'client'))],
  ['a sip: URI', oneStep(dest('sip:john@example.com', 'sip'))],
  ['a sips: URI with parameters', oneStep(dest('sips:john@pbx.example.com:5061;transport=tls', 'sip'))],
  ['a label of 50 characters', oneStep({ ...dest('+15551230001'), label: text(50) })],
  ['a label of 50 letters outside the BMP', oneStep({ ...dest('+15551230001'), label: '𝐎'.repeat(50) })],
  ['a schedule in UTC', schedule({ timezone: 'UTC' })],
  ['a schedule with 20 windows', schedule({ windows: Array.from({ length: 20 }, () => window({})) })],
  ['a window 00:00 to 23:59 every day', schedule({ windows: [window({ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '23:59' })] })],
  ['a window crossing midnight', schedule({ windows: [window({ from: '22:00', to: '02:00' })] })],
  ['holding 1 minute', { maxHoldMinutes: 1 }],
  ['holding 60 minutes', { maxHoldMinutes: 60 }],
  ['hold music over http', { holdMusicUrl: 'http://example.com/hold.mp3' }],
  ['a hold announcement of 500 characters', { holdAnnouncement: text(500) }],
  ['a greeting of 1000 characters', { voicemail: { greeting: text(1000) } }],
  ['a greeting of 1000 emoji', { voicemail: { greeting: '📞'.repeat(1000) } }],
  ['a greeting at an https URL', { voicemail: { greeting: 'https://example.com/greeting.mp3' } }],
  ['a greeting over lines, with tabs, accents and an emoji', { voicemail: { greeting: 'Bonjour,\tJosé ici.\r\nLaissez un message 📞' } }],
  ['a voicemail of at most 5 seconds', { voicemail: { maxLengthSeconds: 5 } }],
  ['a voicemail of at most 600 seconds', { voicemail: { maxLengthSeconds: 600 } }],
  ['priority -1000', { priority: -1000 }],
  ['priority 1000', { priority: 1000 }],
];

describe('creating a rule with an invalid document', () => {
  test.each(rejected)('%s is refused with 400 naming %s', async (_description, path, overrides) => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, overrides));
    const body = res.body as ErrorResponse;
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d) => d.path)).toContain(path);
    expect(body.error.message).toContain(label(path));
  });
});

describe('creating a rule at the edge of a limit', () => {
  test.each(accepted)('%s is accepted', async (_description, overrides) => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, overrides));
    expect(res.body).toMatchObject({ userId });
    expect(res.status).toBe(201);
  });
});

describe('time zones', () => {
  test.each([
    ['europe/paris', 'Europe/Paris'],
    ['AMERICA/NEW_YORK', 'America/New_York'],
    ['utc', 'UTC'],
    ['US/Eastern', 'US/Eastern'],
  ])('a schedule in %s is saved and read back as %s, by create and by PATCH', async (typed, spelled) => {
    const created = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { name: `Zone ${typed}`, ...schedule({ timezone: typed }) }));
    expect(created.status).toBe(201);
    expect(created.body.schedule.timezone).toBe(spelled);
    expect((await api.http().get(`/api/rules/${created.body.id}`).set(asAdmin)).body.schedule.timezone).toBe(spelled);
    await api.http().patch(`/api/rules/${created.body.id}`).set(asAdmin).send({ schedule: null });
    const patched = await api.http().patch(`/api/rules/${created.body.id}`).set(asAdmin).send(schedule({ timezone: typed }));
    expect(patched.body.schedule.timezone).toBe(spelled);
  });
});

describe('audio on the app\'s own host', () => {
  test('hold music or a greeting on PUBLIC_BASE_URL\'s host (Twilio would fetch a webhook with it) is refused, by create and by PATCH', async () => {
    const own = new URL(api.app.baseUrl);
    const webhook = `${own.origin}/voice/incoming?CallSid=CA${'0'.repeat(32)}&To=%2B15550001234`;
    const hold = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { mode: 'extendRing', holdMusicUrl: webhook }));
    expect(hold.status).toBe(400);
    expect((hold.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['holdMusicUrl']);
    const greeting = await api.http().post('/api/rules').set(asAdmin)
      .send(simpleRule(userId, { voicemail: { greeting: `https://${own.hostname}/voice/status?CallSid=CA${'0'.repeat(32)}&CallStatus=completed` } }));
    expect(greeting.status).toBe(400);
    expect((greeting.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['voicemail.greeting']);

    const rule = await api.createRule(simpleRule(userId, { mode: 'extendRing', holdMusicUrl: 'https://music.example.com/hold.mp3' }));
    const patched = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ holdMusicUrl: webhook });
    expect(patched.status).toBe(400);
    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).body.holdMusicUrl).toBe('https://music.example.com/hold.mp3');
  });

  test('a rule saved before the check with hold music on the app\'s host can still be switched off and renamed', async () => {
    const rule = await api.createRule(simpleRule(userId, { mode: 'extendRing', holdMusicUrl: 'https://music.example.com/hold.mp3' }));
    const stored = await api.app.deps.store.getRule(rule.id);
    await api.app.deps.store.saveRule({ ...stored!, holdMusicUrl: `${new URL(api.app.baseUrl).origin}/media/hold.mp3` });
    expect((await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: false })).status).toBe(200);
    expect((await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ name: 'Old hold' })).status).toBe(200);
  });
});

describe('validation messages', () => {
  test('a window that ends at 24:00 is told to end at 00:00 to run until midnight', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, schedule({ windows: [window({ to: '24:00' })] })));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{
      path: 'schedule.windows.0.to',
      message: 'must be a time HH:MM between 00:00 and 23:59: to run until midnight, end the window at 00:00',
    }]);
  });

  test('a ring time under 5 seconds reads "steps[0].ringSeconds must be greater than or equal to 5"', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, ringing(3)));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'validation_failed',
        message: 'steps[0].ringSeconds must be greater than or equal to 5',
        details: [{ path: 'steps.0.ringSeconds', message: 'must be greater than or equal to 5' }],
      },
    });
  });

  test('a rule without steps reads "steps must contain at least 1 item"', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { steps: [] }));
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details).toEqual([{ path: 'steps', message: 'must contain at least 1 item' }]);
  });

  test('every problem in a document is reported at once', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { name: '', maxHoldMinutes: 99, mode: 'x' }));
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details.map((d) => d.path).sort()).toEqual(['maxHoldMinutes', 'mode', 'name']);
  });
});

describe('defaults and server-assigned fields', () => {
  test('a minimal rule comes back with every default filled in', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      userId,
      enabled: true,
      priority: 0,
      confirm: false,
      callerId: 'caller',
      maxHoldMinutes: 10,
      detectVoicemail: false,
      steps: [{ destinations: [{ type: 'number', to: '+15551230001' }], ringSeconds: 30 }],
      voicemail: { maxLengthSeconds: 120, transcribe: false },
    });
    expect(res.body.schedule).toBeUndefined();
  });

  test('an id and timestamps sent by the client are ignored: the server assigns its own', async () => {
    const sent = simpleRule(userId, { id: 'my-own-id', createdAt: '2000-01-01T00:00:00.000Z', updatedAt: 'yesterday' });
    const res = await api.http().post('/api/rules').set(asAdmin).send(sent);
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe('my-own-id');
    expect(res.body.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(Date.parse(res.body.updatedAt)).not.toBeNaN();
  });
});

describe('SIP addresses', () => {
  test('are stored with their scheme and host in lower case (case-insensitive in SIP), the user part and parameters as given', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin)
      .send(simpleRule(userId, oneStep(dest('SIP:Alice@PBX.Example.COM:5060;transport=TCP', 'sip'))));
    expect(res.status).toBe(201);
    expect(res.body.steps[0].destinations[0].to).toBe('sip:Alice@pbx.example.com:5060;transport=TCP');
    const sips = await api.http().patch(`/api/rules/${res.body.id}`).set(asAdmin).send(oneStep(dest('SIPS:bob@Example.com', 'sip')));
    expect(sips.body.steps[0].destinations[0].to).toBe('sips:bob@example.com');
  });

  test('two users on one host whose names differ only in case are two phones (the user part is case-sensitive)', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin)
      .send(simpleRule(userId, { steps: [step([dest('sip:alice@example.com', 'sip'), dest('sip:Alice@example.com', 'sip')])] }));
    expect(res.status).toBe(201);
    expect(res.body.steps[0].destinations.map((d: { to: string }) => d.to)).toEqual(['sip:alice@example.com', 'sip:Alice@example.com']);
  });
});

describe('null for a field, as PATCH takes it', () => {
  const absentWhenNull = { schedule: null, holdMusicUrl: null, holdAnnouncement: null };
  const defaultWhenNull = {
    enabled: null, priority: null, confirm: null, callerId: null, maxHoldMinutes: null, detectVoicemail: null, voicemail: null,
  };

  test('a create with null for every optional field stores a rule without them (no schedule: always) and their defaults', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { ...absentWhenNull, ...defaultWhenNull }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ...(await api.createRule(simpleRule(userId))), id: res.body.id, createdAt: res.body.createdAt, updatedAt: res.body.updatedAt });
    for (const field of Object.keys(absentWhenNull)) expect(res.body).not.toHaveProperty(field);
  });

  test('a PUT with schedule null removes the schedule, as PATCH does', async () => {
    const rule = await api.createRule(simpleRule(userId, schedule({})));
    const res = await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).send({ ...rule, schedule: null, holdMusicUrl: null });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('schedule');
    expect((await api.http().get(`/api/rules/${rule.id}`).set(asAdmin)).body).not.toHaveProperty('schedule');
  });

  test('null for a required field is a 400 naming it as required', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { name: null, steps: null }));
    expect(res.status).toBe(400);
    const { details } = (res.body as ErrorResponse).error;
    expect(details).toEqual([{ path: 'name', message: 'is required' }, { path: 'steps', message: 'is required' }]);
  });

  test('null inside a nested object is still refused: only top-level fields can be removed this way', async () => {
    const res = await api.http().post('/api/rules').set(asAdmin).send(simpleRule(userId, { voicemail: { greeting: null } }));
    expect(res.status).toBe(400);
    expect((res.body as ErrorResponse).error.details.map((d) => d.path)).toEqual(['voicemail.greeting']);
  });
});

describe('rules saved before a check existed', () => {
  test('a rule can still be switched off (and saved off), even where its steps would be refused today; not switched on', async () => {
    const owner = await api.createUser({ name: 'Ann', numbers: ['+15550002000'] });
    const rule = await api.createRule(simpleRule(owner.id, { steps: [step([dest('+15551230009')])] }));
    // as if saved before the loop check: the rule rings a number its owner was given since
    const stored = await api.app.deps.store.getRule(rule.id);
    await api.app.deps.store.saveRule({ ...stored!, steps: [{ destinations: [{ type: 'number', to: '+15550002000' }], ringSeconds: 30 }] });

    const off = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: false });
    expect(off.status).toBe(200);
    expect(off.body.enabled).toBe(false);
    // as the panel saves it: the whole rule, its steps written with their keys in another order
    const { id: _id, createdAt: _c, updatedAt: _u, ...document } = off.body as Record<string, unknown> & { steps: Array<{ ringSeconds: number; destinations: Array<{ type: string; to: string }> }> };
    const reordered = document.steps.map((s) => ({ destinations: s.destinations.map((d) => ({ to: d.to, type: d.type })), ringSeconds: s.ringSeconds }));
    expect((await api.http().put(`/api/rules/${rule.id}`).set(asAdmin).send({ ...document, steps: reordered })).status).toBe(200);
    // switching it back on is checked: it still loops
    const on = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ enabled: true });
    expect(on.status).toBe(400);
    // changing what its steps ring is checked as ever
    const looping = await api.http().patch(`/api/rules/${rule.id}`).set(asAdmin).send({ steps: [step([dest('+15551230009'), dest('+15550002000')])] });
    expect(looping.status).toBe(400);
  });
});
