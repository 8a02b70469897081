// Header keys and bootstrap agents, as Apptainer's parser and conveyor packers use them.
import type { HeaderEntry, Stage } from '../../parse/model.js';
import { HEADER_KEYS, isValidHeaderKey } from '../../parse/stage.js';

/**
 * Apptainer's `validHeaders` (lowercase), from the parser; `otherurl<N>` (written `otherurl&n`
 * there) is matched by `isValidHeaderKey`.
 */
export const VALID_HEADER_KEYS: readonly string[] = [...HEADER_KEYS].filter((key) => !key.includes('&'));

export { isValidHeaderKey };

/** Conventional spelling of each key (Apptainer docs); extra accepted spellings listed after. */
export const CANONICAL_KEY_SPELLINGS: Record<string, string[]> = {
  bootstrap: ['Bootstrap', 'BootStrap'],
  from: ['From'],
  includecmd: ['IncludeCmd'],
  mirrorurl: ['MirrorURL'],
  updateurl: ['UpdateURL'],
  osversion: ['OSVersion'],
  include: ['Include'],
  library: ['Library'],
  registry: ['Registry'],
  namespace: ['Namespace'],
  stage: ['Stage'],
  product: ['Product'],
  user: ['User'],
  regcode: ['Regcode'],
  productpgp: ['ProductPGP'],
  registerurl: ['RegisterURL'],
  modules: ['Modules'],
  fingerprints: ['Fingerprints'],
  confurl: ['ConfURL'],
  setopt: ['Setopt'],
  target: ['Target'],
  frontend: ['Frontend'],
  filename: ['Filename'],
  buildargs: ['Buildargs', 'BuildArgs'],
};

/** The canonical spelling for a valid key, or undefined when any spelling is acceptable. */
export function acceptedSpellings(key: string): string[] {
  const numbered = /^otherurl(\d+)$/.exec(key);
  if (numbered) return [`OtherURL${numbered[1]}`, `Otherurl${numbered[1]}`];
  return CANONICAL_KEY_SPELLINGS[key] ?? [];
}

export const DOCKER_FAMILY = ['docker', 'docker-archive', 'docker-daemon', 'oci', 'oci-archive'] as const;

/** Every `Bootstrap:` value Apptainer accepts (compared case-sensitively). */
export const BOOTSTRAP_AGENTS = [
  'library',
  'oras',
  'shub',
  ...DOCKER_FAMILY,
  'busybox',
  'debootstrap',
  'arch',
  'localimage',
  'yum',
  'dnf',
  'zypper',
  'scratch',
  'buildkit',
  'dockerfile',
] as const;

const AGENT_SET = new Set<string>(BOOTSTRAP_AGENTS);
export function isKnownAgent(value: string): boolean {
  return AGENT_SET.has(value);
}

/** Header keys each agent reads (besides `bootstrap` and `stage`, which every stage may use). */
export const AGENT_KEYS: Record<string, readonly string[]> = {
  library: ['from', 'library', 'fingerprints'],
  oras: ['from', 'fingerprints'],
  shub: ['from', 'fingerprints'],
  docker: ['from', 'registry', 'namespace'],
  'docker-archive': ['from', 'registry', 'namespace'],
  'docker-daemon': ['from', 'registry', 'namespace'],
  oci: ['from', 'registry', 'namespace'],
  'oci-archive': ['from', 'registry', 'namespace'],
  busybox: ['mirrorurl'],
  debootstrap: ['mirrorurl', 'osversion', 'include'],
  arch: ['confurl', 'include'],
  localimage: ['from', 'fingerprints'],
  yum: ['mirrorurl', 'updateurl', 'osversion', 'include', 'setopt'],
  dnf: ['mirrorurl', 'updateurl', 'osversion', 'include', 'setopt'],
  zypper: ['mirrorurl', 'updateurl', 'osversion', 'include', 'product', 'user', 'regcode', 'productpgp', 'registerurl', 'modules', 'otherurl'],
  scratch: [],
  buildkit: ['from', 'target', 'frontend', 'filename', 'buildargs'],
  dockerfile: ['from', 'target', 'frontend', 'filename', 'buildargs'],
};

/** Agents that need `From:`. */
export const AGENTS_REQUIRING_FROM = new Set(['library', 'oras', 'shub', ...DOCKER_FAMILY, 'localimage', 'buildkit', 'dockerfile']);

/** Agents that build the OS with host tools. */
export const HOST_TOOL_AGENTS = new Set(['yum', 'dnf', 'debootstrap', 'zypper', 'arch', 'busybox']);

/** The last valid, kept entry for a key (the one Apptainer uses). */
export function lastEntry(stage: Stage, key: string): HeaderEntry | undefined {
  if (!stage.header) return undefined;
  for (let i = stage.header.length - 1; i >= 0; i--) {
    const entry = stage.header[i];
    if (entry.key === key && entry.valid && !entry.dropped) return entry;
  }
  return undefined;
}

/** An entry Apptainer keeps (valid and not dropped). */
export function isKeptEntry(entry: HeaderEntry): boolean {
  return entry.valid && !entry.dropped;
}

/** Entries Apptainer keeps (valid and not dropped). */
export function keptEntries(stage: Stage): HeaderEntry[] {
  return (stage.header ?? []).filter(isKeptEntry);
}

/** What resolving a stage's header needs: the engine's template resolution (`RuleContext`). */
export interface HeaderResolver {
  resolvedHeader(stage: Stage, key: string): string | undefined;
}

/**
 * The bootstrap agent of a stage, as Apptainer reads it: the `Bootstrap:` value Apptainer keeps,
 * with `{{ NAME }}` placeholders resolved from `--build-arg` and `%arguments` (so `Bootstrap:
 * {{ AGENT }}` with `AGENT=docker` is docker). Case is kept: agents are case-sensitive. Undefined
 * when the stage has no `Bootstrap:`; a placeholder nothing resolves stays in the value.
 */
export function agentOf(ctx: HeaderResolver, stage: Stage): string | undefined {
  return ctx.resolvedHeader(stage, 'bootstrap')?.trim();
}

/** The stage's agent when it is one Apptainer knows (after template resolution). */
export function knownAgent(ctx: HeaderResolver, stage: Stage): string | undefined {
  const agent = agentOf(ctx, stage);
  return agent !== undefined && isKnownAgent(agent) ? agent : undefined;
}

/** Agents whose `From:` names an image in a registry (tags and digests pin it). */
export const REGISTRY_AGENTS: ReadonlySet<string> = new Set(['docker', 'oras', 'library', 'shub']);
