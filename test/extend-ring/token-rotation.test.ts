import { storeFactories } from '../support/stores';
import { apiLegs, OFFICE, startRig, type RingRig } from './rig';

const NEW_TOKEN = 'the-secondary-auth-token-0123456789';

/**
 * Rotating TWILIO_AUTH_TOKEN (Twilio: create a secondary token, then promote it; "after promoting the new token, all
 * requests to Twilio using your old primary Auth Token will result in an error", and webhooks are signed with the
 * new one). With the secondary set as TWILIO_AUTH_TOKEN_SECONDARY, calls go on through the promotion.
 */
describe.each(storeFactories())('rotating the Twilio auth token ($name store)', (factory) => {
  let rig: RingRig;
  afterEach(() => rig.close());
  afterAll(() => factory.cleanup());

  it('after the secondary token is promoted, an Extend Ring call is answered, its phones placed and bridged', async () => {
    rig = await startRig({ factory, twilioAuthToken: NEW_TOKEN, env: { TWILIO_AUTH_TOKEN_SECONDARY: NEW_TOKEN } });
    rig.em.callee(OFFICE, { kind: 'answer', after: 2, press: '1', label: 'Office' });
    const call = await rig.placeCall({ hangUpAfter: 60 });
    await rig.run(600);

    expect(rig.em.webhooks.filter((ex) => ex.status === 403)).toEqual([]);
    expect(apiLegs(rig.em).map((leg) => leg.target)).toEqual([OFFICE]);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('connected');
  });

  it('with only the secondary token left (the old primary already removed), calls still work', async () => {
    rig = await startRig({ factory, twilioAuthToken: NEW_TOKEN, env: { TWILIO_AUTH_TOKEN: '', TWILIO_AUTH_TOKEN_SECONDARY: NEW_TOKEN } });
    rig.em.callee(OFFICE, { kind: 'answer', after: 2, press: '1', label: 'Office' });
    const call = await rig.placeCall({ hangUpAfter: 60 });
    await rig.run(600);
    expect(rig.em.webhooks.filter((ex) => ex.status === 403)).toEqual([]);
    expect((await rig.store.getCall(call.sid))?.outcome).toBe('connected');
  });

  it('without the secondary token set, the promoted token\'s webhooks are refused', async () => {
    rig = await startRig({ factory, twilioAuthToken: NEW_TOKEN });
    await rig.placeCall({ hangUpAfter: 60 });
    await rig.run(120);
    expect(rig.em.webhooks.filter((ex) => ex.status === 403).length).toBeGreaterThan(0);
    expect(apiLegs(rig.em)).toEqual([]);
  });
});
