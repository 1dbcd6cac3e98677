import { scheduleCovers } from './schedule';
import type { Rule, Step } from './types';

/**
 * The rule that handles a call arriving at `instantMs` (DESIGN §4), among one owner's rules:
 * enabled, schedule covering the instant, lowest priority; ties go to the oldest (createdAt, then id).
 * A rule that rings one of `ownNumbers` (the owner's business numbers) is passed over: the API refuses one, but a rule
 * and a number saved at the same moment can each pass its check, and such a rule would call itself, one call inside
 * another. Null when none matches (the call goes to the owner's voicemail).
 */
export function selectRule(rules: readonly Rule[], instantMs: number, ownNumbers: readonly string[] = []): Rule | null {
  const candidates = rules.filter((rule) => rule.enabled && scheduleCovers(rule.schedule, instantMs)
    && !ownNumbers.some((number) => whereRung(rule.steps, number)));
  candidates.sort(byPrecedence);
  return candidates[0] ?? null;
}

/** Where a list of steps rings `number` (a `number` destination): the first step and index, or undefined. */
export function whereRung(steps: readonly Step[], number: string): { step: number; index: number } | undefined {
  for (const [step, { destinations }] of steps.entries()) {
    const index = destinations.findIndex((d) => d.type === 'number' && d.to === number);
    if (index >= 0) return { step, index };
  }
  return undefined;
}

function byPrecedence(a: Rule, b: Rule): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const created = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (created !== 0 && !Number.isNaN(created)) return created;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
