// host.yaml: the doctor's probe of a host, written by `apptainer-gen doctor --write-host FILE`
// and read back by `doctor --host FILE` and by a recipe's `host: FILE` field. A found fact is
// `{ value, source }`, an unknown one `{ unknown: reason }`, so the file says how each fact was
// learned. Reading validates every field and reports problems at file:line:column.
import { LineCounter, parseDocument, stringify, isMap, isScalar, type Document, type Node } from 'yaml';
import { found, unknown, type HostFacts, type Known } from './facts.js';

export const HOST_API_VERSION = 'apptainer-gen/host/v1';

export interface HostFileProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type HostFileResult = { ok: true; host: HostFacts } | { ok: false; problems: HostFileProblem[] };

function factToYaml(fact: Known<unknown>): unknown {
  return fact.status === 'found' ? { value: fact.value, source: fact.source } : { unknown: fact.reason };
}

/** The YAML text of a probe (stable key order, so the same host gives the same bytes). */
export function hostToYaml(host: HostFacts, header?: string): string {
  const doc: Record<string, unknown> = { apiVersion: HOST_API_VERSION };
  for (const [group, facts] of Object.entries(host) as [string, Record<string, Known<unknown>>][]) {
    const out: Record<string, unknown> = {};
    for (const [name, fact] of Object.entries(facts)) out[name] = factToYaml(fact);
    doc[group] = out;
  }
  const lines = [
    '# Host probe written by `apptainer-gen doctor --write-host`. A recipe takes its host-facing',
    '# fields from it with `host: <this file>`; `apptainer-gen doctor --host <this file>` re-checks',
    '# an image against it. `unknown` means the probe could not tell (tool missing, timed out, failed).',
  ];
  if (header) lines.push(`# ${header}`);
  return `${lines.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}

// ---- Reading -------------------------------------------------------------------------------------

type Check = (value: unknown) => string | undefined;

const isString = (v: unknown): v is string => typeof v === 'string';
const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function shape(fields: Record<string, { check: (v: unknown) => boolean; what: string; optional?: boolean }>): Check {
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be a mapping';
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!(key in fields)) return `unknown field '${key}' (allowed: ${Object.keys(fields).join(', ')})`;
    for (const [key, spec] of Object.entries(fields)) {
      if (record[key] === undefined) {
        if (!spec.optional) return `missing field '${key}'`;
      } else if (!spec.check(record[key])) return `'${key}' must be ${spec.what}`;
    }
    return undefined;
  };
}

const str = { check: isString, what: 'a string' };
const optStr = { ...str, optional: true };
const list = { check: stringList, what: 'a list of strings' };
const FAMILIES = ['openmpi', 'mpich', 'mvapich2', 'intelmpi', 'cray-mpich'];

const FACT_CHECKS: Record<string, Record<string, Check>> = {
  slurm: {
    version: (v) => (isString(v) ? undefined : 'must be a string'),
    mpi: shape({ plugins: list, pmixVersions: list }),
  },
  mpi: {
    launcher: shape({
      family: { check: (v) => isString(v) && FAMILIES.includes(v), what: `one of ${FAMILIES.join(', ')}` },
      version: optStr,
      tool: str,
      path: optStr,
    }),
    dir: (v) => (isString(v) ? undefined : 'must be a string'),
    library: shape({ path: str, soname: str, abi: { check: (v) => v === 'openmpi' || v === 'mpich', what: 'openmpi or mpich', optional: true } }),
  },
  gpu: {
    nvidia: shape({ version: str, gpus: list }),
    rocm: shape({ version: optStr, driverVersion: optStr, kfd: { check: (v) => typeof v === 'boolean', what: 'true or false' } }),
  },
  fabric: {
    infiniband: (v) => (stringList(v) ? undefined : 'must be a list of strings'),
    libfabric: shape({ version: optStr, providers: list }),
    ucx: (v) => (isString(v) ? undefined : 'must be a string'),
  },
};

/** Position of the value at `path`, or of its key (for unknown keys). */
function positionOf(doc: Document.Parsed, lineCounter: LineCounter, path: string[], atKey = false): { line: number; column: number } {
  let node = doc.contents as Node | null;
  for (const [i, key] of path.entries()) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) break;
    node = atKey && i === path.length - 1 ? (pair.key as Node) : ((pair.value as Node | null) ?? (pair.key as Node));
  }
  const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
  return { line: pos.line, column: pos.col };
}

/** Parses and validates host.yaml text. Never throws on bad input. */
export function parseHostFile(text: string, file: string): HostFileResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: HostFileProblem[] = [];
  const at = (path: string[], message: string, atKey = false) => problems.push({ file, ...positionOf(doc, lineCounter, path, atKey), message });
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    problems.push({ file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` });
  }
  if (problems.length) return { ok: false, problems };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, problems: [{ file, line: 1, column: 1, message: `YAML: ${(err as Error).message}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ file, line: 1, column: 1, message: `expected a mapping with apiVersion: ${HOST_API_VERSION}` }] };
  }
  const record = data as Record<string, unknown>;
  if (record.apiVersion !== HOST_API_VERSION)
    at(['apiVersion'], `apiVersion must be ${HOST_API_VERSION} (this file was not written by apptainer-gen doctor --write-host?)`);
  for (const key of Object.keys(record)) {
    if (key !== 'apiVersion' && !(key in FACT_CHECKS)) at([key], `unknown section '${key}' (allowed: ${Object.keys(FACT_CHECKS).join(', ')})`, true);
  }
  const host = {} as Record<string, Record<string, Known<unknown>>>;
  for (const [group, checks] of Object.entries(FACT_CHECKS)) {
    const section = record[group];
    host[group] = {};
    if (section !== undefined && (section === null || typeof section !== 'object' || Array.isArray(section))) {
      at([group], `'${group}' must be a mapping`);
      continue;
    }
    const facts = (section ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(facts))
      if (!(key in checks)) at([group, key], `unknown fact '${group}.${key}' (allowed: ${Object.keys(checks).join(', ')})`, true);
    for (const [name, check] of Object.entries(checks)) {
      const raw = facts[name];
      const where = [group, name];
      if (raw === undefined) {
        host[group][name] = unknown('not recorded in the host file');
        continue;
      }
      const entry = raw as Record<string, unknown> | null;
      if (entry && typeof entry === 'object' && !Array.isArray(entry) && isString(entry.unknown) && Object.keys(entry).length === 1) {
        host[group][name] = unknown(entry.unknown);
      } else if (entry && typeof entry === 'object' && !Array.isArray(entry) && 'value' in entry && isString(entry.source) && Object.keys(entry).length === 2) {
        const problem = check(entry.value);
        if (problem) at([...where, 'value'], `${group}.${name}: ${problem}`);
        else host[group][name] = found(entry.value, `${file}: ${entry.source}`);
      } else {
        at(where, `${group}.${name} must be { value: ..., source: ... } or { unknown: reason }`);
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, host: host as unknown as HostFacts };
}
