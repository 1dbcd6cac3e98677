import type { SimCall } from '../call';
import type { QueueMember, QueueRecord } from '../queues';

/** A REST request Twilio would refuse: becomes `{ code, message, more_info, status }` (a RestException client-side). */
export class RestFailure extends Error {
  constructor(readonly status: number, readonly code: number, message: string) {
    super(message);
    this.name = 'RestFailure';
  }
}

export function errorBody(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** RFC 2822 dates, as the 2010-04-01 API writes them. */
export function rfc2822(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toUTCString().replace('GMT', '+0000');
}

export function accountPath(accountSid: string): string {
  return `/2010-04-01/Accounts/${accountSid}`;
}

export function callJson(call: SimCall, now: number): Record<string, unknown> {
  const base = accountPath(call.accountSid);
  return {
    sid: call.sid,
    account_sid: call.accountSid,
    parent_call_sid: call.parentSid ?? null,
    to: call.to,
    to_formatted: call.to,
    from: call.from,
    from_formatted: call.from,
    status: call.status,
    direction: call.direction,
    start_time: rfc2822(call.answeredAt ?? call.startedAt),
    end_time: rfc2822(call.endedAt),
    duration: call.ended ? String(call.durationSeconds) : null,
    answered_by: null,
    api_version: '2010-04-01',
    caller_name: null,
    forwarded_from: null,
    group_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    trunk_sid: null,
    date_created: rfc2822(call.createdAt),
    date_updated: rfc2822(now),
    uri: `${base}/Calls/${call.sid}.json`,
    subresource_uris: {
      recordings: `${base}/Calls/${call.sid}/Recordings.json`,
      notifications: `${base}/Calls/${call.sid}/Notifications.json`,
    },
  };
}

export function queueJson(queue: QueueRecord, accountSid: string, now: number): Record<string, unknown> {
  return {
    sid: queue.sid,
    account_sid: accountSid,
    friendly_name: queue.name,
    current_size: queue.members.length,
    max_size: queue.maxSize,
    average_wait_time: queue.averageWaitS,
    date_created: rfc2822(queue.createdAt),
    date_updated: rfc2822(now),
    uri: `${accountPath(accountSid)}/Queues/${queue.sid}.json`,
    subresource_uris: { members: `${accountPath(accountSid)}/Queues/${queue.sid}/Members.json` },
  };
}

export function memberJson(member: QueueMember, accountSid: string, now: number): Record<string, unknown> {
  return {
    call_sid: member.call.sid,
    queue_sid: member.queue.sid,
    date_enqueued: rfc2822(member.enqueuedAt),
    position: Math.max(1, member.queue.position(member)),
    wait_time: Math.floor((now - member.enqueuedAt) / 1000),
    uri: `${accountPath(accountSid)}/Queues/${member.queue.sid}/Members/${member.call.sid}.json`,
  };
}

/** A one-page list in the 2010-04-01 paging format the `twilio` client reads. */
export function page(key: string, uri: string, items: unknown[]): Record<string, unknown> {
  return {
    [key]: items,
    uri,
    first_page_uri: uri,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: Math.max(50, items.length),
    start: 0,
    end: Math.max(0, items.length - 1),
  };
}
