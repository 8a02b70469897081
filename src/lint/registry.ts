// Rule lookup. Everywhere a rule is named (config, pragmas, CLI, explain) its id (`DEF201`) and
// its slug (`files-extra-fields`) are interchangeable; ids are matched case-insensitively.
import type { Rule } from './types.js';
import { allRules } from './rules/index.js';

export { allRules };

let byKey: Map<string, Rule> | undefined;

function index(): Map<string, Rule> {
  if (byKey) return byKey;
  byKey = new Map();
  for (const rule of allRules) {
    byKey.set(rule.meta.id.toUpperCase(), rule);
    byKey.set(rule.meta.slug.toLowerCase(), rule);
  }
  return byKey;
}

/** The rule with this id or slug, or undefined. */
export function findRule(idOrSlug: string): Rule | undefined {
  const key = idOrSlug.trim();
  return index().get(key.toUpperCase()) ?? index().get(key.toLowerCase());
}

/** ShellCheck codes (`SC2086`) are valid rule names too, handled by the ShellCheck pass. */
export function isShellCheckCode(name: string): boolean {
  return /^SC\d{4}$/i.test(name.trim());
}

/** Canonical id for a rule name: `DEF201` for `files-extra-fields`, `SC2086` for `sc2086`. */
export function canonicalRuleId(idOrSlug: string): string | undefined {
  if (isShellCheckCode(idOrSlug)) return idOrSlug.trim().toUpperCase();
  return findRule(idOrSlug)?.meta.id;
}

/** Closest known rule names (ids and slugs), for "did you mean" messages. */
export function suggestRuleNames(name: string, max = 1): string[] {
  const wanted = name.trim().toLowerCase();
  const scored: { key: string; distance: number }[] = [];
  for (const rule of allRules) {
    for (const key of [rule.meta.id, rule.meta.slug]) {
      const distance = editDistance(wanted, key.toLowerCase());
      // Ids differ from each other by one digit, so only a one-character slip is a useful hint.
      const limit = key === rule.meta.id ? 1 : Math.max(2, Math.floor(key.length / 4));
      if (distance <= limit) scored.push({ key, distance });
    }
  }
  scored.sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key));
  return scored.slice(0, max).map((s) => s.key);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** Adds a rule at run time (tests, tools embedding extra rules). Ids and slugs must be new. */
export function registerRule(rule: Rule): void {
  if (findRule(rule.meta.id) || findRule(rule.meta.slug)) throw new Error(`rule ${rule.meta.id} (${rule.meta.slug}) already exists`);
  allRules.push(rule);
  byKey = undefined;
}

/** Removes a rule added with registerRule. */
export function unregisterRule(id: string): void {
  const index = allRules.findIndex((rule) => rule.meta.id === id);
  if (index !== -1) allRules.splice(index, 1);
  byKey = undefined;
}
