import Joi from 'joi';
import { normalizeSipUri, ruleBodySchema, RULE_VALIDATION_OPTIONS, type RuleBody } from '../domain/rule-schema';
import type { Step } from '../domain/types';

/**
 * The body of a rule preview (the admin panel's "Test this rule"):
 * `{ rule?, destinations: { "<destination's to>": { kind, after? } } }`. `rule` (a rule body as POST /api/rules
 * takes it, userId optional) is required by POST /api/rules/preview and refused by POST /api/rules/:id/preview.
 * Destinations not listed ring out.
 */

export const BEHAVIOUR_KINDS = ['noAnswer', 'answer', 'busy', 'voicemail', 'pressTwo'] as const;
export type BehaviourKind = (typeof BEHAVIOUR_KINDS)[number];
/** Kinds that happen `after` seconds of ringing. */
export const TIMED_KINDS: readonly BehaviourKind[] = ['answer', 'voicemail', 'pressTwo'];
export const MAX_AFTER_SECONDS = 600;

/**
 * What one destination does when it rings: rings out, answers (and accepts where asked to press 1), is busy,
 * its carrier voicemail picks up, or a person answers and presses 2.
 */
export type Behaviour =
  | { kind: 'noAnswer' | 'busy' }
  | { kind: 'answer' | 'voicemail' | 'pressTwo'; after: number };

export interface PreviewRequest {
  destinations: Record<string, Behaviour>;
}

export interface UnsavedPreviewRequest extends PreviewRequest {
  rule: RuleBody;
}

const behaviourSchema = Joi.object({
  kind: Joi.string().valid(...BEHAVIOUR_KINDS).required(),
  after: Joi.number().min(0).max(MAX_AFTER_SECONDS).when('kind', {
    is: Joi.valid(...TIMED_KINDS),
    then: Joi.required(),
    otherwise: Joi.forbidden(),
  }).messages({ 'any.unknown': '{{#label}} is only for answer, voicemail and pressTwo' }),
});

/** Behaviours keyed by a destination's `to`, a SIP URI's as the rule stores it (scheme and host in lower case). */
const destinationsSchema = Joi.object().pattern(Joi.string().min(1).max(300), behaviourSchema).default({})
  .custom((value: Record<string, Behaviour>) => Object.fromEntries(Object.entries(value).map(([to, behaviour]) => [normalizeSipUri(to), behaviour])));

const savedSchema = Joi.object({ destinations: destinationsSchema });
const unsavedSchema = Joi.object({ rule: ruleBodySchema.required(), destinations: destinationsSchema });

/** Validates the body of POST /api/rules/:id/preview; throws Joi.ValidationError naming every bad field. */
export function validatePreviewRequest(body: unknown): PreviewRequest {
  const { value, error } = savedSchema.validate(body, RULE_VALIDATION_OPTIONS);
  if (error) throw error;
  return value as PreviewRequest;
}

/** Validates the body of POST /api/rules/preview (the rule with the rule schema, under `rule.`). */
export function validateUnsavedPreviewRequest(body: unknown): UnsavedPreviewRequest {
  const { value, error } = unsavedSchema.validate(body, RULE_VALIDATION_OPTIONS);
  if (error) throw error;
  return value as UnsavedPreviewRequest;
}

/** The keys of `destinations` that name no destination of the rule's steps. */
export function unknownTargets(destinations: Record<string, Behaviour>, steps: readonly Step[]): string[] {
  // a rule saved before SIP URIs were normalized may hold `SIP:…`
  const known = new Set(steps.flatMap((s) => s.destinations.map((d) => normalizeSipUri(d.to))));
  return Object.keys(destinations).filter((target) => !known.has(target));
}
