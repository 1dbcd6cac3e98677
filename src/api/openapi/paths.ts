import { CALL_SORTING, CALLBACK_SORTING, RULE_SORTING, USER_SORTING, VOICEMAIL_SORTING } from '../../domain/paging';
import { json, listOperation, noContent, operation, param } from './operations';
import type { PathItemObject } from './types';

/** Every path of the management API (DESIGN §4), as mounted by api/router.ts. */

const id = [param('id')];

const IF_MATCH = 'Optional `If-Match`: the `ETag` of the rule as read (every rule answer carries one): if the rule was changed '
  + 'since, nothing is saved and the answer is 412.';

export const paths: Record<string, PathItemObject> = {
  '/api/openapi.json': {
    get: operation({
      id: 'getOpenApi', summary: 'This document', tag: 'meta', public: true,
      responses: { 200: json('the OpenAPI 3.1 document of the management API', { type: 'object' }) },
    }),
  },
  '/api/me': {
    get: operation({
      id: 'getMe', summary: 'The caller\'s own user', tag: 'users', responses: { 200: json('the caller', 'User') },
      description: 'For a user who is not an administrator, credentials in notifyUrl are masked: the password as *** '
        + '(https://user:***@host/path), a user name given without a password as ***. Administrators read the URL whole.',
    }),
  },
  '/api/users': {
    get: listOperation({
      id: 'listUsers', summary: 'List users (administrators)', tag: 'users', item: 'User', sorting: USER_SORTING, filters: ['q'],
      description: 'q searches name, email and numbers.',
    }),
    post: operation({
      id: 'createUser', summary: 'Create a user (administrators)', tag: 'users', body: 'UserInput',
      responses: { 201: json('the user and its bearer token (shown this once)', 'UserWithToken') }, errors: [400, 403, 409],
    }),
  },
  '/api/users/{id}': {
    get: operation({ id: 'getUser', summary: 'Read a user (administrators)', tag: 'users', parameters: id, responses: { 200: json('the user', 'User') }, errors: [403, 404] }),
    patch: operation({
      id: 'patchUser', summary: 'Change a user (administrators), e.g. grant canManageRules', tag: 'users', parameters: id, body: 'UserPatch',
      responses: { 200: json('the changed user', 'User') }, errors: [400, 403, 404, 409],
    }),
    delete: operation({
      id: 'deleteUser', summary: 'Delete a user and their rules (administrators)', tag: 'users', parameters: id,
      responses: { 204: noContent }, errors: [403, 404],
    }),
  },
  '/api/users/{id}/token': {
    post: operation({
      id: 'rotateUserToken', summary: 'Give a user a new token; the old one stops working (administrators)', tag: 'users', parameters: id,
      responses: { 200: json('the new token (shown this once)', 'Token') }, errors: [403, 404, 409],
    }),
  },
  '/api/users/{id}/notify-test': {
    post: operation({
      id: 'sendTestNotification', summary: 'Send one test notification to the user\'s receiver (administrators)', tag: 'users', parameters: id,
      description: 'POSTs one signed `test` event (see the `notification` webhook) to the user\'s notifyUrl, else NOTIFY_WEBHOOK_URL, now, '
        + 'once, never retried, waiting at most the notifier\'s request timeout (5 s), and answers with what happened. 409 `no_receiver` when '
        + 'the user has no notifyUrl and NOTIFY_WEBHOOK_URL is not set; 409 `notify_test_in_progress` while a test of this user is still waiting for its answer (on the same app instance).',
      responses: { 200: json('what the receiver did', 'NotifyTestResult') }, errors: [403, 404, 409],
    }),
  },
  '/api/rules': {
    get: listOperation({
      id: 'listRules', summary: 'List rules (administrators: all; users: their own)', tag: 'rules', item: 'Rule',
      sorting: RULE_SORTING, filters: ['userId', 'q'],
      description: 'q searches the name and every destination\'s label and target.',
    }),
    post: operation({
      id: 'createRule', summary: 'Create a rule', tag: 'rules', body: 'RuleInput',
      description: 'Administrators must give userId; a user with canManageRules owns what they create.',
      responses: { 201: json('the stored rule', 'Rule') }, errors: [400, 403],
    }),
  },
  '/api/rules/{id}': {
    get: operation({ id: 'getRule', summary: 'Read a rule', tag: 'rules', parameters: id, responses: { 200: json('the rule', 'Rule') }, errors: [404] }),
    put: operation({
      id: 'replaceRule', summary: 'Replace a rule', tag: 'rules', parameters: id, body: 'RuleInput',
      description: IF_MATCH,
      responses: { 200: json('the stored rule', 'Rule') }, errors: [400, 403, 404, 409, 412],
    }),
    patch: operation({
      id: 'patchRule', summary: 'Change some fields of a rule (e.g. { "enabled": false })', tag: 'rules', parameters: id, body: 'RulePatch',
      description: IF_MATCH,
      responses: { 200: json('the stored rule', 'Rule') }, errors: [400, 403, 404, 409, 412],
    }),
    delete: operation({ id: 'deleteRule', summary: 'Delete a rule', tag: 'rules', parameters: id, responses: { 204: noContent }, errors: [403, 404] }),
  },
  '/api/voicemails': {
    get: listOperation({
      id: 'listVoicemails', summary: 'List voicemails (own, or all for administrators)', tag: 'voicemails', item: 'Voicemail',
      sorting: VOICEMAIL_SORTING, filters: ['userId', 'q'],
    }),
  },
  '/api/voicemails/{id}': {
    get: operation({ id: 'getVoicemail', summary: 'Read a voicemail', tag: 'voicemails', parameters: id, responses: { 200: json('the voicemail', 'Voicemail') }, errors: [404] }),
    delete: operation({ id: 'deleteVoicemail', summary: 'Delete a voicemail', tag: 'voicemails', parameters: id, responses: { 204: noContent }, errors: [404] }),
  },
  '/api/voicemails/{id}/audio': {
    get: operation({
      id: 'getVoicemailAudio', summary: 'Listen to a voicemail', tag: 'voicemails', parameters: id,
      description: 'The recording\'s MP3, streamed from Twilio with the account\'s credentials. 503 when TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN are not configured.',
      responses: {
        200: { description: 'the audio', content: { 'audio/mpeg': { schema: { type: 'string', contentMediaType: 'audio/mpeg' } } } },
        502: { description: 'Twilio did not hand out the recording', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      errors: [404],
    }),
  },
  '/api/callbacks': {
    get: listOperation({
      id: 'listCallbacks', summary: 'List callback numbers callers left (own, or all for administrators)', tag: 'callbacks',
      item: 'Callback', sorting: CALLBACK_SORTING, filters: ['userId', 'q'],
    }),
  },
  '/api/callbacks/{id}': {
    get: operation({ id: 'getCallback', summary: 'Read a callback request', tag: 'callbacks', parameters: id, responses: { 200: json('the callback request', 'Callback') }, errors: [404] }),
    patch: operation({
      id: 'patchCallback', summary: 'Mark a callback request done (or open again)', tag: 'callbacks', parameters: id, body: 'CallbackPatch',
      responses: { 200: json('the callback request', 'Callback') }, errors: [400, 404],
    }),
  },
  '/api/calls': {
    get: listOperation({
      id: 'listCalls', summary: 'The call log: recent hunts with their timeline (own, or all for administrators)', tag: 'calls',
      item: 'Call', sorting: CALL_SORTING, filters: ['userId', 'q'],
    }),
  },
  '/api/calls/{callSid}': {
    get: operation({
      id: 'getCall', summary: 'One call of the log', tag: 'calls',
      parameters: [{ name: 'callSid', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: json('the call and its timeline', 'Call') }, errors: [404],
    }),
  },
};
