// The contract of a building block (hpccm-style): what it adds to the build stage, what the
// runtime stage needs from it, and which blocks must come before it.
import { componentPackages } from '../../facts/index.js';
import type { Family, SourceComponent } from '../types.js';
import type { RepoSetup } from '../distro.js';
import type { Plan } from '../plan.js';
import { componentSource, fetchAndUnpack, type SourceFile } from '../sources.js';

export type BlockId =
  | 'toolchain'
  | 'rdma-core'
  | 'psm2'
  | 'cuda'
  | 'rocm'
  | 'gdrcopy'
  | 'ucx'
  | 'libfabric'
  | 'pmix'
  | 'slurm-pmi2'
  | 'openmpi'
  | 'mpich'
  | 'mvapich2'
  | 'intelmpi'
  | 'hpcx'
  | 'distro-mpi'
  | 'python'
  | 'app';

/** What a block is, which decides where its runtime parts go (the bind model drops `mpi`). */
export type BlockRole = 'toolchain' | 'fabric' | 'pmi' | 'gpu' | 'mpi' | 'app';

export type PerFamily = Partial<Record<Family, string[]>>;

/** An environment variable: name and an already shell-quoted-safe value (may use `$VAR`). */
export type EnvVar = [name: string, value: string];

export interface Block {
  id: BlockId;
  role: BlockRole;
  /** Heading comment for its part of `%post` (no `{{ }}` placeholders: they would be skipped anyway). */
  title: string;
  /** Blocks that must be built first when they are present. */
  after: BlockId[];
  buildPackages: PerFamily;
  runtimePackages: PerFamily;
  /** Runtime packages to install when the block's own prefix is NOT copied (bind model: the host MPI's dependencies). */
  bindRuntimePackages?: PerFamily;
  /** Repository setup for the build stage (EPEL, vendor repos). */
  repo?: Partial<Record<Family, RepoSetup>>;
  /** Repository setup the runtime stage also needs for its runtime packages. */
  runtimeRepo?: Partial<Record<Family, RepoSetup>>;
  /** Shell lines, run in a fresh directory under the build directory. */
  build: string[];
  /** Exported right after the block in `%post` and set in the runtime `%environment`. */
  env: EnvVar[];
  /** Paths copied from the build stage into the runtime stage. */
  copies: string[];
  /** Directories whose ELF files %test checks with ldd, instead of `copies` (a vendor tree with optional parts). */
  lddRoots?: string[];
  /** Regexes of libraries that may stay unresolved at build time (the host brings them, or optional parts load them). */
  hostLibraries?: string[];
  /** POSIX sh lines for the final `%test`. */
  tests: string[];
  /** The tarballs the build lines fetch (`apptainer-gen sources`; host files become `%files`). */
  sources: SourceFile[];
}

/** Where sources are unpacked and built. Not /tmp or /var/tmp: those are the host's during a build. */
export { BUILD_DIR } from '../sources.js';

export function emptyBlock(id: BlockId, role: BlockRole, title: string): Block {
  return { id, role, title, after: [], buildPackages: {}, runtimePackages: {}, build: [], env: [], copies: [], tests: [], sources: [] };
}

/** `PATH`-style prepend that also works under `set -u` when the variable is unset. */
export function prepend(variable: string, dir: string): EnvVar {
  return [variable, `${dir}\${${variable}:+:\$${variable}}`];
}

/** The environment of an install prefix: `DIR_VAR=prefix`, then its bin, lib and man folders. */
export function prefixEnv(dirVariable: string, prefix: string): EnvVar[] {
  return [[dirVariable, prefix], prepend('PATH', `${prefix}/bin`), prepend('LD_LIBRARY_PATH', `${prefix}/lib`), prepend('MANPATH', `${prefix}/share/man`)];
}

/**
 * The lines that get a component's release tarball (upstream, `sources.<name>`, or the mirror),
 * verify it when its SHA-256 is known, unpack it and enter the tree; the block records the file.
 * `autogen` is the component's bootstrap script, run when the recipe marks the tarball a snapshot.
 */
export function fetchSource(block: Block, plan: Plan, name: SourceComponent, defaultUrl: string, autogen?: string): string[] {
  const source = componentSource(plan.recipe, plan.sourceMirror, name, defaultUrl, autogen);
  block.sources.push(source);
  if (source.autogen) {
    for (const component of ['autotools', 'autogen-extras'] as const) {
      const tools = componentPackages(component, 'build', plan.release);
      for (const family of Object.keys(tools) as Family[]) block.buildPackages[family] = [...(block.buildPackages[family] ?? []), ...(tools[family] ?? [])];
    }
  }
  return fetchAndUnpack(source);
}

/** `./configure` with one option per line, then a parallel build and install. */
export function configureMakeInstall(options: string[], configure = './configure'): string[] {
  const lines = [`${configure} \\`, ...options.map((o, i) => `    ${o}${i === options.length - 1 ? '' : ' \\'}`)];
  if (options.length === 0) lines[0] = configure;
  return [...lines, 'make -j"$(nproc)"', 'make install'];
}

/** A %test check that fails the build with a message when a command's output lacks a word. */
export function outputMustMention(command: string, word: string, what: string): string[] {
  return [
    `out=$(${command} 2>&1) || { echo "%test: '${command}' failed" >&2; exit 1; }`,
    `case "$out" in`,
    `  *'${word.replace(/'/g, `'\\''`)}'*) echo "ok: ${what}" ;;`,
    `  *) echo "%test: ${what} not found in '${command}' output" >&2; exit 1 ;;`,
    'esac',
  ];
}

/** A %test check that fails the build when a command's output has no line matching an extended regex. */
export function outputMustMatch(command: string, regex: string, what: string): string[] {
  const shown = regex.replace(/["`$\\']/g, '.');
  return [
    `out=$(${command} 2>&1) || { echo "%test: '${command}' failed" >&2; exit 1; }`,
    `if printf '%s\\n' "$out" | grep -Eq '${regex.replace(/'/g, `'\\''`)}'; then`,
    `  echo "ok: ${what}"`,
    'else',
    `  echo "%test: ${what}: no match for ${shown} in '${command}' output" >&2`,
    '  exit 1',
    'fi',
  ];
}

/** A %test check that a shared library really links (directly or not) against another one. */
export function mustLink(library: string, dependency: string, what: string): string[] {
  return outputMustMatch(`ldd ${library}`, `${dependency.replace(/\./g, '[.]')}`, what);
}

/** A %test check that a directory has a file matching a glob (a built plugin or module). */
export function fileMustExist(dir: string, glob: string, what: string): string[] {
  return [
    `if [ -n "$(find ${dir} -maxdepth 1 -name '${glob}' -print -quit 2>/dev/null)" ]; then`,
    `  echo "ok: ${what}"`,
    'else',
    `  echo "%test: ${what}: no ${glob} in ${dir}" >&2`,
    '  exit 1',
    'fi',
  ];
}
