import { scheduleCovers } from './schedule';
import type { Rule } from './types';

/**
 * The rule that handles a call arriving at `instantMs` (DESIGN §4), among one owner's rules:
 * enabled, schedule covering the instant, lowest priority; ties go to the oldest (createdAt, then id).
 * Null when none matches (the call goes to the owner's voicemail).
 */
export function selectRule(rules: readonly Rule[], instantMs: number): Rule | null {
  const candidates = rules.filter((rule) => rule.enabled && scheduleCovers(rule.schedule, instantMs));
  candidates.sort(byPrecedence);
  return candidates[0] ?? null;
}

function byPrecedence(a: Rule, b: Rule): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  const created = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  if (created !== 0 && !Number.isNaN(created)) return created;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
