// "Same meaning" for the formatter: two texts are equivalent when Apptainer's parser returns the
// same result for both, compared the way the conformance test compares them (an absent
// `%arguments` script equals an empty one; invalid section names compared as a sorted set).
import type { ApptainerResult } from '../parse/model.js';

/** A JSON-ready form of an Apptainer result in which irrelevant differences are erased. */
export function normaliseApptainerResult(result: ApptainerResult): unknown {
  if (!result.ok) {
    if (result.invalidSections) {
      return { ok: false, invalidSections: [...result.invalidSections].sort() };
    }
    return { ok: false, error: result.error, panic: result.panic === true };
  }
  return {
    ok: true,
    defs: result.defs.map((def) => {
      const args = def.buildData.buildScripts.arguments ?? { args: '', script: '' };
      return {
        ...def,
        buildData: {
          ...def.buildData,
          buildScripts: { ...def.buildData.buildScripts, arguments: { args: args.args ?? '', script: args.script ?? '' } },
        },
      };
    }),
  };
}

/** Deterministic JSON (object keys sorted) so that key order never counts as a difference. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export function sameApptainerResult(a: ApptainerResult, b: ApptainerResult): boolean {
  return stableStringify(normaliseApptainerResult(a)) === stableStringify(normaliseApptainerResult(b));
}
