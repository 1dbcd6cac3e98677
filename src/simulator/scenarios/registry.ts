import fs from 'node:fs';
import path from 'node:path';
import type { Scenario } from './types';

/** Modules of this directory that are machinery, not scenarios. */
const MACHINERY = new Set(['registry', 'types', 'run', 'outcome']);

/**
 * Every scenario of every module in this directory (TypeScript under ts-jest, JavaScript once built), by
 * name. A module contributes what it exports as `scenarios` (a list) or `scenario` (one).
 */
export function loadScenarios(dir: string = __dirname): Map<string, Scenario> {
  const found = new Map<string, Scenario>();
  for (const file of scenarioModules(dir)) {
    for (const scenario of exportedScenarios(require(path.join(dir, file)), file)) {
      const clash = found.get(scenario.name);
      if (clash) throw new Error(`scenario "${scenario.name}" is defined twice (${file} and another module)`);
      found.set(scenario.name, scenario);
    }
  }
  return new Map([...found.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function scenarioModules(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .filter((file) => !MACHINERY.has(file.replace(/\.(ts|js)$/, '')))
    .sort();
}

function exportedScenarios(mod: Record<string, unknown>, file: string): Scenario[] {
  const list = [...(Array.isArray(mod.scenarios) ? mod.scenarios : []), ...(mod.scenario ? [mod.scenario] : [])];
  for (const s of list) {
    if (!isScenario(s)) throw new Error(`${file}: an exported scenario lacks a name, description, user, rules or caller`);
  }
  return list as Scenario[];
}

function isScenario(value: unknown): value is Scenario {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<Scenario>;
  return typeof s.name === 'string' && typeof s.description === 'string' && typeof s.user === 'object'
    && Array.isArray(s.rules) && typeof s.caller === 'object' && typeof s.callees === 'object';
}
