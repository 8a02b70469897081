// Issue 17, vendor stacks: every configure option the generator emits for GPU-aware Open MPI 5 over
// UCX or libfabric exists in the real configure scripts. The sources are Debian's `.orig` tarballs
// (upstream releases): Open MPI 5.0.7 (trixie) has a generated `configure`, whose `--help` is
// asked; libfabric 2.1.0 (trixie) and UCX 1.13.1 (bookworm) are snapshots without one, so their
// configure.ac and m4 files are read for the options they declare (AC_ARG_WITH, AC_ARG_ENABLE,
// libfabric's FI_PROVIDER_SETUP). Nothing is compiled: this proves option names, not a build.
//
// Run only this file: `npm run build && npx vitest run --config test/e2e/vitest.config.ts test/e2e/configure-options.e2e.ts`
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolvePlan } from '../../src/generate/plan.js';
import { selectBlocks } from '../../src/generate/blocks/index.js';
import { loadRecipe } from '../../src/generate/load.js';
import { debianSources, type OrigTarball } from './harness/debian-sources.js';
import { runChecked } from './harness/process.js';
import { recipePath } from './harness/recipes.js';
import { buildSkipReason } from './harness/rootfs.js';
import { removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

const skip = skipOrFail(await buildSkipReason());

const TARBALLS: (OrigTarball & { dir: string })[] = [
  {
    pkg: 'openmpi',
    release: 'trixie',
    file: 'openmpi_5.0.7.orig.tar.xz',
    sha256: '97f10c04e9b9a1771db3fd005009e4c07afa3ce739f940e41eb0fc7397cb9473',
    dir: 'openmpi',
  },
  {
    pkg: 'libfabric',
    release: 'trixie',
    file: 'libfabric_2.1.0.orig.tar.xz',
    sha256: '1a66369772d5bb151737214af1c478993e969cf298e8f9ed369e7a2ab8d8c6df',
    dir: 'libfabric',
  },
  {
    pkg: 'ucx',
    release: 'bookworm',
    file: 'ucx_1.13.1.orig.tar.xz',
    sha256: '1a88e09ca1b406c046a469c2ae271d2c330050b5664c0bcd9890e26c6ef09f3c',
    dir: 'ucx',
  },
];

/** Environment variables every autoconf configure takes (autoconf manual, "Preset Output Variables"). */
const AUTOCONF_VARIABLES = new Set(['CC', 'CXX', 'FC', 'CFLAGS', 'CXXFLAGS', 'FCFLAGS', 'FFLAGS', 'CPPFLAGS', 'LDFLAGS', 'LIBS']);

let work = '';

/** `--with-cuda=/x` -> `with-cuda`; `--without-bfd` -> `with-bfd`; `--disable-debug` -> `enable-debug`; `LDFLAGS=...` -> `LDFLAGS`. */
function optionKey(option: string): string {
  const m = /^--(with|without|enable|disable)-([A-Za-z0-9_-]+)/.exec(option);
  if (!m) return option.split('=')[0];
  return `${m[1] === 'without' ? 'with' : m[1] === 'disable' ? 'enable' : m[1]}-${m[2]}`;
}

/** The options of a block's configure line (the lines after `... configure \`). */
function configureOptions(build: string[]): string[] {
  const start = build.findIndex((l) => /configure(-release)? \\$/.test(l));
  if (start === -1) return [];
  const options: string[] = [];
  for (const line of build.slice(start + 1)) {
    if (!line.startsWith('    ')) break;
    options.push(line.trim().replace(/ \\$/, ''));
  }
  return options;
}

function filesUnder(dir: string, accept: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) filesUnder(full, accept, out);
    else if (accept(name)) out.push(full);
  }
  return out;
}

/** Options declared by configure.ac and the m4 files of a source tree without `configure`. */
function declaredInSources(tree: string): Set<string> {
  const keys = new Set<string>();
  for (const file of filesUnder(tree, (n) => n === 'configure.ac' || n.endsWith('.m4'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/AC_ARG_(WITH|ENABLE)\(\s*\[?([A-Za-z0-9_-]+)\]?/g)) keys.add(`${m[1].toLowerCase()}-${m[2]}`);
    // libfabric: FI_PROVIDER_SETUP([tcp]) declares --enable-tcp (config/fi_provider.m4: AC_ARG_ENABLE([$1])).
    for (const m of text.matchAll(/FI_PROVIDER_SETUP\(\[([a-z0-9_]+)\]\)/g)) keys.add(`enable-${m[1]}`);
    // UCX: DX_ARG_ABLE(doc, ...) declares --enable-doxygen-doc (config/m4/ax_prog_doxygen.m4: AC_ARG_ENABLE(doxygen-$1)).
    for (const m of text.matchAll(/DX_ARG_ABLE\(([a-z]+),/g)) keys.add(`enable-doxygen-${m[1]}`);
  }
  return keys;
}

/** Options `./configure --help` lists. */
async function declaredByConfigure(tree: string): Promise<Set<string>> {
  const help = (await runChecked(['./configure', '--help'], { cwd: tree })).stdout;
  const keys = new Set<string>();
  for (const m of help.matchAll(/^\s+--(with|without|enable|disable)-([A-Za-z0-9_-]+)/gm)) keys.add(optionKey(`--${m[1]}-${m[2]}`));
  for (const m of help.matchAll(/^\s+([A-Z][A-Z0-9_]+)\s/gm)) keys.add(m[1]);
  return keys;
}

/** The configure options each source-built component gets for a fixture recipe. */
function emitted(recipe: string): Map<string, string[]> {
  const loaded = loadRecipe(readFileSync(recipePath(recipe.replace(/\.yaml$/, '')), 'utf8'), recipe);
  if (!loaded.ok) throw new Error(loaded.errors.map((p) => p.message).join('; '));
  const out = new Map<string, string[]>();
  for (const block of selectBlocks(resolvePlan(loaded.recipe))) {
    const options = configureOptions(block.build);
    if (options.length) out.set(block.id, options);
  }
  return out;
}

describe.skipIf(skip)('configure options of GPU-aware Open MPI 5 exist in the real configure scripts', () => {
  const declared = new Map<string, Set<string>>();

  beforeAll(async () => {
    const mirror = await debianSources(TARBALLS);
    work = scratchDir('configure-options');
    for (const t of TARBALLS) {
      const tree = path.join(work, t.dir);
      await runChecked(['mkdir', '-p', tree]);
      await runChecked(['tar', '-xf', path.join(mirror, t.file), '-C', tree, '--strip-components=1']);
      declared.set(t.dir, t.dir === 'openmpi' ? await declaredByConfigure(tree) : declaredInSources(tree));
    }
  }, 20 * 60_000);

  afterAll(async () => {
    if (work) await removeScratch(work);
  });

  const checks: [string, string, string][] = [
    ['openmpi5-cuda-ofi', 'openmpi', 'openmpi'],
    ['openmpi5-cuda-ofi', 'libfabric', 'libfabric'],
    ['openmpi5-cuda-ucx', 'openmpi', 'openmpi'],
    ['openmpi5-cuda-ucx', 'ucx', 'ucx'],
  ];
  test.each(checks)('%s: every %s option is declared by %s', (recipe, block, tree) => {
    const options = emitted(`${recipe}.yaml`).get(block);
    expect(options, `${recipe} has no ${block} configure line`).toBeDefined();
    const keys = declared.get(tree)!;
    const unknown = options!.filter((o) => {
      const key = optionKey(o);
      return key !== '--prefix' && !keys.has(key) && !AUTOCONF_VARIABLES.has(key);
    });
    expect(unknown).toEqual([]);
    process.stdout.write(`[configure-options] ${recipe} ${block}: ${options!.length} options checked: ${options!.join(' ')}\n`);
  });

  test('the check can fail: an option no configure declares is reported', () => {
    expect(declared.get('openmpi')!.has('with-cuda-libdir')).toBe(true);
    expect(declared.get('libfabric')!.has('with-gdrcopy')).toBe(true);
    expect(declared.get('openmpi')!.has('with-no-such-thing')).toBe(false);
    expect(declared.get('ucx')!.has('with-no-such-thing')).toBe(false);
  });
});
