import { Background } from '../../src/background';
import { silentLogger } from '../../src/log';

describe('background work started by a webhook', () => {
  it('does not start until the code that started it has finished its turn (the TwiML answer goes out first)', async () => {
    const background = new Background(silentLogger);
    const order: string[] = [];
    background.run('place legs', async () => {
      order.push('task');
    });
    // everything a route does after the stage returns runs in promise continuations of the same turn
    for (let i = 0; i < 20; i++) await Promise.resolve();
    order.push('answer sent');
    await background.idle();
    expect(order).toEqual(['answer sent', 'task']);
  });

  it('counts a task as pending from the moment it is started, so idle() waits for it', async () => {
    const background = new Background(silentLogger);
    let done = false;
    background.run('slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done = true;
    });
    expect(background.size).toBe(1);
    await background.idle();
    expect(done).toBe(true);
    expect(background.size).toBe(0);
  });

  it('logs a failing task and keeps going', async () => {
    const background = new Background(silentLogger);
    background.run('fails', () => Promise.reject(new Error('REST down')));
    await expect(background.idle()).resolves.toBeUndefined();
    expect(background.size).toBe(0);
  });
});
