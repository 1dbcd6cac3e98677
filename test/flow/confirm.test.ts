import { legsTo, ringTimes, startFlow, type FlowOptions, type FlowRig } from '../support/flow';
import { storeFactories } from '../support/stores';
import { CELL, createJohn, describeEachStore, HOME, johnsRule, JOHNS_APP, OFFICE, type John } from './fixtures';

/** Carrier voicemail and the `confirm` setting (DESIGN §1 Follow Me, §6 step 3; TWILIO.md on whispers). */
describeEachStore('Follow Me: carrier voicemail and confirm', (factory) => {
  let rig: FlowRig;
  let john: John;

  async function start(rule: Record<string, unknown>, emulator: FlowOptions['emulator'] = {}): Promise<void> {
    rig = await startFlow({ factory: factory(), emulator });
    john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id, rule));
  }
  afterEach(() => rig.close());

  it('with confirm off, the cell’s carrier voicemail picking up counts as an answer: the caller is connected to it', async () => {
    await start({ confirm: false });
    rig.em.callee(CELL, { kind: 'voicemail', after: 20, label: 'Cell' });
    const call = await rig.placeCall();
    await rig.run();

    const [cell] = legsTo(rig.em, CELL);
    expect(ringTimes(call, cell)).toMatchObject({ from: 70, answeredAt: 90 });
    expect([cell.bridged, cell.answeredBy]).toEqual([true, 'machine']);
    expect(call.outcome).toEqual({ kind: 'connected', to: CELL, legSid: cell.sid, answeredBy: 'machine' });
    expect(legsTo(rig.em, JOHNS_APP)[0]).toMatchObject({ status: 'canceled', bridged: false });
    expect(rig.em.recordings()).toEqual([]);
    expect(await rig.voicemails(john.token)).toEqual([]);
  });

  it('with confirm on, the carrier voicemail never presses 1: it is not connected and the caller reaches John’s voicemail', async () => {
    await start({ confirm: true });
    rig.em.callee(CELL, { kind: 'voicemail', after: 20, label: 'Cell' });
    const call = await rig.placeCall();
    await rig.run();

    const [cell] = legsTo(rig.em, CELL);
    expect(cell).toMatchObject({ bridged: false, answeredBy: 'machine', digits: '' });
    expect(call.outcome).toMatchObject({ kind: 'voicemail' });
    expect(await rig.voicemails(john.token)).toHaveLength(1);
  });

  it.each(['completed', 'no-answer'] as const)(
    'with confirm on, a carrier voicemail on the only phone of a step moves the hunt to the next step (Twilio reporting %s)',
    async (whisperRejectedDialStatus) => {
      await start({
        confirm: true,
        steps: [
          { destinations: [{ type: 'number', to: CELL }], ringSeconds: 30 },
          { destinations: [{ type: 'number', to: HOME }], ringSeconds: 30 },
        ],
      }, { uncertain: { whisperRejectedDialStatus } });
      rig.em.callee(CELL, { kind: 'voicemail', after: 5, label: 'Cell' });
      rig.em.callee(HOME, { kind: 'answer', after: 4, press: '1', talkSeconds: 30, label: 'Home' });
      const call = await rig.placeCall();
      await rig.run();

      const [cell] = legsTo(rig.em, CELL);
      const [home] = legsTo(rig.em, HOME);
      expect(cell.bridged).toBe(false);
      expect(ringTimes(call, home).from).toBe(ringTimes(call, cell).until);
      expect(home.bridged).toBe(true);
      expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME, answeredBy: 'human' });
    },
  );

  it('with confirm on, a callee who answers and presses 1 is connected', async () => {
    await start({ confirm: true });
    rig.em.callee(OFFICE, { kind: 'answer', after: 8, press: '1', talkSeconds: 30, label: 'Office' });
    const call = await rig.placeCall();
    await rig.run();

    const [office] = legsTo(rig.em, OFFICE);
    expect(office).toMatchObject({ digits: '1', bridged: true });
    expect(call.outcome).toEqual({ kind: 'connected', to: OFFICE, legSid: office.sid, answeredBy: 'human' });
    expect(legsTo(rig.em, HOME)).toEqual([]);
    const whisper = rig.em.timeline.find((e) => e.callSid === office.sid && e.event === 'say');
    expect(whisper?.detail).toMatch(/John/);
  });

  it('with confirm on, a callee who presses 2 is dropped and the next step rings at once', async () => {
    await start({ confirm: true });
    rig.em.callee(OFFICE, { kind: 'answer', after: 8, press: '2', label: 'Office' });
    rig.em.callee(HOME, { kind: 'answer', after: 5, press: '1', talkSeconds: 30, label: 'Home' });
    const call = await rig.placeCall();
    await rig.run();

    const [office] = legsTo(rig.em, OFFICE);
    const [home] = legsTo(rig.em, HOME);
    expect(office).toMatchObject({ digits: '2', bridged: false, status: 'completed' });
    const dropped = ringTimes(call, office).until ?? NaN;
    expect(dropped).toBeLessThan(40);
    expect(ringTimes(call, home).from).toBe(dropped);
    expect(home.bridged).toBe(true);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
  });

  it('with confirm on, a callee who ignores the question is dropped, as if nobody had answered', async () => {
    await start({ confirm: true });
    rig.em.callee(OFFICE, { kind: 'answer', after: 8, label: 'Office' });
    const call = await rig.placeCall();
    await rig.run();

    expect(legsTo(rig.em, OFFICE)[0]).toMatchObject({ bridged: false, digits: '' });
    expect(legsTo(rig.em, HOME)).toHaveLength(1);
    expect(call.outcome).toMatchObject({ kind: 'voicemail' });
  });

  it('with confirm on, when one of two ringing phones declines, the other keeps ringing and can still accept', async () => {
    await start({
      confirm: true,
      steps: [{ destinations: [{ type: 'number', to: CELL }, { type: 'client', to: 'john' }], ringSeconds: 30 }],
    });
    rig.em.callee(CELL, { kind: 'answer', after: 3, press: '2', label: 'Cell' });
    rig.em.callee(JOHNS_APP, { kind: 'answer', after: 20, press: '1', talkSeconds: 30 });
    const call = await rig.placeCall();
    await rig.run();

    const [cell] = legsTo(rig.em, CELL);
    const [app] = legsTo(rig.em, JOHNS_APP);
    expect(cell).toMatchObject({ digits: '2', bridged: false });
    expect((cell.endedAt ?? Infinity) < (app.answeredAt ?? 0)).toBe(true);
    expect(app).toMatchObject({ digits: '1', bridged: true });
    expect(call.outcome).toMatchObject({ kind: 'connected', to: JOHNS_APP });
  });

  // TWILIO.md: whether the other phones of a Dial stop at the first answer or at the first bridge is uncertain
  it.each([
    ['at the first bridge', 'bridge', JOHNS_APP],
    ['at the first answer', 'answer', HOME],
  ] as const)('with confirm on, if Twilio stops the other phones %s, a carrier voicemail answering first is never connected and the hunt goes on', async (_when, cancelOtherLegsAt, winner) => {
    await start({
      confirm: true,
      steps: [
        { destinations: [{ type: 'number', to: CELL }, { type: 'client', to: 'john' }], ringSeconds: 30 },
        { destinations: [{ type: 'number', to: HOME }], ringSeconds: 30 },
      ],
    }, { uncertain: { cancelOtherLegsAt } });
    rig.em.callee(CELL, { kind: 'voicemail', after: 5, label: 'Cell' });
    rig.em.callee(JOHNS_APP, { kind: 'answer', after: 20, press: '1', talkSeconds: 30 });
    rig.em.callee(HOME, { kind: 'answer', after: 3, press: '1', talkSeconds: 30, label: 'Home' });
    const call = await rig.placeCall();
    await rig.run();

    expect(legsTo(rig.em, CELL)[0]).toMatchObject({ bridged: false, answeredBy: 'machine' });
    expect(call.outcome).toMatchObject({ kind: 'connected', to: winner });
    expect(rig.em.recordings()).toEqual([]);
  });
}, storeFactories());
