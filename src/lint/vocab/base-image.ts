// Reading a stage's base image: the `From:` value (placeholders resolved) and where it is written.
import type { Range, Stage } from '../../parse/model.js';
import type { RuleContext } from '../types.js';
import { agentOf, lastEntry } from './header.js';

export interface ImageRef {
  /** Repository without registry defaults: `nvidia/cuda`, `nvcr.io/nvidia/pytorch`, `rocm/dev-ubuntu-22.04`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Agents whose `From:` is an image reference that a tag can pin (registries and the docker daemon). */
const BASE_IMAGE_AGENTS = new Set(['docker', 'oras', 'docker-daemon', 'library', 'shub']);

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

/** The stage's registry base image, or undefined (other agents, unresolved placeholders). */
export function stageBase(ctx: RuleContext, stage: Stage): StageBase | undefined {
  const agent = agentOf(ctx, stage);
  if (agent === undefined || !BASE_IMAGE_AGENTS.has(agent)) return undefined;
  const entry = lastEntry(stage, 'from');
  if (!entry) return undefined;
  const value = ctx.resolvedHeader(stage, 'from') ?? entry.value;
  if (/\{\{/.test(value)) return undefined;
  const ref = parseImageRef(value);
  return ref ? { ref, value, range: entry.valueRange } : undefined;
}

/** What `/bin/sh` is: dash (Debian family), BusyBox ash (Alpine, BusyBox) or bash (RHEL family, Fedora, SUSE). */
export type BinSh = 'dash' | 'ash' | 'bash';

const DASH_BASES = /(^|[/:])(debian|ubuntu|linuxmint|kalilinux\/kali[\w-]*|neurodebian)(:|@|$)|[:-]ubuntu\d\d\.\d\d$/i;
const ASH_BASES = /(^|[/:])(alpine|busybox)(:|@|$)/i;
const BASH_BASES = /(rocky|alma|centos|rhel|redhat|ubi\d|oraclelinux|fedora|opensuse|suse|sles|amazonlinux|mageia|photon)/i;

/**
 * `/bin/sh` of a base image, from the bootstrap agent and the `From:` value; undefined when the
 * name does not say. Debian's /bin/sh is dash, Alpine's is BusyBox ash, and RHEL, Fedora and SUSE
 * link /bin/sh to bash (their `bash` packages own /bin/sh).
 */
export function binShOf(agent: string | undefined, from: string | undefined): BinSh | undefined {
  const bootstrap = (agent ?? '').trim().toLowerCase();
  if (bootstrap === 'debootstrap') return 'dash';
  if (bootstrap === 'busybox') return 'ash';
  if (bootstrap === 'yum' || bootstrap === 'dnf' || bootstrap === 'zypper') return 'bash';
  const ref = (from ?? '').replace(/^docker:\/\//, '');
  if (DASH_BASES.test(ref)) return 'dash';
  if (ASH_BASES.test(ref)) return 'ash';
  if (/ubuntu|debian|alpine|busybox/i.test(ref)) return undefined;
  return BASH_BASES.test(ref) ? 'bash' : undefined;
}

/** What /bin/sh is on the stage's base image (placeholders resolved), when the base says so. */
export function binShOfStage(ctx: RuleContext, stage: Stage): BinSh | undefined {
  return binShOf(agentOf(ctx, stage), ctx.resolvedHeader(stage, 'from'));
}
