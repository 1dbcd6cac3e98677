import type { CallEvent, Rule } from '../../src/domain/types';
import type { CallerScript, CalleeScript } from '../../src/simulator/types';
import { storeFactories } from '../support/stores';
import { apiLegs, CELL, HOME, OFFICE, ringRule, startRig, type RingRig } from './rig';

/** Call-log events that say how a leg ended. */
const END_EVENTS = new Set(['leg-no-answer', 'leg-busy', 'leg-failed', 'leg-canceled', 'leg-machine', 'leg-ended', 'leg-declined']);
const MORE = ['+15551230004', '+15551230005', '+15551230006', '+15551230007', '+15551230008'];

const number = (to: string) => ({ type: 'number' as const, to });

/**
 * Twilio places API calls one a second (restPacing): when the caller goes to voicemail, phones of the step may still be
 * waiting to be dialled, and a call cancelled while queued gets no status callback (TWILIO.md). Whatever the way to
 * voicemail, John's call log says of every phone that was called how it ended, once.
 */
describe.each(storeFactories())('Extend Ring call log: every phone called has an end line when the caller goes to voicemail ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  /** For each leg Twilio was asked to place: the call-log lines that say how it ended. */
  const endLines = async (sid: string): Promise<Array<[string, string[]]>> => {
    const events: CallEvent[] = (await rig.store.getCall(sid))?.events ?? [];
    return apiLegs(rig.em).map((leg) => [leg.target, events.filter((e) => e.legSid === leg.sid && END_EVENTS.has(e.type)).map((e) => e.type)]);
  };

  it.each<[string, Rule, CallerScript, Record<string, CalleeScript>]>([
    ['the caller presses 1 on hold while home still waits to be dialled', ringRule(), { holdDigits: [{ at: 20.5, digits: '1' }] }, {}],
    [
      'the maximum hold (1 min) is reached while phones of the step still wait to be dialled',
      ringRule({
        maxHoldMinutes: 1,
        steps: [
          { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 58 },
          { destinations: [number(CELL), number(HOME), ...MORE.slice(0, 2).map(number)], ringSeconds: 20 },
        ],
      }),
      {},
      {},
    ],
    [
      'the office presses 2 (voicemail) while phones of its step still wait to be dialled',
      ringRule({ steps: [{ destinations: [number(OFFICE), number(CELL), number(HOME), ...MORE.map(number)], ringSeconds: 30 }] }),
      {},
      { [OFFICE]: { kind: 'answer', after: 1, press: '2', pressAfter: 0.5 } },
    ],
  ])('%s: each phone called ends once in the call log', async (_name, rule, caller, callees) => {
    rig = await startRig({ factory, rule, emulator: { restPacing: true } });
    for (const [to, script] of Object.entries(callees)) rig.em.callee(to, script);
    const call = await rig.placeCall(caller);
    await rig.run(600);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('voicemail');
    expect(apiLegs(rig.em).some((leg) => leg.answeredAt === undefined && leg.status === 'canceled')).toBe(true);
    const lines = await endLines(call.sid);
    expect(lines.filter(([, ends]) => ends.length !== 1)).toEqual([]);
  });
});
