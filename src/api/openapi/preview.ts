import { OUTCOME_KINDS } from '../../preview/outcome';
import { BEHAVIOUR_KINDS, MAX_AFTER_SECONDS, TIMED_KINDS } from '../../preview/request';
import { json, operation, param } from './operations';
import { ref, type PathItemObject, type ResponseObject, type SchemaObject } from './types';

/** The rule previews (src/preview, the admin panel's "Test this rule"): one emulated call through the rule. */

const UNTIMED_KINDS = BEHAVIOUR_KINDS.filter((k) => !TIMED_KINDS.includes(k));

export const previewSchemas: Record<string, SchemaObject> = {
  PreviewBehaviour: {
    description: 'What a destination does when it rings: rings out, is busy; or after `after` seconds of ringing answers '
      + '(pressing 1 where a whisper asks), its carrier voicemail picks up, or a person answers and presses 2.',
    oneOf: [
      { type: 'object', properties: { kind: { type: 'string', enum: UNTIMED_KINDS } }, required: ['kind'], additionalProperties: false },
      {
        type: 'object',
        properties: { kind: { type: 'string', enum: [...TIMED_KINDS] }, after: { type: 'number', minimum: 0, maximum: MAX_AFTER_SECONDS } },
        required: ['kind', 'after'],
        additionalProperties: false,
      },
    ],
  },
  PreviewDestinations: {
    type: 'object',
    description: 'Behaviours keyed by a destination\'s `to` (each must be a destination of the rule); unlisted destinations ring out.',
    additionalProperties: ref('PreviewBehaviour'),
  },
  SavedRulePreview: {
    type: 'object', properties: { destinations: ref('PreviewDestinations') }, additionalProperties: false,
  },
  UnsavedRulePreview: {
    type: 'object',
    properties: { rule: ref('RuleInput'), destinations: ref('PreviewDestinations') },
    required: ['rule'],
    additionalProperties: false,
  },
  PreviewResult: {
    type: 'object',
    description: 'The call as the Twilio emulator played it against this app\'s call flows, in an isolated world: nothing real is called, stored or notified.',
    properties: {
      events: {
        type: 'array',
        items: {
          type: 'object', properties: { at: { type: 'number', minimum: 0, description: 'seconds since the caller dialled' }, text: { type: 'string' } },
          required: ['at', 'text'], additionalProperties: false,
        },
      },
      outcome: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: [...OUTCOME_KINDS] },
          to: { type: 'string', description: 'connected: the `to` of the destination the caller was connected to' },
          atSeconds: { type: 'number', minimum: 0, description: 'when the caller got there' },
        },
        required: ['kind', 'atSeconds'],
        additionalProperties: false,
      },
      notes: { type: 'array', items: { type: 'string' }, description: 'how the preview differs from a real call (schedule ignored, …)' },
    },
    required: ['events', 'outcome', 'notes'],
    additionalProperties: false,
  },
};

const error = (description: string): ResponseObject => json(description, 'Error');
const result = {
  200: json('the call as it played out', 'PreviewResult'),
  429: error('a preview of yours is still running (preview_running), or too many previews are running in this instance (too_many_previews); Retry-After: 1'),
  504: error('the preview took too long and was stopped'),
};

export const previewPaths: Record<string, PathItemObject> = {
  '/api/rules/preview': {
    post: operation({
      id: 'previewUnsavedRule', summary: 'Play a call through a rule body (not stored)', tag: 'rules', body: 'UnsavedRulePreview',
      description: 'Any authenticated user. The rule is validated like POST /api/rules (problems under rule.); its owner is the caller '
        + 'unless an administrator names rule.userId. The schedule is ignored.',
      responses: result, errors: [400, 403],
    }),
  },
  '/api/rules/{id}/preview': {
    post: operation({
      id: 'previewRule', summary: 'Play a call through a stored rule', tag: 'rules', parameters: [param('id')], body: 'SavedRulePreview',
      description: 'Whoever may read the rule may preview it. The schedule is ignored.',
      responses: result, errors: [400, 404],
    }),
  },
};
