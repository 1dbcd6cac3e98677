import type { Request, Response } from 'express';
import type { AppDeps } from '../deps';
import { ApiError, ConflictError, NotFoundError } from './errors';

/**
 * POST /api/users/:id/notify-test (administrators, as all of /api/users): one signed `test` event to the user's
 * receiver (their notifyUrl, else NOTIFY_WEBHOOK_URL), sent now, once, never retried, within the notifier's request
 * timeout; 200 with what happened. One test per user at a time on an instance (409 `notify_test_in_progress`
 * meanwhile), so the endpoint cannot be used to pile requests on a receiver; 409 `no_receiver` when there is none.
 */
export function notifyTestHandler(deps: AppDeps): (req: Request, res: Response) => Promise<void> {
  const running = new Set<string>();
  return async (req, res) => {
    const { notifier } = deps;
    if (!notifier) throw new ApiError(503, 'notifications_unavailable', 'this server sends no notifications');
    const user = await deps.store.getUser(String(req.params.id));
    if (!user) throw new NotFoundError('user not found');
    if (running.has(user.id)) {
      throw new ConflictError('notify_test_in_progress', `a test notification to ${user.name}'s receiver is still waiting for its answer: try again when it is done`);
    }
    running.add(user.id);
    try {
      const delivery = await notifier.sendTest(user);
      if (!delivery) {
        throw new ConflictError('no_receiver', `${user.name} has no notifyUrl and NOTIFY_WEBHOOK_URL is not set: there is no receiver to test`);
      }
      res.json(delivery);
    } finally {
      running.delete(user.id);
    }
  };
}
