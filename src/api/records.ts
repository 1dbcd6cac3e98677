import { Router } from 'express';
import Joi from 'joi';
import type { AppDeps } from '../deps';
import { CALL_SORTING, CALLBACK_SORTING, pageOf, VOICEMAIL_SORTING } from '../domain/paging';
import type { CallbackRequest, CallRecord } from '../domain/types';
import { ownerFilter, visibleOr404 } from './access';
import { voicemailAudio } from './audio';
import { principalOf } from './auth';
import { requireJsonObject } from './body';
import { matchesText, parseListQuery } from './lists';

/** What the calls left behind, each visible to its owner and to administrators (DESIGN §4 "Other resources"). */

/** /api/voicemails: list (optional `userId` for admins), read, delete. */
export function createVoicemailsRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseListQuery(req.query, VOICEMAIL_SORTING);
    const userId = ownerFilter(principalOf(res), query.userId);
    const items = (await deps.store.listVoicemails(userId === undefined ? {} : { userId }))
      .filter((v) => matchesText([v.from, v.to, v.transcription], query.q));
    res.json(pageOf(items, query, VOICEMAIL_SORTING));
  });
  router.get('/:id', async (req, res) => {
    res.json(visibleOr404(principalOf(res), await deps.store.getVoicemail(String(req.params.id)), 'voicemail'));
  });
  router.get('/:id/audio', voicemailAudio(deps));
  router.delete('/:id', async (req, res) => {
    const voicemail = visibleOr404(principalOf(res), await deps.store.getVoicemail(String(req.params.id)), 'voicemail');
    await deps.store.deleteVoicemail(voicemail.id);
    res.status(204).end();
  });
  return router;
}

/** PATCH /api/callbacks/:id: only the status changes (`done` once the caller was called back). */
const callbackPatchSchema = Joi.object({ status: Joi.string().valid('open', 'done').required() });

/** /api/callbacks: the callback numbers callers left while holding: list, read, mark done (or open again). */
export function createCallbacksRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseListQuery(req.query, CALLBACK_SORTING);
    const userId = ownerFilter(principalOf(res), query.userId);
    const items = (await deps.store.listCallbacks(userId === undefined ? {} : { userId }))
      .filter((c) => matchesText([c.number, c.from, c.to, c.status], query.q));
    res.json(pageOf(items, query, CALLBACK_SORTING));
  });
  router.get('/:id', async (req, res) => {
    res.json(visibleOr404(principalOf(res), await deps.store.getCallback(String(req.params.id)), 'callback'));
  });
  router.patch('/:id', requireJsonObject, async (req, res) => {
    const current = visibleOr404(principalOf(res), await deps.store.getCallback(String(req.params.id)), 'callback');
    const { value, error } = callbackPatchSchema.validate(req.body, { abortEarly: false, convert: false });
    if (error) throw error;
    const { status } = value as Pick<CallbackRequest, 'status'>;
    if (status === current.status) {
      res.json(current);
      return;
    }
    const updated: CallbackRequest = { ...current, status, updatedAt: new Date(deps.clock.now()).toISOString() };
    await deps.store.saveCallback(updated);
    res.json(updated);
  });
  return router;
}

/** Call-log sorts the store pages itself (Store.pageCalls). */
const BY_START: ReadonlySet<string> = new Set(['startedAt', '-startedAt']);

/**
 * A call as the API shows it: its timeline in time order. The store keeps events in the order they were logged, and a
 * few are logged after the fact with the time they happened (a conversation's start, learnt when it is over).
 */
function callView(call: CallRecord): CallRecord {
  const inOrder = call.events.every((event, i) => i === 0 || call.events[i - 1]!.at <= event.at);
  // a stable sort: events of the same instant keep the order they were logged in
  return inOrder ? call : { ...call, events: [...call.events].sort((a, b) => a.at - b.at) };
}

/** /api/calls: the call log (recent hunts with their timeline), and one call by its CallSid. */
export function createCallsRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parseListQuery(req.query, CALL_SORTING);
    const userId = ownerFilter(principalOf(res), query.userId);
    const filter = userId === undefined ? {} : { userId };
    if (query.q === undefined && BY_START.has(query.sort)) {
      // the default listing: a page read off the store's index, not 30 days of entries
      const page = { offset: (query.page - 1) * query.pageSize, limit: query.pageSize, newestFirst: query.sort === '-startedAt' };
      const { items, total } = await deps.store.pageCalls(filter, page);
      res.json({ items: items.map(callView), page: query.page, pageSize: query.pageSize, total });
      return;
    }
    const items = (await deps.store.listCalls(filter))
      .filter((c) => matchesText([c.callSid, c.from, c.to, c.ruleName, c.outcome], query.q)).map(callView);
    res.json(pageOf(items, query, CALL_SORTING));
  });
  router.get('/:callSid', async (req, res) => {
    res.json(callView(visibleOr404(principalOf(res), await deps.store.getCall(req.params.callSid), 'call')));
  });
  return router;
}
