import Joi from 'joi';
import { e164Number, maxCharacters, nullMeansAbsent, speakable, VISIBLE } from './rule-schema';
import type { Role } from './types';

/**
 * A user body (POST /api/users, and the merged result of PATCH): DESIGN §4. Validated without type
 * coercion; server-assigned fields (id, createdAt, updatedAt) are accepted and dropped; anything
 * else unknown is rejected. A top-level null is the field left out (as in a PATCH).
 */

export const USER_LIMITS = Object.freeze({ nameMax: 100, numbersMax: 50, emailMax: 254 });

export interface UserBody {
  name: string;
  role: Role;
  numbers: string[];
  canManageRules: boolean;
  email?: string;
  notifyUrl?: string;
}

export const userBodySchema = Joi.object(nullMeansAbsent({
  id: Joi.any().strip(),
  createdAt: Joi.any().strip(),
  updatedAt: Joi.any().strip(),
  name: maxCharacters(speakable(Joi.string()).min(1), USER_LIMITS.nameMax)
    .pattern(VISIBLE)
    .required()
    .messages({ 'string.pattern.base': '{{#label}} must not be blank' }),
  role: Joi.string().valid('admin', 'user').default('user'),
  numbers: Joi.array()
    .items(e164Number)
    .max(USER_LIMITS.numbersMax)
    .unique()
    .default([])
    .messages({ 'array.unique': '{{#label}} lists the same number twice' }),
  canManageRules: Joi.boolean().default(false),
  email: Joi.string().max(USER_LIMITS.emailMax).email({ tlds: false }),
  notifyUrl: Joi.string()
    .max(2000)
    .uri({ scheme: ['http', 'https'] })
    .messages({ 'string.uri': '{{#label}} must be an http(s) URL', 'string.uriCustomScheme': '{{#label}} must be an http(s) URL' }),
}));

/** Validates a user body; throws Joi.ValidationError listing every problem. */
export function validateUserBody(body: unknown): UserBody {
  const { value, error } = userBodySchema.validate(body, { abortEarly: false, convert: false });
  if (error) throw error;
  return value as UserBody;
}
