import { DEFAULT_RETRY_POLICY } from '../../notify/notifier';
import { NotifyHeader } from '../../notify/signature';
import { ref, type PathItemObject, type SchemaObject } from './types';

/** The notification webhook this app POSTs (src/notify): the event shapes and the signature headers. */

const str: SchemaObject = { type: 'string' };
const time: SchemaObject = { type: 'string', format: 'date-time' };

function event(type: string, detailsKey: string, details: SchemaObject): SchemaObject {
  return {
    type: 'object',
    properties: {
      type: { const: type },
      id: { type: 'string', description: 'stable for one occurrence: the same on every retry (also sent as X-Notify-Event-Id)' },
      occurredAt: time,
      user: { type: 'object', properties: { id: str, name: str }, required: ['id', 'name'] },
      call: { type: 'object', properties: { callSid: str, from: str, to: str }, required: ['callSid', 'from', 'to'] },
      [detailsKey]: details,
    },
    required: ['type', 'id', 'occurredAt', 'user', 'call', detailsKey],
  };
}

const voicemailDetails = {
  id: str, durationSeconds: { type: 'integer' }, recordingUrl: str,
  audioUrl: { type: 'string', description: 'GET it with the owner\'s or an administrator\'s bearer token' },
  ruleId: str,
} satisfies Record<string, SchemaObject>;
const transcription: SchemaObject = { type: 'string', description: 'the text, when transcriptionStatus is `completed`' };

export const notificationSchemas: Record<string, SchemaObject> = {
  VoicemailNotification: event('voicemail', 'voicemail', {
    type: 'object',
    properties: {
      ...voicemailDetails,
      transcriptionStatus: {
        type: 'string', enum: ['pending', 'completed', 'failed'],
        description: 'with a transcribing rule: usually `pending` (Twilio transcribes after the recording; a `voicemail-transcribed` event follows with the result); '
          + '`completed` or `failed` when the result came before this event was built (then no `voicemail-transcribed` event follows), or in a retry built after it came',
      },
      transcription,
    },
    required: ['id', 'durationSeconds', 'recordingUrl', 'audioUrl'],
  }),
  VoicemailTranscribedNotification: {
    ...event('voicemail-transcribed', 'voicemail', {
      type: 'object',
      properties: { ...voicemailDetails, transcriptionStatus: { type: 'string', enum: ['completed', 'failed'] }, transcription },
      required: ['id', 'durationSeconds', 'recordingUrl', 'audioUrl', 'transcriptionStatus'],
    }),
    description: 'Twilio\'s transcription of a voicemail announced as `pending`: the same `user`, `call` and `voicemail` fields (and `occurredAt`, the voicemail\'s), '
      + 'with the result. Once per voicemail (its own `id`, kept by retries); it may reach the receiver before the `voicemail` event while that one is retried. '
      + 'A receiver that does not use it answers 2xx and ignores it.',
  },
  TestNotification: {
    type: 'object',
    description: 'Sent only by POST /api/users/{id}/notify-test, once, never retried; no call. Answer 2xx and ignore it.',
    properties: {
      type: { const: 'test' },
      id: { type: 'string', description: 'new for every test' },
      occurredAt: time,
      user: { type: 'object', properties: { id: str, name: str }, required: ['id', 'name'] },
    },
    required: ['type', 'id', 'occurredAt', 'user'],
  },
  CallbackNotification: event('callback', 'callback', {
    type: 'object',
    properties: { id: str, number: str, status: { type: 'string', enum: ['open', 'done'] } },
    required: ['id', 'number', 'status'],
  }),
  MissedCallNotification: event('missed-call', 'missedCall', {
    type: 'object',
    properties: {
      outcome: {
        type: 'string', enum: ['missed'],
        description: 'Always `missed`: nobody took the call (the caller hung up while phones rang, on hold, or in the voicemail greeting)',
      },
      startedAt: time, endedAt: time,
      ruleId: str, ruleName: str, mode: { type: 'string', enum: ['followMe', 'extendRing'] },
    },
    required: ['outcome', 'startedAt'],
  }),
  NotificationEvent: {
    oneOf: [
      ref('VoicemailNotification'), ref('VoicemailTranscribedNotification'), ref('CallbackNotification'),
      ref('MissedCallNotification'), ref('TestNotification'),
    ],
    description: 'Told apart by `type`. More types may be added: a receiver answers 2xx to a type it does not know and ignores it.',
  },
};

const header = (name: string, description: string, required = true) => ({ name, in: 'header' as const, required, description, schema: str });

export const webhooks: Record<string, PathItemObject> = {
  notification: {
    post: {
      operationId: 'notification',
      summary: 'A voicemail was left (or its transcription came), a callback number was left, or a call was missed',
      description: 'POSTed to the owner\'s notifyUrl, else NOTIFY_WEBHOOK_URL. Answer 2xx within 5 s. Network errors, 5xx, 429 and 408 are '
        + `retried (${DEFAULT_RETRY_POLICY.maxAttempts} attempts over about 4 hours: after 1, 2, 4 … s, each wait twice the last and at most 1 h; `
        + 'delivery is at least once: repeats carry the same X-Notify-Event-Id); other statuses are not. Verify the signature with '
        + 'verifyNotificationSignature (src/notify) or as HMAC-SHA256(secret, `${X-Notify-Timestamp}.${raw body}`) over the raw body bytes, '
        + 'and refuse a timestamp more than about 5 minutes from your clock (each retry is signed afresh).',
      tags: ['notifications'],
      parameters: [
        header(NotifyHeader.Signature, '`sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` with NOTIFY_SIGNING_SECRET; absent without a secret', false),
        header(NotifyHeader.Timestamp, 'Unix seconds when this attempt was sent (signed)'),
        header(NotifyHeader.EventId, 'the event id; the same on every retry'),
      ],
      requestBody: { required: true, content: { 'application/json': { schema: ref('NotificationEvent') } } },
      responses: { 200: { description: 'any 2xx: received' } },
    },
  },
};
