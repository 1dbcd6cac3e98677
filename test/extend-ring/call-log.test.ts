import type { CallEvent } from '../../src/domain/types';
import { storeFactories } from '../support/stores';
import { CELL, HOME, OFFICE, ringRule, startRig, type RingRig } from './rig';

/**
 * What John reads in his call log about a phone that had answered (it was hearing the whisper) when the hunt ended
 * without it: the log says it was hung up, and why, instead of leaving it answered for ever.
 */
describe.each(storeFactories())('Extend Ring call log: a phone that answered when the hunt ended ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  const lines = async (sid: string, destination: string): Promise<Array<[string, string | undefined]>> => {
    const events: CallEvent[] = (await rig.store.getCall(sid))?.events ?? [];
    return events.filter((e) => e.destination === destination && e.type !== 'leg-ringing').map((e) => [e.type, e.detail]);
  };

  it('the cell is hearing the whisper when home presses 1: the cell was hung up, as another phone took the call', async () => {
    rig = await startRig({ factory });
    rig.em.callee(CELL, { kind: 'answer', after: 5, press: '1', pressAfter: 30 });
    rig.em.callee(HOME, { kind: 'answer', after: 3, press: '1', talkSeconds: 30 });
    const call = await rig.placeCall();
    await rig.run(600);
    expect(await lines(call.sid, `Cell (${CELL})`)).toEqual([
      ['leg-answered', undefined],
      ['leg-ended', 'hung up: another phone took the call'],
    ]);
  });

  it('the office answers at 2:55 and is hearing the whisper at 3:00, the maximum hold: it was hung up, as the caller went to voicemail', async () => {
    const office = { destinations: [{ type: 'number' as const, to: OFFICE, label: 'Office' }], ringSeconds: 300 };
    rig = await startRig({ factory, rule: ringRule({ steps: [office] }) });
    rig.em.callee(OFFICE, { kind: 'answer', after: 175, press: '1', pressAfter: 20 });
    const call = await rig.placeCall();
    await rig.run(600);
    expect(await lines(call.sid, `Office (${OFFICE})`)).toEqual([
      ['leg-answered', undefined],
      ['leg-ended', 'hung up: the caller went to voicemail'],
    ]);
  });

  it('the caller hangs up while the office hears the whisper: the office was hung up, as the caller had hung up', async () => {
    rig = await startRig({ factory });
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, press: '1', pressAfter: 20 });
    const call = await rig.placeCall({ hangUpAfter: 9 });
    await rig.run(600);
    expect(await lines(call.sid, `Office (${OFFICE})`)).toEqual([
      ['leg-answered', undefined],
      ['leg-ended', 'hung up: the caller had hung up'],
    ]);
  });

  it('home presses 1 and talks: its end is the call\'s end, not a line of its own', async () => {
    rig = await startRig({ factory });
    rig.em.callee(HOME, { kind: 'answer', after: 3, press: '1', talkSeconds: 30 });
    const call = await rig.placeCall();
    await rig.run(600);
    expect((await lines(call.sid, `Home (${HOME})`)).map(([type]) => type)).toEqual(['leg-answered', 'leg-accepted', 'connected']);
  });
});
