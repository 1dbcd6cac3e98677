import express from 'express';
import type { Core } from '../core';
import { DEFAULT_MAX_QUEUE_SIZE, DuplicateQueueError, type QueueRecord } from '../queues';
import { redirectCall } from './calls';
import { accountPath, memberJson, page, queueJson, RestFailure } from './json';

type Body = Record<string, string | undefined>;

/** Queues: create, list, fetch, update, delete (and their members). */
export function queueRoutes(core: Core): express.Router {
  const router = express.Router();
  const now = () => core.clock.now();
  const base = accountPath(core.accountSid);

  router.post('/Queues.json', (req, res) => {
    const body = req.body as Body;
    if (!body.FriendlyName) throw new RestFailure(400, 20001, 'Missing required parameter FriendlyName in the post body');
    try {
      const queue = core.queues.create(body.FriendlyName, maxSize(body) ?? DEFAULT_MAX_QUEUE_SIZE);
      res.status(201).json(queueJson(queue, core.accountSid, now()));
    } catch (err) {
      if (err instanceof DuplicateQueueError) throw new RestFailure(400, 22003, err.message);
      throw err;
    }
  });
  router.get('/Queues.json', (_req, res) => {
    res.json(page('queues', `${base}/Queues.json`, core.queues.list().map((q) => queueJson(q, core.accountSid, now()))));
  });
  router.get('/Queues/:sid.json', (req, res) => {
    res.json(queueJson(findQueue(core, req.params.sid), core.accountSid, now()));
  });
  router.post('/Queues/:sid.json', (req, res) => {
    const queue = findQueue(core, req.params.sid);
    const body = req.body as Body;
    if (body.FriendlyName) queue.name = body.FriendlyName;
    queue.maxSize = maxSize(body) ?? queue.maxSize;
    res.json(queueJson(queue, core.accountSid, now()));
  });
  router.delete('/Queues/:sid.json', (req, res) => {
    const queue = findQueue(core, req.params.sid);
    core.queues.delete(queue.sid);
    core.timeline.add(queue.sid, `queue ${queue.name}`, 'rest', `deleted${queue.members.length ? ` with ${queue.members.length} callers still waiting` : ''}`);
    res.status(204).end();
  });
  router.use(memberRoutes(core));
  return router;
}

/** Members: list, fetch ('Front' = the first caller), and dequeue one caller to a URL. */
function memberRoutes(core: Core): express.Router {
  const router = express.Router();
  const now = () => core.clock.now();
  const base = accountPath(core.accountSid);
  router.get('/Queues/:sid/Members.json', (req, res) => {
    const queue = findQueue(core, req.params.sid);
    const members = queue.members.map((m) => memberJson(m, core.accountSid, now()));
    res.json(page('queue_members', `${base}/Queues/${queue.sid}/Members.json`, members));
  });
  router.get('/Queues/:sid/Members/:callSid.json', (req, res) => {
    res.json(memberJson(findMember(core, req.params.sid, req.params.callSid), core.accountSid, now()));
  });
  router.post('/Queues/:sid/Members/:callSid.json', (req, res) => {
    const member = findMember(core, req.params.sid, req.params.callSid);
    const body = req.body as Body;
    if (!body.Url) throw new RestFailure(400, 20001, 'Missing required parameter Url in the post body');
    const json = memberJson(member, core.accountSid, now());
    core.timeline.add(member.call.sid, member.call.who, 'rest', `dequeued from ${member.queue.name} to ${body.Url}`);
    redirectCall(core, member.call, { url: body.Url, method: body.Method?.toUpperCase() === 'GET' ? 'GET' : 'POST' }, 'queue-member');
    res.json(json);
  });
  return router;
}

function maxSize(body: Body): number | undefined {
  const n = Number(body.MaxSize);
  return body.MaxSize !== undefined && Number.isInteger(n) && n >= 1 && n <= 5000 ? n : undefined;
}

function findQueue(core: Core, sid: string): QueueRecord {
  const queue = core.queues.get(sid);
  if (!queue) throw new RestFailure(404, 20404, `The requested resource /Queues/${sid}.json was not found`);
  return queue;
}

/** A caller still waiting in the queue ('Front' = the first); one dequeued already is gone (404). */
function findMember(core: Core, queueSid: string, callSid: string) {
  const queue = findQueue(core, queueSid);
  const member = callSid === 'Front' ? queue.front() : queue.find(callSid);
  if (!member) throw new RestFailure(404, 20404, `The requested resource /Queues/${queueSid}/Members/${callSid}.json was not found`);
  return member;
}
