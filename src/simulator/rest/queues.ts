import type { Core } from '../core';
import { DEFAULT_MAX_QUEUE_SIZE, DuplicateQueueError, type QueueRecord } from '../queues';
import { redirectCall } from './calls';
import { method, text, type FormBody } from './form';
import { accountPath, memberJson, page, queueJson, RestFailure } from './json';
import type { RestRoute } from './router';

/** Queues: create, list, fetch, update, delete (and their members). */
export function queueRoutes(core: Core): RestRoute[] {
  const now = () => core.clock.now();
  const base = accountPath(core.accountSid);
  return [
    {
      method: 'POST', path: '/Queues.json', handle: ({ body }) => {
        const name = text(body, 'FriendlyName');
        if (!name) throw new RestFailure(400, 20001, 'Missing required parameter FriendlyName in the post body');
        try {
          const queue = core.queues.create(name, maxSize(body) ?? DEFAULT_MAX_QUEUE_SIZE);
          return { status: 201, json: queueJson(queue, core.accountSid, now()) };
        } catch (err) {
          if (err instanceof DuplicateQueueError) throw new RestFailure(400, 22003, err.message);
          throw err;
        }
      },
    },
    {
      method: 'GET', path: '/Queues.json',
      handle: () => ({ status: 200, json: page('queues', `${base}/Queues.json`, core.queues.list().map((q) => queueJson(q, core.accountSid, now()))) }),
    },
    {
      method: 'GET', path: '/Queues/:sid.json',
      handle: ({ params }) => ({ status: 200, json: queueJson(findQueue(core, params.sid!), core.accountSid, now()) }),
    },
    {
      method: 'POST', path: '/Queues/:sid.json', handle: ({ params, body }) => {
        const queue = findQueue(core, params.sid!);
        const name = text(body, 'FriendlyName');
        if (name) queue.name = name;
        queue.maxSize = maxSize(body) ?? queue.maxSize;
        return { status: 200, json: queueJson(queue, core.accountSid, now()) };
      },
    },
    {
      method: 'DELETE', path: '/Queues/:sid.json', handle: ({ params }) => {
        const queue = findQueue(core, params.sid!);
        core.queues.delete(queue.sid);
        core.timeline.add(queue.sid, `queue ${queue.name}`, 'rest', `deleted${queue.members.length ? ` with ${queue.members.length} callers still waiting` : ''}`);
        return { status: 204 };
      },
    },
    ...memberRoutes(core),
  ];
}

/** Members: list, fetch ('Front' = the first caller), and dequeue one caller to a URL. */
function memberRoutes(core: Core): RestRoute[] {
  const now = () => core.clock.now();
  const base = accountPath(core.accountSid);
  return [
    {
      method: 'GET', path: '/Queues/:sid/Members.json', handle: ({ params }) => {
        const queue = findQueue(core, params.sid!);
        const members = queue.members.map((m) => memberJson(m, core.accountSid, now()));
        return { status: 200, json: page('queue_members', `${base}/Queues/${queue.sid}/Members.json`, members) };
      },
    },
    {
      method: 'GET', path: '/Queues/:sid/Members/:callSid.json',
      handle: ({ params }) => ({ status: 200, json: memberJson(findMember(core, params.sid!, params.callSid!), core.accountSid, now()) }),
    },
    {
      method: 'POST', path: '/Queues/:sid/Members/:callSid.json', handle: ({ params, body }) => {
        const member = findMember(core, params.sid!, params.callSid!, 400);
        const url = text(body, 'Url');
        if (!url) throw new RestFailure(400, 20001, 'Missing required parameter Url in the post body');
        const json = memberJson(member, core.accountSid, now());
        core.timeline.add(member.call.sid, member.call.who, 'rest', `dequeued from ${member.queue.name} to ${url}`);
        redirectCall(core, member.call, { url, method: method(body, 'Method') }, 'queue-member');
        return { status: 200, json };
      },
    },
  ];
}

function maxSize(body: FormBody): number | undefined {
  const raw = text(body, 'MaxSize');
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n >= 1 && n <= 5000 ? n : undefined;
}

function findQueue(core: Core, sid: string): QueueRecord {
  const queue = core.queues.get(sid);
  if (!queue) throw new RestFailure(404, 20404, `The requested resource /Queues/${sid}.json was not found`);
  return queue;
}

/**
 * A caller still waiting in the queue ('Front' = the first). One no longer in it is 404 to a fetch, and 400 to a
 * dequeue (Twilio: "only the first request will succeed … a second request will fail and return an appropriate 400").
 */
function findMember(core: Core, queueSid: string, callSid: string, statusWhenGone: 400 | 404 = 404) {
  const queue = findQueue(core, queueSid);
  const member = callSid === 'Front' ? queue.front() : queue.find(callSid);
  if (!member) throw new RestFailure(statusWhenGone, 20404, `The requested resource /Queues/${queueSid}/Members/${callSid}.json was not found`);
  return member;
}
