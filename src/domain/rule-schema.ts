import Joi from 'joi';
import { DAYS, type RuleInput } from './types';

/**
 * The rule document (DESIGN §4 "The rule document"): every limit and default, as a joi schema.
 * Bodies are validated with `RULE_VALIDATION_OPTIONS` (no type coercion: JSON types must match;
 * every problem reported, not just the first). Server-assigned fields (id, createdAt, updatedAt)
 * are accepted and dropped, so a client can send back what it read; anything else unknown is rejected.
 */

export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;
export const CLIENT_IDENTITY_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
/** `sip:` or `sips:`, optional user@, a host, optional ;params / ?headers; no whitespace. */
export const SIP_URI_PATTERN = /^sips?:(?:[^\s@:;?]+(?::[^\s@;?]*)?@)?[A-Za-z0-9.[\]:-]+(?:[;?]\S*)?$/i;
export const HHMM_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
/** A SIP URI's parts, as SIP_URI_PATTERN has them: scheme, `user[:password]@`, host[:port], `;params?headers`. */
const SIP_URI_PARTS = /^(sips?):([^\s@;?]+@)?([A-Za-z0-9.[\]:-]+)(.*)$/i;

/**
 * A SIP URI as stored and compared: the scheme and the host in lower case, since SIP compares them case-insensitively
 * (RFC 3261 §19.1.4: `SIP:alice@Example.com` is `sip:alice@example.com`); the user part, which is case-sensitive, and
 * the parameters as given. Anything else is returned unchanged.
 */
export function normalizeSipUri(uri: string): string {
  const parts = SIP_URI_PARTS.exec(uri);
  if (!parts) return uri;
  const [, scheme = '', user = '', host = '', rest = ''] = parts;
  return `${scheme.toLowerCase()}:${user}${host.toLowerCase()}${rest}`;
}

export const RULE_LIMITS = Object.freeze({
  nameMax: 100,
  stepsMax: 20,
  destinationsMax: 10,
  ringSecondsMin: 5,
  ringSecondsMax: 600,
  ringSecondsDefault: 30,
  labelMax: 50,
  windowsMax: 20,
  maxHoldMinutesMin: 1,
  maxHoldMinutesMax: 60,
  maxHoldMinutesDefault: 10,
  holdAnnouncementMax: 500,
  greetingMax: 1000,
  voicemailLengthMin: 5,
  voicemailLengthMax: 600,
  voicemailLengthDefault: 120,
  priorityMin: -1000,
  priorityMax: 1000,
});

export const RULE_VALIDATION_OPTIONS: Joi.ValidationOptions = Object.freeze({
  abortEarly: false,
  convert: false,
  // Joi's own text says "at least 1 items"
  messages: { 'array.min': '{{#label}} must contain at least {{#limit}} {if(#limit == 1, "item", "items")}' },
});

/** True when a voicemail greeting is an audio URL to play rather than text to speak. */
export function isAudioUrl(greeting: string): boolean {
  return /^https:\/\//i.test(greeting);
}

/** True when `Intl` knows the IANA time zone (case-insensitively, aliases included). */
export function isKnownTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

/**
 * Characters XML 1.0 does not allow (C0 controls other than tab and line breaks, U+FFFE, U+FFFF, a surrogate without
 * its pair): the TwiML builder refuses them, so a text that is spoken (or could be) must not hold any.
 */
const NOT_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A text that can go into TwiML: refused, naming the field, when it holds a character XML does not allow. */
export function speakable(schema: Joi.StringSchema): Joi.StringSchema {
  return schema
    .custom((value: string, helpers) => (NOT_IN_XML.test(value) ? helpers.error('string.unspeakable') : value))
    .messages({ 'string.unspeakable': '{{#label}} must not contain control characters or broken Unicode' });
}

/**
 * At most `max` characters, counted as code points: an emoji or a letter outside the Basic Multilingual Plane is one
 * (Joi's max() counts UTF-16 units, which makes it two).
 */
export function maxCharacters(schema: Joi.StringSchema, max: number): Joi.StringSchema {
  return schema.custom((value: string, helpers) => (codePoints(value) > max ? helpers.error('string.max', { limit: max }) : value));
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

/** Something visible: a character that is neither white space nor an invisible format character (zero-width space, BOM…). */
export const VISIBLE = /[^\s\p{Cf}]/u;

const nonBlank = (max: number) =>
  maxCharacters(speakable(Joi.string().min(1).pattern(VISIBLE).messages({ 'string.pattern.base': '{{#label}} must not be blank' })), max);

const httpUrl = Joi.string().max(2000).uri({ scheme: ['http', 'https'] }).messages({
  'string.uri': '{{#label}} must be an http(s) URL',
  'string.uriCustomScheme': '{{#label}} must be an http(s) URL',
});

export const e164Number = Joi.string()
  .pattern(E164_PATTERN)
  .messages({ 'string.pattern.base': '{{#label}} must be an E.164 number: + then 7 to 15 digits, no leading 0' });

const destinationSchema = Joi.object({
  type: Joi.string().valid('number', 'client', 'sip').required(),
  to: Joi.string()
    .required()
    .when('type', {
      switch: [
        { is: 'number', then: e164Number },
        {
          is: 'client',
          then: Joi.string().pattern(CLIENT_IDENTITY_PATTERN).messages({
            'string.pattern.base': '{{#label}} must be a client identity of 1 to 100 letters, digits, _ . -',
          }),
        },
        {
          is: 'sip',
          then: Joi.string().max(255).pattern(SIP_URI_PATTERN).custom((value: string) => normalizeSipUri(value)).messages({
            'string.pattern.base': '{{#label}} must be a sip: or sips: URI',
          }),
        },
      ],
    }),
  label: nonBlank(RULE_LIMITS.labelMax),
});

const stepSchema = Joi.object({
  destinations: Joi.array().items(destinationSchema).min(1).max(RULE_LIMITS.destinationsMax)
    .unique((a: { type?: unknown; to?: unknown }, b: { type?: unknown; to?: unknown }) => a.type === b.type && a.to === b.to)
    .required()
    .messages({ 'array.unique': '{{#label}} rings the same destination as another of this step' }),
  ringSeconds: Joi.number()
    .integer()
    .min(RULE_LIMITS.ringSecondsMin)
    .max(RULE_LIMITS.ringSecondsMax)
    .default(RULE_LIMITS.ringSecondsDefault),
});

const hhmm = Joi.string().pattern(HHMM_PATTERN).required().messages({
  'string.pattern.base': '{{#label}} must be a time HH:MM between 00:00 and 23:59',
});

/** `to` of a window: "24:00", the way many write "until midnight", is told how to say it. */
const windowEnd = Joi.string().required()
  .custom((value: string, helpers) => (HHMM_PATTERN.test(value) ? value : helpers.error(value === '24:00' ? 'time.midnight' : 'time.hhmm')))
  .messages({
    'time.hhmm': '{{#label}} must be a time HH:MM between 00:00 and 23:59',
    'time.midnight': '{{#label}} must be a time HH:MM between 00:00 and 23:59: to run until midnight, end the window at 00:00',
  });

const windowSchema = Joi.object({
  days: Joi.array()
    .items(Joi.string().valid(...DAYS))
    .min(1)
    .unique()
    .required(),
  from: hhmm,
  to: windowEnd,
});

let zoneSpellings: Map<string, string> | undefined;

/**
 * A known time zone as the IANA database spells it ("europe/paris" → "Europe/Paris", "utc" → "UTC"), so that a rule
 * reads back, lists and shows in the panel's zone list the way it will be matched; an alias (US/Eastern) stays as given.
 */
export function timeZoneSpelling(zone: string): string {
  zoneSpellings ??= new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => [z.toLowerCase(), z]));
  return zoneSpellings.get(zone.toLowerCase()) ?? zone;
}

const timeZone = Joi.string()
  .max(100)
  .required()
  .custom((value: string, helpers) => (isKnownTimeZone(value) ? timeZoneSpelling(value) : helpers.error('timezone.unknown')))
  .messages({ 'timezone.unknown': '{{#label}} must be an IANA time zone such as America/New_York' });

const scheduleSchema = Joi.object({
  timezone: timeZone,
  windows: Joi.array().items(windowSchema).min(1).max(RULE_LIMITS.windowsMax).required(),
});

const greeting = maxCharacters(speakable(Joi.string()).min(1), RULE_LIMITS.greetingMax)
  .custom((value: string, helpers) => {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
    const url = safeUrl(value);
    return url?.protocol === 'https:' && url.hostname ? value : helpers.error('greeting.url');
  })
  .messages({ 'greeting.url': '{{#label}} must be text to speak or an https URL of audio' });

const voicemailSchema = Joi.object({
  greeting,
  maxLengthSeconds: Joi.number()
    .integer()
    .min(RULE_LIMITS.voicemailLengthMin)
    .max(RULE_LIMITS.voicemailLengthMax)
    .default(RULE_LIMITS.voicemailLengthDefault),
  transcribe: Joi.boolean().default(false),
});

const serverAssigned = { id: Joi.any().strip(), createdAt: Joi.any().strip(), updatedAt: Joi.any().strip() };

/**
 * A top-level `null` is the field left out, in every body (POST, PUT, as in PATCH): an optional field is then absent
 * (`"schedule": null` = no schedule), one with a default takes it, a required one is "required". Nested nulls stay 400.
 */
export function nullMeansAbsent(keys: Record<string, Joi.Schema>): Record<string, Joi.Schema> {
  return Object.fromEntries(Object.entries(keys).map(([key, schema]) => [key, schema.empty(null)]));
}

/**
 * A rule body as clients send it (POST, PUT, and the merged result of PATCH). `userId` is optional
 * here: who may omit or set it is a permission question the API answers (see api/rules).
 */
export const ruleBodySchema = Joi.object(nullMeansAbsent({
  ...serverAssigned,
  userId: Joi.string().min(1).max(100),
  name: nonBlank(RULE_LIMITS.nameMax).required(),
  enabled: Joi.boolean().default(true),
  priority: Joi.number().integer().min(RULE_LIMITS.priorityMin).max(RULE_LIMITS.priorityMax).default(0),
  mode: Joi.string().valid('followMe', 'extendRing').required(),
  steps: Joi.array().items(stepSchema).min(1).max(RULE_LIMITS.stepsMax).required(),
  schedule: scheduleSchema,
  confirm: Joi.boolean().default(false),
  callerId: Joi.string().valid('caller', 'called').default('caller'),
  maxHoldMinutes: Joi.number()
    .integer()
    .min(RULE_LIMITS.maxHoldMinutesMin)
    .max(RULE_LIMITS.maxHoldMinutesMax)
    .default(RULE_LIMITS.maxHoldMinutesDefault),
  holdMusicUrl: httpUrl,
  holdAnnouncement: nonBlank(RULE_LIMITS.holdAnnouncementMax),
  detectVoicemail: Joi.boolean().default(false),
  voicemail: voicemailSchema.default(),
}));

/** A complete rule input (userId required), e.g. for rules built in code or by the emulator. */
export const ruleInputSchema = ruleBodySchema.keys(nullMeansAbsent({ userId: Joi.string().min(1).max(100).required() }));

/** A rule body after validation: defaults applied, server-assigned fields dropped. */
export type RuleBody = Omit<RuleInput, 'userId'> & { userId?: string };

/** Validates a rule body; throws Joi.ValidationError listing every problem. */
export function validateRuleBody(body: unknown): RuleBody {
  const { value, error } = ruleBodySchema.validate(body, RULE_VALIDATION_OPTIONS);
  if (error) throw error;
  return value as RuleBody;
}

/** Validates a complete rule input; throws Joi.ValidationError listing every problem. */
export function validateRuleInput(input: unknown): RuleInput {
  const { value, error } = ruleInputSchema.validate(input, RULE_VALIDATION_OPTIONS);
  if (error) throw error;
  return value as RuleInput;
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch (err) {
    if (err instanceof TypeError) return null;
    throw err;
  }
}
