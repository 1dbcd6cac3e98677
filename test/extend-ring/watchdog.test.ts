import { backgroundContext } from '../../src/extend-ring/deadline';
import { stepCheckKey } from '../../src/extend-ring/due-keys';
import { checkStep } from '../../src/extend-ring/watchdog';
import type { TwilioGateway } from '../../src/twilio/gateway';
import { storeFactories } from '../support/stores';
import { CELL, HOME, OFFICE, ringRule } from './rig';
import { CALLER_SID, incoming, legParams, placedLegs, startStageRig, type PlacedLeg, type StageRig } from './stage-rig';

/** Cell and home 20 s, then the office 60 s. */
const rule = ringRule({
  steps: [
    { destinations: [{ type: 'number', to: CELL, label: 'Cell' }, { type: 'number', to: HOME, label: 'Home' }], ringSeconds: 20 },
    { destinations: [{ type: 'number', to: OFFICE, label: 'Office' }], ringSeconds: 60 },
  ],
});

describe.each(storeFactories())('Extend Ring step watchdog ($name store)', (factory) => {
  let rig: StageRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  /** Step 1 placed, 50 s later (its 20 s and 30 s): the watchdog runs with Twilio answering `lookUp` for each leg. */
  async function watchdogAt50s(lookUp: (sid: string, real: TwilioGateway) => Promise<string | undefined>): Promise<void> {
    const real = rig.app.deps.twilio as TwilioGateway;
    const gateway: TwilioGateway = Object.assign(Object.create(real) as TwilioGateway, { callStatus: (sid: string) => lookUp(sid, real) });
    rig.clock.advanceBy(50_000);
    await checkStep(CALLER_SID, backgroundContext({ ...rig.app.deps, twilio: gateway }, CALLER_SID));
    await rig.settle();
  }

  it('a watchdog that moved the hunt on does not pull the next step\'s watchdog forward into its ring time', async () => {
    rig = await startStageRig(factory, { rule });
    await incoming(rig);
    const [cell, home] = placedLegs(rig) as [PlacedLeg, PlacedLeg];
    // 50 s in: home's final callback was lost; the cell was answered (whisper) when Twilio was asked, and hung up
    // without a key right after, its callback arriving while the watchdog goes on to home
    await watchdogAt50s(async (sid, real) => {
      if (sid === cell.sid) {
        await rig.post(cell.statusUrl.replace(/^https?:\/\/[^/]+/, ''), legParams(cell.sid, cell.to, { CallStatus: 'completed' }));
        await rig.settle();
        return 'in-progress';
      }
      return sid === home.sid ? 'no-answer' : real.callStatus(sid);
    });

    // the office (step 1, 60 s) was placed at 50 s: its watchdog is due at 50 + 60 + 30 s, not 30 s later
    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([CELL, HOME, OFFICE]);
    const due = await rig.store.claimDueDeadlines(rig.clock.now() + 31_000, 100);
    expect(due).not.toContain(stepCheckKey(CALLER_SID));
  });

  it('a leg Twilio does not know (404 on looking it up) counts as failed, and the hunt moves on', async () => {
    rig = await startStageRig(factory, { rule });
    await incoming(rig);
    const [cell, home] = placedLegs(rig) as [PlacedLeg, PlacedLeg];
    const unknown = `CA${'0'.repeat(32)}`;
    await watchdogAt50s((sid, real) => (sid === cell.sid ? real.callStatus(unknown) : sid === home.sid ? Promise.resolve('no-answer') : real.callStatus(sid)));

    expect(placedLegs(rig).map((leg) => leg.to)).toEqual([CELL, HOME, OFFICE]);
    const events = (await rig.store.getCall(CALLER_SID))?.events ?? [];
    expect(events).toContainEqual(expect.objectContaining({ type: 'leg-failed', destination: `Cell (${CELL})` }));
  });
});

