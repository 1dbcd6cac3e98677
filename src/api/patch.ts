/**
 * PATCH semantics (DESIGN §4): the patch replaces the top-level fields it names (a nested object such
 * as `voicemail` or `schedule` is replaced whole); `null` removes a field, so an optional one goes away
 * and one with a default returns to it. The caller validates the result like a PUT.
 */
export function applyPatch(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return merged;
}
