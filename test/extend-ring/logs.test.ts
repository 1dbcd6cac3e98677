import { createLogger } from '../../src/log';
import { storeFactories } from '../support/stores';
import { CELL, HOME, OFFICE, ringRule, startRig, type RingRig } from './rig';

type Line = Record<string, unknown>;

/**
 * What an operator reads in the JSON logs of an Extend Ring call ("why did my cell not ring?"): every line about the
 * call names it by the inbound CallSid, a leg's own SID only where the line is about that leg, never twice in a line.
 */
describe('Extend Ring: the logs of a call', () => {
  const [factory] = storeFactories();
  let rig: RingRig;
  let raw: string[];
  const lines = (): Line[] => raw.map((text) => JSON.parse(text) as Line);
  const start = async (rule = ringRule()): Promise<void> => {
    raw = [];
    rig = await startRig({ factory: factory!, rule, logger: createLogger('info', { write: (text: string) => void raw.push(text) }) });
  };
  afterEach(() => rig.close());
  afterAll(() => factory!.cleanup());

  it('a leg a voicemail box answered without a key reads as such, naming the phone, not as a plain "completed"', async () => {
    await start(ringRule({ maxHoldMinutes: 1, steps: [
      { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 10 },
      { destinations: [{ type: 'number', to: CELL, label: 'Cell' }], ringSeconds: 15 },
    ] }));
    rig.em.callee(CELL, { kind: 'voicemail', after: 5 });
    await rig.placeCall({ message: { seconds: 5 } });
    await rig.run(300);

    const cellLegs = new Set(rig.em.legs().filter((leg) => leg.target === CELL).map((leg) => leg.sid));
    const cellDone = lines().filter((line) => line.msg === 'extend ring: leg done' && cellLegs.has(String(line.legSid)));
    expect(cellDone.length).toBeGreaterThan(0);
    for (const line of cellDone) {
      expect(line).toMatchObject({ result: 'completed', destination: expect.stringContaining('Cell'), detail: expect.stringMatching(/no key was pressed/) });
    }
  });

  it('every line about the call carries its CallSid, request lines of a leg\'s webhooks included; no line names a key twice', async () => {
    await start();
    // the cell still rings when home accepts: it is ended, and that is logged
    rig.em.callee(HOME, { kind: 'answer', after: 4, press: '1', talkSeconds: 20 });
    const call = await rig.placeCall();
    await rig.run(600);

    const legSids = new Set(rig.em.legs().map((leg) => leg.sid));
    const aboutLegs = lines().filter((line) => line.legSid !== undefined || legSids.has(String(line.callSid)));
    expect(aboutLegs.length).toBeGreaterThan(5);
    for (const line of aboutLegs) expect(line.callSid).toBe(call.sid);
    const requests = lines().filter((line) => line.msg === 'request' && String(line.path).startsWith('/voice/extend-ring/'));
    expect(requests.length).toBeGreaterThan(5);
    for (const line of requests) expect(line.callSid).toBe(call.sid);
    // a key written twice in one object: JSON.parse keeps one of them, so the text holds more than the parsed line
    for (const text of raw) expect(text.match(/"legSid":/g)?.length ?? 0).toBe(keysIn(JSON.parse(text), 'legSid'));
    // a step is the hunt's: it names no leg, whichever leg's callback moved the hunt on
    const steps = lines().filter((line) => line.msg === 'extend ring: step placed');
    expect(steps.length).toBe(2);
    for (const line of steps) expect(line.legSid).toBeUndefined();
    const cell = rig.em.legs().find((leg) => leg.target === CELL)!;
    expect(lines().filter((line) => line.msg === 'extend ring: leg ended')).toMatchObject([{ callSid: call.sid, legSid: cell.sid }]);
  });

  it('a round that waits because every phone was busy is logged at info; a round Twilio refused would be a warning', async () => {
    await start(ringRule({ steps: [{ destinations: [{ type: 'number', to: OFFICE }], ringSeconds: 20 }] }));
    rig.em.callee(OFFICE, { kind: 'busy' });
    await rig.placeCall();
    await rig.run(60);

    const pauses = lines().filter((line) => String(line.msg).endsWith('pausing before the next round'));
    expect(pauses.length).toBeGreaterThan(0);
    for (const line of pauses) expect(line.level).toBe(30);
  });

  it('a round Twilio refused to place is logged as a warning: something for the operator to look into', async () => {
    await start(ringRule({ steps: [{ destinations: [{ type: 'number', to: OFFICE }], ringSeconds: 20 }] }));
    rig.em.injectRestFault({ method: 'POST', pathMatch: /\/Calls\.json$/, status: 503, times: 1 });
    await rig.placeCall();
    await rig.run(30);

    const pauses = lines().filter((line) => String(line.msg).endsWith('pausing before the next round'));
    expect(pauses.map((line) => [line.level, line.msg])).toEqual([[40, 'extend ring: no leg of the last round could be placed: pausing before the next round']]);
  });
});

function keysIn(value: unknown, key: string): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + keysIn(item, key), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((n, [k, v]) => n + (k === key ? 1 : 0) + keysIn(v, key), 0);
}
