// Normalises Apptainer parse results for comparison: a missing buildScripts.arguments equals an
// empty script (the upstream fixtures omit it), and object key order does not matter.
export function normalizeApptainer(value: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  delete copy.buildMessage;
  for (const def of (copy.defs as Record<string, any>[] | undefined) ?? []) {
    def.buildData.buildScripts.arguments ??= { args: '', script: '' };
  }
  return sortKeys(copy);
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
