import { MAX_PAGE_SIZE } from '../../domain/paging';
import type { CallEventType } from '../../domain/types';
import { USER_LIMITS } from '../../domain/user-schema';
import { allNullable, e164 } from './rule-schemas';
import { ref, type SchemaObject } from './types';

/** Users, what calls leave behind (voicemails, callbacks, the call log), pages and the error shape (DESIGN §4). */

const CALL_EVENT_TYPES = [
  'incoming', 'rule', 'step', 'leg-ringing', 'leg-answered', 'leg-accepted', 'leg-declined', 'leg-no-answer', 'leg-busy',
  'leg-failed', 'leg-canceled', 'leg-machine', 'leg-ended', 'connected', 'voicemail', 'voicemail-recorded', 'callback', 'abandoned',
  'deadline', 'unreachable', 'ended', 'unknown-number',
] as const satisfies readonly CallEventType[];
type Unlisted = Exclude<CallEventType, (typeof CALL_EVENT_TYPES)[number]>;
/** Does not compile while a CallEventType is missing above (the error names it). */
const _everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;

const id: SchemaObject = { type: 'string', readOnly: true };
const time: SchemaObject = { type: 'string', format: 'date-time' };
const callSid: SchemaObject = { type: 'string', description: 'the inbound call\'s Twilio CallSid (CA…)' };

const userFields: Record<string, SchemaObject> = {
  name: { type: 'string', minLength: 1, maxLength: USER_LIMITS.nameMax, pattern: '\\S' },
  role: { type: 'string', enum: ['admin', 'user'], default: 'user' },
  numbers: {
    type: 'array', items: e164, maxItems: USER_LIMITS.numbersMax, uniqueItems: true, default: [],
    description: 'the Twilio numbers this user owns; a number belongs to one user at most (409 otherwise)',
  },
  canManageRules: { type: 'boolean', default: false, description: 'may create, change and delete their own rules' },
  email: { type: 'string', format: 'email', maxLength: USER_LIMITS.emailMax },
  notifyUrl: { type: 'string', format: 'uri', maxLength: 2000, description: 'where this user\'s notifications go (else NOTIFY_WEBHOOK_URL); user:password@ is sent as Basic auth. GET /api/me masks the credentials for a user who is not an administrator; a PATCH that sends that masked URL back keeps the stored one' },
};

const serverFields = { id, createdAt: { ...time, readOnly: true }, updatedAt: { ...time, readOnly: true } };
const userRequired = ['id', 'name', 'role', 'numbers', 'canManageRules', 'createdAt', 'updatedAt'];

export const resourceSchemas: Record<string, SchemaObject> = {
  User: { type: 'object', properties: { ...serverFields, ...userFields }, required: userRequired, additionalProperties: false },
  UserInput: {
    type: 'object',
    description: 'id, createdAt and updatedAt may be sent back and are ignored; other unknown fields are 400. null for a field is the field left out.',
    properties: { ...allNullable(userFields), ...serverFields },
    required: ['name'],
    additionalProperties: false,
  },
  UserPatch: {
    type: 'object',
    description: 'Replaces the named fields (numbers as a whole list); null removes one. The result is validated like a create.',
    properties: allNullable({ ...userFields, ...serverFields }),
    additionalProperties: false,
  },
  UserWithToken: {
    type: 'object',
    description: 'The created user and its bearer token: the only time the token is shown.',
    properties: { ...serverFields, ...userFields, token: { type: 'string' } },
    required: [...userRequired, 'token'],
    additionalProperties: false,
  },
  Token: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'], additionalProperties: false },
  NotifyTestResult: {
    type: 'object',
    description: 'What the one test request met: `delivered` (a 2xx), the receiver\'s HTTP `status` when it answered, '
      + 'and otherwise why not (`HTTP 503`, `no answer within 5000 ms`, a network error; never the URL\'s credentials).',
    properties: { delivered: { type: 'boolean' }, status: { type: 'integer' }, reason: { type: 'string' } },
    required: ['delivered'],
    additionalProperties: false,
  },
  Voicemail: {
    type: 'object',
    properties: {
      id: { ...id, description: 'the recording SID (RE…)' }, callSid, userId: { type: 'string' }, ruleId: { type: 'string' },
      from: { type: 'string', description: 'the caller' }, to: { type: 'string', description: 'the business number called' },
      durationSeconds: { type: 'integer', minimum: 0 },
      recordingUrl: { type: 'string', format: 'uri', description: 'Twilio\'s URL (needs the account\'s credentials); play it through /api/voicemails/{id}/audio' },
      transcription: { type: 'string' },
      transcriptionStatus: { type: 'string', enum: ['pending', 'completed', 'failed'] },
      createdAt: time,
    },
    required: ['id', 'callSid', 'userId', 'from', 'to', 'durationSeconds', 'recordingUrl', 'createdAt'],
    additionalProperties: false,
  },
  Callback: {
    type: 'object',
    description: 'A callback number a caller left while on hold (Extend Ring).',
    properties: {
      id, callSid, userId: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      number: { type: 'string', description: 'the digits the caller keyed in' },
      status: { type: 'string', enum: ['open', 'done'] }, createdAt: time, updatedAt: time,
    },
    required: ['id', 'callSid', 'userId', 'from', 'to', 'number', 'status', 'createdAt', 'updatedAt'],
    additionalProperties: false,
  },
  CallbackPatch: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['open', 'done'] } },
    required: ['status'],
    additionalProperties: false,
  },
  CallEvent: {
    type: 'object',
    properties: {
      at: { type: 'integer', description: 'epoch milliseconds' }, type: { type: 'string', enum: [...CALL_EVENT_TYPES] },
      step: { type: 'integer' }, cycle: { type: 'integer' }, destination: { type: 'string' }, legSid: { type: 'string' },
      detail: { type: 'string' },
    },
    required: ['at', 'type'],
    additionalProperties: false,
  },
  Call: {
    type: 'object',
    description: 'One hunt in the call log, with its timeline.',
    properties: {
      callSid, userId: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      ruleId: { type: 'string' }, ruleName: { type: 'string' }, mode: { type: 'string', enum: ['followMe', 'extendRing'] },
      outcome: { type: 'string', description: 'connected, voicemail, callback or missed, once known (a caller who hung up on hold was missed; entries logged by older versions may say abandoned for that)' },
      startedAt: time, endedAt: time, events: { type: 'array', description: 'The timeline, in time order (events of the same millisecond in the order they were logged).', items: ref('CallEvent') },
    },
    required: ['callSid', 'userId', 'from', 'to', 'startedAt', 'events'],
    additionalProperties: false,
  },
  Error: {
    type: 'object',
    description: 'Every failure has this shape.',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string', examples: ['validation_failed', 'unauthorized', 'forbidden', 'not_found', 'number_taken'] },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              properties: { path: { type: 'string', examples: ['steps.0.ringSeconds'] }, message: { type: 'string' } },
              required: ['path', 'message'],
              additionalProperties: false,
            },
          },
        },
        required: ['code', 'message', 'details'],
        additionalProperties: false,
      },
    },
    required: ['error'],
    additionalProperties: false,
  },
};

/** `{ items, page, pageSize, total }` of `item` (a component schema name). */
export function pageSchema(item: string): SchemaObject {
  return {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref(item) },
      page: { type: 'integer', minimum: 1 },
      pageSize: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE },
      total: { type: 'integer', minimum: 0, description: 'every matching item, before paging' },
    },
    required: ['items', 'page', 'pageSize', 'total'],
    additionalProperties: false,
  };
}
