// The application part of the build stage: where its source comes from (a shallow git clone, or a
// host directory or archive copied in with %files), the compilers (the MPI's wrappers), GPU targets,
// and the build system's configure / build / install commands.
import type { AppPlan, Plan } from '../plan.js';
import { BUILD_DIR, emptyBlock, type Block } from './block.js';
import { packagesOf } from './mpi-common.js';
import { comment, dq, shQuote } from '../shell.js';
import { fetchAndUnpack, resolveSource, type SourceFile } from '../sources.js';
import type { Component } from '../../facts/index.js';

const ARCHIVE = /\.(tar\.gz|tgz|tar\.bz2)$/;
const COMMIT = /^[0-9a-f]{40}$/;
/** Branch names that move: a build of one takes whatever the branch holds that day (DEF406). */
export const MOVING_REFS = new Set(['main', 'master', 'develop', 'dev', 'trunk', 'HEAD', 'nightly', 'stable', 'release']);

/** True for a `path` source that is an archive (unpacked in %post) rather than a directory. */
export function isArchive(path: string): boolean {
  return ARCHIVE.test(path);
}

/**
 * Where %files puts a `path` source in the build stage. Apptainer creates the destination's parent
 * directories and copies with `cp -fLr` (internal/pkg/build/files/files.go, CopyFromHost), so a
 * directory lands as this path itself.
 */
export function localSourceTarget(path: string): string {
  const ext = ARCHIVE.exec(path)?.[1];
  return `${BUILD_DIR}/app-source${ext ? `.${ext}` : ''}`;
}

/** `%files` lines of the build stage for the application's source (`app.source.path`). */
export function appSourceFiles(plan: Plan): string[] {
  const path = plan.app?.source?.path;
  return path ? [`${path} ${localSourceTarget(path)}`] : [];
}

/** The application's release archive (`app.source.url`) through the sources module: mirror, checksum, listing. */
export function appSourceFile(plan: Plan): SourceFile | undefined {
  const src = plan.app?.source;
  if (!src?.url) return undefined;
  return resolveSource({ name: 'app', defaultUrl: src.url, entry: src.sha256 ? { sha256: src.sha256 } : undefined }, plan.sourceMirror);
}

/** A word for a build command line: bare when safe, else double-quoted with `$NAME` still expanding. */
export function optionWord(word: string): string {
  return /^[A-Za-z0-9_/.,:+@=-]+$/.test(word) && !word.startsWith('=') ? word : dq(word);
}

/** Does the build need the MPI's Fortran wrapper? Only when the MPI has one (source build with Fortran). */
function hasMpiFortran(plan: Plan): boolean {
  if (plan.model === 'none') return false;
  return plan.mpiSource === 'hpcx' || (plan.mpiSource === 'tarball' && plan.fortran && plan.impl !== 'intelmpi');
}

/** Lines that fetch or unpack the source and leave the shell in the directory the build starts in. */
function sourceLines(plan: Plan, app: AppPlan): string[] {
  const src = app.source;
  const lines: string[] = [];
  const sub = src?.subdir ? `/${src.subdir}` : '';
  if (src?.git) {
    const { url, ref, submodules } = src.git;
    if (ref && COMMIT.test(ref)) {
      // A commit is fetched by id: `git clone --branch` takes tags and branches only.
      lines.push(
        'git init -q src',
        `git -C src remote add origin ${shQuote(url)}`,
        `git -C src fetch -q --depth 1 origin ${ref}`,
        'git -C src checkout -q FETCH_HEAD',
      );
      if (submodules) lines.push('git -C src submodule update -q --init --recursive --depth 1');
    } else {
      const flags = ['--depth 1', ...(ref ? [`--branch ${ref}`] : []), ...(submodules ? ['--recurse-submodules', '--shallow-submodules'] : [])];
      lines.push(`git clone -q ${flags.join(' ')} ${shQuote(url)} src`);
    }
    lines.push('echo "application source: $(git -C src rev-parse HEAD)"', `cd src${sub}`);
  } else if (src?.url) {
    const file = appSourceFile(plan);
    if (file) lines.push(...fetchAndUnpack(file));
    if (sub) lines.push(`cd .${sub}`);
  } else if (src?.path) {
    const target = localSourceTarget(src.path);
    if (isArchive(src.path)) {
      if (src.sha256) lines.push(`echo "${src.sha256}  ${target}" | sha256sum -c -`);
      lines.push(
        'mkdir -p src',
        `tar -xf ${target} -C src`,
        comment('An archive with a single top directory builds in that directory.'),
        'set -- src/*',
        'if [ "$#" -eq 1 ] && [ -d "$1" ]; then cd "$1"; else cd src; fi',
      );
      if (sub) lines.push(`cd .${sub}`);
    } else {
      lines.push(`cd ${target}${sub}`);
    }
  }
  return lines;
}

/** Compilers and GPU targets, exported for every build system (CMake, configure and make read them). */
function compilerLines(plan: Plan, app: AppPlan): string[] {
  const lines: string[] = [];
  if (app.mpiCompilers) {
    lines.push(`export CC=mpicc CXX=mpicxx${hasMpiFortran(plan) ? ' FC=mpif90' : ''}`);
  }
  const flags = gpuArchFlags(plan);
  if (flags) lines.push(`export GPU_ARCH_FLAGS="${flags}"`);
  return lines;
}

/** nvcc `-gencode` flags (NVIDIA) or `--offload-arch` flags (AMD, hipcc/clang) for the recipe's GPU targets. */
export function gpuArchFlags(plan: Plan): string {
  if (plan.gpu === 'nvidia')
    return plan.cudaArchs
      .map((a) => a.replace(/^sm_/, ''))
      .map((n) => `-gencode=arch=compute_${n},code=sm_${n}`)
      .join(' ');
  if (plan.gpu === 'amd') return plan.rocmArchs.map((a) => `--offload-arch=${a}`).join(' ');
  return '';
}

function continued(first: string, words: string[]): string[] {
  if (words.length === 0) return [first];
  return [`${first} \\`, ...words.map((w, i) => `    ${w}${i === words.length - 1 ? '' : ' \\'}`)];
}

const MESON_BUILDTYPE: Record<AppPlan['buildType'], string> = { Release: 'release', Debug: 'debug', RelWithDebInfo: 'debugoptimized', MinSizeRel: 'minsize' };

/** Configure, build and install with the chosen build system (all but `script`). */
function buildSystemLines(plan: Plan, app: AppPlan): string[] {
  const options = app.options.map(optionWord);
  switch (app.system) {
    case 'cmake': {
      const defs = [`-DCMAKE_BUILD_TYPE=${app.buildType}`, '-DCMAKE_INSTALL_PREFIX="$APP_PREFIX"'];
      if (plan.gpu === 'nvidia' && plan.cudaArchs.length)
        defs.push(`-DCMAKE_CUDA_ARCHITECTURES="${plan.cudaArchs.map((a) => a.replace(/^sm_/, '')).join(';')}"`);
      if (plan.gpu === 'amd' && plan.rocmArchs.length) defs.push(`-DCMAKE_HIP_ARCHITECTURES="${plan.rocmArchs.join(';')}"`);
      return [...continued('cmake -S . -B build', [...defs, ...options]), 'cmake --build build --parallel "$(nproc)"', 'cmake --install build'];
    }
    case 'autotools': {
      const lines = app.source?.git ? [comment('A git checkout has no generated ./configure.'), 'autoreconf -fi'] : [];
      return [...lines, ...continued('./configure', ['--prefix="$APP_PREFIX"', ...options]), 'make -j"$(nproc)"', 'make install'];
    }
    case 'make':
      return [...continued('make -j"$(nproc)"', options), ...continued('make install', ['PREFIX="$APP_PREFIX"', 'prefix="$APP_PREFIX"', ...options])];
    case 'meson':
      return [
        ...continued('meson setup build', ['--prefix="$APP_PREFIX"', `--buildtype=${MESON_BUILDTYPE[app.buildType]}`, ...options]),
        'meson compile -C build -j "$(nproc)"',
        'meson install -C build',
      ];
    case 'script':
      return [];
  }
}

/**
 * The application's lines in %post after `cd "$BUILD_DIR/app"`: source, compilers, build. A bare
 * script recipe (no source, `system: script`) gets exactly its script, as before.
 */
export function appBuildLines(plan: Plan): string[] {
  const app = plan.app;
  if (!app) return [];
  const lines = [...sourceLines(plan, app)];
  if (app.system === 'script') {
    // A loop, not a spread: a script can have more lines than a call has arguments.
    if (plan.appScript) for (const line of plan.appScript.replace(/\n+$/, '').split('\n')) lines.push(line);
    return lines;
  }
  lines.push(...compilerLines(plan, app), ...buildSystemLines(plan, app));
  return lines;
}

/** The build-stage packages the application's source and build system need. */
export function appBlock(plan: Plan): Block {
  const block = emptyBlock('app', 'app', 'Application build tools');
  const app = plan.app;
  if (!app) return block;
  const components: Component[] = [];
  if (app.source?.git) components.push('git', 'fetch');
  if ((app.source?.path && isArchive(app.source.path)) || app.source?.url) components.push('fetch');
  const file = appSourceFile(plan);
  if (file) block.sources.push(file);
  if (app.system === 'cmake') components.push('cmake');
  if (app.system === 'meson') components.push('meson');
  if (app.system === 'autotools' && app.source?.git) components.push('autotools');
  block.buildPackages = packagesOf(plan, 'build', ...components);
  return block;
}
