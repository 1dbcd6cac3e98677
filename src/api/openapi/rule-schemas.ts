import {
  CLIENT_IDENTITY_PATTERN, E164_PATTERN, HHMM_PATTERN, RULE_LIMITS, SIP_URI_PATTERN,
} from '../../domain/rule-schema';
import { DAYS } from '../../domain/types';
import { ref, type SchemaObject } from './types';

/** The rule document (DESIGN §4) as JSON Schema, limits and patterns taken from domain/rule-schema. */

const L = RULE_LIMITS;

/** JSON Schema patterns have no flags: SIP_URI_PATTERN's `i` applies to the scheme only (the host class has both cases). */
const SIP_PATTERN = SIP_URI_PATTERN.source.replace(/^\^sips\?:/, '^[Ss][Ii][Pp][Ss]?:');

export const e164: SchemaObject = {
  type: 'string', pattern: E164_PATTERN.source, description: 'E.164: + then 7 to 15 digits, no leading 0', examples: ['+15551230001'],
};

const httpUrl: SchemaObject = { type: 'string', format: 'uri', maxLength: 2000, description: 'an http(s) URL' };
const nonBlank = (maxLength: number, description: string): SchemaObject => ({
  type: 'string', minLength: 1, maxLength, pattern: '\\S', description,
});
const label = nonBlank(L.labelMax, 'shown in the panel and the call log');

function destination(type: 'number' | 'client' | 'sip', to: SchemaObject): SchemaObject {
  return {
    type: 'object',
    properties: { type: { const: type }, to, label },
    required: ['type', 'to'],
    additionalProperties: false,
  };
}

export const ruleComponentSchemas: Record<string, SchemaObject> = {
  Destination: {
    description: 'A phone number, a Twilio Client identity or a SIP URI.',
    oneOf: [
      destination('number', e164),
      destination('client', { type: 'string', pattern: CLIENT_IDENTITY_PATTERN.source, description: 'letters, digits, _ . - (≤ 100)' }),
      destination('sip', { type: 'string', maxLength: 255, pattern: SIP_PATTERN, description: 'a sip: or sips: URI; stored with its scheme and host in lower case (SIP compares them case-insensitively)' }),
    ],
  },
  Step: {
    type: 'object',
    description: 'Destinations that ring at the same time, for ringSeconds.',
    properties: {
      destinations: { type: 'array', items: ref('Destination'), minItems: 1, maxItems: L.destinationsMax },
      ringSeconds: { type: 'integer', minimum: L.ringSecondsMin, maximum: L.ringSecondsMax, default: L.ringSecondsDefault },
    },
    required: ['destinations'],
    additionalProperties: false,
  },
  ScheduleWindow: {
    type: 'object',
    description: '`from` inclusive, `to` exclusive; from = to is the whole day; a window crossing midnight belongs to its start day.',
    properties: {
      days: { type: 'array', items: { type: 'string', enum: [...DAYS] }, minItems: 1, uniqueItems: true },
      from: { type: 'string', pattern: HHMM_PATTERN.source, examples: ['09:00'] },
      to: { type: 'string', pattern: HHMM_PATTERN.source, examples: ['17:00'] },
    },
    required: ['days', 'from', 'to'],
    additionalProperties: false,
  },
  Schedule: {
    type: 'object',
    description: 'When the rule applies; no schedule = always.',
    properties: {
      timezone: { type: 'string', maxLength: 100, description: 'an IANA time zone', examples: ['America/New_York'] },
      windows: { type: 'array', items: ref('ScheduleWindow'), minItems: 1, maxItems: L.windowsMax },
    },
    required: ['timezone', 'windows'],
    additionalProperties: false,
  },
  VoicemailSettings: {
    type: 'object',
    properties: {
      greeting: { type: 'string', minLength: 1, maxLength: L.greetingMax, description: 'text to speak, or an https URL of audio to play (not on the host of PUBLIC_BASE_URL)' },
      maxLengthSeconds: {
        type: 'integer', minimum: L.voicemailLengthMin, maximum: L.voicemailLengthMax, default: L.voicemailLengthDefault,
      },
      transcribe: { type: 'boolean', default: false },
    },
    additionalProperties: false,
  },
};

/** The fields a client sets (POST/PUT body, and what PATCH may name). */
const ruleFields: Record<string, SchemaObject> = {
  userId: { type: 'string', minLength: 1, maxLength: 100, description: 'the owner; administrators must give it, everyone else owns what they write' },
  name: nonBlank(L.nameMax, 'the rule\'s name'),
  enabled: { type: 'boolean', default: true },
  priority: { type: 'integer', minimum: L.priorityMin, maximum: L.priorityMax, default: 0, description: 'lowest wins among matching rules' },
  mode: { type: 'string', enum: ['followMe', 'extendRing'] },
  steps: { type: 'array', items: ref('Step'), minItems: 1, maxItems: L.stepsMax },
  schedule: ref('Schedule'),
  confirm: { type: 'boolean', default: false, description: 'Follow Me: an answered leg must press 1 (Extend Ring always confirms)' },
  callerId: { type: 'string', enum: ['caller', 'called'], default: 'caller' },
  maxHoldMinutes: {
    type: 'integer', minimum: L.maxHoldMinutesMin, maximum: L.maxHoldMinutesMax, default: L.maxHoldMinutesDefault,
    description: 'Extend Ring: the caller goes to voicemail after holding this long',
  },
  holdMusicUrl: { ...httpUrl, description: 'Extend Ring: hold music (default DEFAULT_HOLD_MUSIC_URL); not on the host of PUBLIC_BASE_URL' },
  holdAnnouncement: nonBlank(L.holdAnnouncementMax, 'Extend Ring: spoken between plays of the hold music'),
  detectVoicemail: { type: 'boolean', default: false, description: 'Extend Ring: a leg answered by a machine counts as not answered' },
  voicemail: ref('VoicemailSettings'),
};

const serverFields: Record<string, SchemaObject> = {
  id: { type: 'string', readOnly: true },
  createdAt: { type: 'string', format: 'date-time', readOnly: true },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true },
};

const nullable = (schema: SchemaObject): SchemaObject => ({ oneOf: [schema, { type: 'null' }] });
/** Every field may also be null (the field left out). */
export const allNullable = (fields: Record<string, SchemaObject>): Record<string, SchemaObject> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, nullable(v)]));

export const ruleSchemas: Record<string, SchemaObject> = {
  ...ruleComponentSchemas,
  RuleInput: {
    type: 'object',
    description: 'A rule as created or replaced. id, createdAt and updatedAt may be sent back and are ignored; other unknown fields are 400. '
      + 'null for a top-level field is the field left out (schedule null: no schedule; a field with a default takes it), as in a PATCH.',
    properties: { ...allNullable(ruleFields), ...serverFields },
    required: ['name', 'mode', 'steps'],
    additionalProperties: false,
  },
  RulePatch: {
    type: 'object',
    description: 'Replaces the named top-level fields (a nested object whole); null removes a field (back to its default). The result is validated like a PUT.',
    properties: allNullable({ ...ruleFields, ...serverFields }),
    additionalProperties: false,
  },
  Rule: {
    type: 'object',
    properties: { ...serverFields, ...ruleFields },
    required: [
      'id', 'userId', 'name', 'enabled', 'priority', 'mode', 'steps', 'confirm', 'callerId', 'maxHoldMinutes', 'voicemail',
      'createdAt', 'updatedAt',
    ],
    additionalProperties: false,
  },
};
