import { storeFactories } from '../support/stores';
import { aUser } from './fixtures';

describe.each(storeFactories().map((factory) => [factory.name, factory] as const))('%s store factory', (_name, factory) => {
  afterAll(() => factory.cleanup());

  it('makes a fresh, empty store for each test that asks', async () => {
    const first = await factory.make();
    await first.createUser(aUser());
    const second = await factory.make();

    expect(await second.listUsers()).toEqual([]);
    expect(await first.getUser(aUser().id)).toEqual(aUser());
  });
});
