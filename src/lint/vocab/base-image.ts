// Reading a stage's base image: the `From:` value (placeholders resolved) and where it is written.
import type { HeaderEntry, Range, Stage } from '../../parse/model.js';
import type { RuleContext } from '../types.js';

export interface ImageRef {
  /** Repository without registry defaults: `nvidia/cuda`, `nvcr.io/nvidia/pytorch`, `rocm/dev-ubuntu-22.04`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Agents whose `From:` is a registry reference. */
const REGISTRY_AGENTS = new Set(['docker', 'oras', 'docker-daemon', 'library', 'shub']);

/** Parses `[registry/]name[:tag][@digest]`, with the `docker://`/`oras://` prefixes tolerated. */
export function parseImageRef(value: string): ImageRef | undefined {
  let ref = value.trim().replace(/^(docker|oras|library|docker-daemon):\/\//, '');
  if (ref === '' || /\s/.test(ref)) return undefined;
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at !== -1) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  let tag: string | undefined;
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/')) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  const repository = ref
    .toLowerCase()
    .replace(/^(index\.)?docker\.io\//, '')
    .replace(/^registry-1\.docker\.io\//, '')
    .replace(/^library\//, '');
  return { repository, tag, digest };
}

export interface StageBase {
  ref: ImageRef;
  /** The value as resolved (placeholders substituted). */
  value: string;
  range: Range;
}

/** The `From:` header entry Apptainer uses (the last valid, kept one). */
export function fromEntry(stage: Stage): HeaderEntry | undefined {
  let found: HeaderEntry | undefined;
  for (const entry of stage.header ?? []) if (entry.key === 'from' && entry.valid && !entry.dropped) found = entry;
  return found;
}

/** The stage's registry base image, or undefined (other agents, unresolved placeholders). */
export function stageBase(ctx: RuleContext, stage: Stage): StageBase | undefined {
  const bootstrap = (stage.headerValues['bootstrap'] ?? '').trim().toLowerCase();
  if (!REGISTRY_AGENTS.has(bootstrap)) return undefined;
  const entry = fromEntry(stage);
  if (!entry) return undefined;
  const value = ctx.resolvedHeader(stage, 'from') ?? entry.value;
  if (/\{\{/.test(value)) return undefined;
  const ref = parseImageRef(value);
  return ref ? { ref, value, range: entry.valueRange } : undefined;
}
