import { Receiver } from '../notify/receiver';
import { asAdmin, HOME, previewSaved, startApi, withJohn, type Api, type PreviewAnswer } from './support';

/**
 * A preview plays in a world of its own: nothing it does reaches the real store (no voicemail, no call log, no
 * callback number) or the owner's notification webhook, though the simulated caller leaves a message.
 */

let api: Api;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await Receiver.start();
  api = await startApi({ env: { NOTIFY_WEBHOOK_URL: receiver.url, NOTIFY_SIGNING_SECRET: 'preview-signing-secret-0123456789' } });
});
afterAll(async () => {
  await api.close();
  await receiver.close();
});

async function snapshot(): Promise<Record<string, unknown>> {
  const get = async (path: string) => (await api.http().get(path).set(asAdmin)).body;
  return {
    users: await get('/api/users?pageSize=100'),
    rules: await get('/api/rules?pageSize=100'),
    voicemails: await get('/api/voicemails?pageSize=100'),
    callbacks: await get('/api/callbacks?pageSize=100'),
    calls: await get('/api/calls?pageSize=100'),
  };
}

test('after previews that end in voicemail and in a connected call, the real store and the webhook saw nothing', async () => {
  const { ruleId } = await withJohn(api);
  const before = await snapshot();

  const voicemail = await previewSaved(api, ruleId, {});
  expect((voicemail.body as PreviewAnswer).events.map((e) => e.text)).toContain('Caller leaves a 10 s message');
  const connected = await previewSaved(api, ruleId, { [HOME]: { kind: 'answer', after: 10 } });
  expect((connected.body as PreviewAnswer).outcome.kind).toBe('connected');
  await api.app.deps.background.idle();

  expect(await snapshot()).toEqual(before);
  expect(before).toMatchObject({ voicemails: { total: 0 }, calls: { total: 0 }, callbacks: { total: 0 } });
  expect(receiver.received).toEqual([]);
});
