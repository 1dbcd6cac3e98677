import { asAdmin, legsTo, ringTimes, startFlow, type FlowRig } from '../support/flow';
import { storeFactories } from '../support/stores';
import { CELL, createJohn, describeEachStore, HOME, johnsRule, OFFICE, SATURDAY_10_NY, TUESDAY_10_NY, type John } from './fixtures';

const FRONT_DESK = '+15551230009';

let rig: FlowRig;

/** The moment of the change really is mid-call: the office phone is still ringing. */
function expectOfficeRinging(): void {
  expect(legsTo(rig.em, OFFICE).map((l) => [l.status, l.endedAt])).toEqual([['ringing', undefined]]);
}

/** A hunt keeps the rule as it was when the call arrived (DESIGN §4, last paragraph). */
describeEachStore('Follow Me: rules changed during a call', (factory) => {
  let john: John;
  let ruleId: string;

  beforeEach(async () => {
    rig = await startFlow({ factory: factory() });
    john = await createJohn(rig);
    ruleId = (await rig.createRule(johnsRule(john.id))).id;
  });
  afterEach(() => rig.close());

  it('replacing the steps while the office rings does not change the call in progress; the next call uses the new steps', async () => {
    const call = await rig.placeCall();
    await rig.run(20);
    expectOfficeRinging();
    const edited = johnsRule(john.id, {
      steps: [{ destinations: [{ type: 'number', to: FRONT_DESK }], ringSeconds: 20 }],
      voicemail: { greeting: 'The new greeting.' },
    });
    expect((await rig.http().put(`/api/rules/${ruleId}`).set(asAdmin).send(edited)).status).toBe(200);
    await rig.run();

    expect(rig.em.legs().map((l) => l.target)).toEqual([OFFICE, HOME, CELL, 'client:john']);
    expect(ringTimes(call, legsTo(rig.em, HOME)[0])).toEqual({ from: 40, until: 70 });
    const greeting = rig.em.timeline.find((e) => e.callSid === call.sid && e.event === 'say');
    expect(greeting).toMatchObject({ offset: 100, detail: expect.stringContaining("John can't take your call") });
    expect(await rig.voicemails(john.token)).toHaveLength(1);

    await rig.placeCall();
    await rig.run();
    expect(legsTo(rig.em, FRONT_DESK)).toHaveLength(1);
  });

  it('deleting the rule while the office rings does not change the call in progress', async () => {
    const call = await rig.placeCall();
    await rig.run(20);
    expectOfficeRinging();
    expect((await rig.http().delete(`/api/rules/${ruleId}`).set(asAdmin)).status).toBe(204);
    await rig.run();

    expect(rig.em.legs().map((l) => [l.target, ringTimes(call, l).from])).toEqual([
      [OFFICE, 0], [HOME, 40], [CELL, 70], ['client:john', 70],
    ]);
    expect(call.outcome).toMatchObject({ kind: 'voicemail' });
    expect(await rig.voicemails(john.token)).toHaveLength(1);
  });

  it('disabling the rule while the office rings does not change the call in progress', async () => {
    rig.em.callee(HOME, { kind: 'answer', after: 3, talkSeconds: 10 });
    const call = await rig.placeCall();
    await rig.run(20);
    expectOfficeRinging();
    expect((await rig.http().patch(`/api/rules/${ruleId}`).set(asAdmin).send({ enabled: false })).status).toBe(200);
    await rig.run();
    expect(call.outcome).toMatchObject({ kind: 'connected', to: HOME });
  });
}, storeFactories());

const OFFICE_HOURS = {
  timezone: 'America/New_York',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
};

/** Which rule handles a call: enabled, schedule covers the moment, lowest priority (DESIGN §4). */
describeEachStore('Follow Me: schedules', (factory) => {
  afterEach(() => rig.close());

  async function start(at: number, withFallbackRule: boolean): Promise<John> {
    rig = await startFlow({ factory: factory(), startAt: at });
    const john = await createJohn(rig);
    await rig.createRule(johnsRule(john.id, {
      name: 'Office hours', priority: 0, schedule: OFFICE_HOURS,
      steps: [{ destinations: [{ type: 'number', to: OFFICE }], ringSeconds: 20 }],
    }));
    if (withFallbackRule) {
      await rig.createRule(johnsRule(john.id, {
        name: 'Any time', priority: 1, steps: [{ destinations: [{ type: 'number', to: CELL }], ringSeconds: 20 }],
      }));
    }
    rig.em.callee(OFFICE, { kind: 'answer', after: 5, talkSeconds: 30 });
    rig.em.callee(CELL, { kind: 'answer', after: 5, talkSeconds: 30 });
    return john;
  }

  it('a call on Tuesday at 10:00 in New York is taken by the office-hours rule', async () => {
    await start(TUESDAY_10_NY, true);
    const call = await rig.placeCall();
    await rig.run();
    expect(rig.em.legs().map((l) => l.target)).toEqual([OFFICE]);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: OFFICE });
  });

  it('a call on Saturday falls to the next rule, the one that always applies', async () => {
    await start(SATURDAY_10_NY, true);
    const call = await rig.placeCall();
    await rig.run();
    expect(rig.em.legs().map((l) => l.target)).toEqual([CELL]);
    expect(call.outcome).toMatchObject({ kind: 'connected', to: CELL });
  });

  it('a call on Saturday with no other rule goes straight to John’s voicemail', async () => {
    const john = await start(SATURDAY_10_NY, false);
    const call = await rig.placeCall();
    await rig.run();
    expect(rig.em.legs()).toEqual([]);
    const greeting = rig.em.timeline.find((e) => e.callSid === call.sid && e.event === 'say');
    expect(greeting?.offset).toBe(0);
    expect(call.outcome).toMatchObject({ kind: 'voicemail' });
    expect(await rig.voicemails(john.token)).toHaveLength(1);
  });

  it('a call on Tuesday at 17:00 in New York is already outside office hours', async () => {
    await start(TUESDAY_10_NY + 7 * 3600_000, true);
    await rig.placeCall();
    await rig.run();
    expect(rig.em.legs().map((l) => l.target)).toEqual([CELL]);
  });
}, storeFactories());
