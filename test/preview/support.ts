import type request from 'supertest';
import { asAdmin, johnsRule, type Api } from '../api/helpers';

export { asAdmin, bearer, johnsRule, startApi, type Api, type ErrorResponse } from '../api/helpers';

export const OFFICE = '+15551230001';
export const HOME = '+15551230002';
export const CELL = '+15551230003';
export const JOHNS_NUMBER = '+15550001000';

export interface PreviewAnswer {
  events: Array<{ at: number; text: string }>;
  outcome: { kind: string; to?: string; atSeconds: number };
  notes: string[];
}

/** John (who may read but not change his rules) and his rule from the product manual, through the real API. */
export async function withJohn(api: Api, overrides: Record<string, unknown> = {}): Promise<{ john: { id: string; token: string }; ruleId: string }> {
  const john = await api.createUser({ name: 'John', numbers: [JOHNS_NUMBER] });
  const rule = await api.createRule(johnsRule(john.id, overrides));
  return { john, ruleId: rule.id };
}

export function previewSaved(api: Api, ruleId: string, destinations: Record<string, unknown>, auth = asAdmin): request.Test {
  return api.http().post(`/api/rules/${ruleId}/preview`).set(auth).send({ destinations });
}

/** The moment of the first event whose text matches. */
export function when(answer: PreviewAnswer, text: string | RegExp): number | undefined {
  return answer.events.find((e) => (typeof text === 'string' ? e.text === text : text.test(e.text)))?.at;
}

/** The lines of `answer` that are among `expected`, in the order they happened (to compare with `expected`). */
export function picked(answer: PreviewAnswer, expected: readonly string[]): string[] {
  return lines(answer).filter((line) => expected.includes(line));
}

/** "m:ss text" lines, as the panel shows them. */
export function lines(answer: PreviewAnswer): string[] {
  return answer.events.map((e) => `${Math.floor(e.at / 60)}:${String(Math.floor(e.at % 60)).padStart(2, '0')} ${e.text}`);
}
