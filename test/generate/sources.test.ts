// Issue 11: source mirrors and pinned sources. `sources:` (mirror, per-component url/sha256/autogen),
// `--source-mirror URL|DIR`, `apptainer-gen sources`, and what the generated %post does with them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate, listSources } from '../../src/generate/index.js';
import { fetchAndUnpack, fileNameOf, mirrorProblem, parseMirror, resolveSource } from '../../src/generate/sources.js';
import { run as generateCmd } from '../../src/cli/commands/generate.js';
import { run as sourcesCmd } from '../../src/cli/commands/sources.js';
import { lintProblems, mustGenerate, parseProblems, shellSyntaxProblems } from './helpers.js';
import { captureCli } from '../helpers/capture.js';

const SHA_OMPI = 'ddaee7dbdb01eb4fab1fda5b5e03e8bbff026711806c095c1f39bb410f99f263';
const SHA_PMIX = '4a534a8f87220c6f0d1b4b3195820f585ffaf3ceb8e21e40460d58439b81d47b';

/** Open MPI 4.1.4 + PMIx + UCX from tarballs (two-stage), with an optional `sources:` block. */
function recipe(sources = ''): string {
  return [
    'apiVersion: apptainer-gen/v1',
    'name: t',
    'base:',
    '  image: ubuntu:22.04',
    'mpi:',
    '  model: pmi',
    '  impl: openmpi',
    '  version: 4.1.4',
    '  pmi: { interface: pmix, provider: source, pmixVersion: 4.2.2 }',
    '  fabric: { transports: [ucx], source: tarball, ucxVersion: 1.13.1 }',
    'app:',
    '  build:',
    '    script: |',
    '      mkdir -p "$APP_PREFIX/bin"',
    sources,
  ].join('\n');
}

const stages = (def: string) => def.split(/^Bootstrap:/m).slice(1);

describe('sources: mirrors and pinned tarballs', () => {
  it('without sources: every tarball is downloaded from upstream, unpacked into ./src whatever its top folder', () => {
    const { def } = mustGenerate(recipe());
    expect(def).toContain('curl -fsSL --retry 3 -o openmpi-4.1.4.tar.bz2 "https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.4.tar.bz2"');
    expect(def).toContain('tar -xf openmpi-4.1.4.tar.bz2 -C src --strip-components=1\ncd src\n');
    expect(def).not.toContain('sha256sum');
    expect(def).not.toMatch(/^%files$/m);
  });

  it('a per-component url and sha256: the build downloads that URL and checks the digest before unpacking', () => {
    const { def } = mustGenerate(
      recipe(`sources:\n  openmpi:\n    url: https://deb.debian.org/debian/pool/main/o/openmpi/openmpi_4.1.4.orig.tar.xz\n    sha256: ${SHA_OMPI}\n`),
    );
    const lines = def.split('\n');
    const get = lines.indexOf(
      'curl -fsSL --retry 3 -o openmpi_4.1.4.orig.tar.xz "https://deb.debian.org/debian/pool/main/o/openmpi/openmpi_4.1.4.orig.tar.xz"',
    );
    const check = lines.indexOf(`echo "${SHA_OMPI}  openmpi_4.1.4.orig.tar.xz" | sha256sum -c -`);
    const unpack = lines.indexOf('tar -xf openmpi_4.1.4.orig.tar.xz -C src --strip-components=1');
    expect(get).toBeGreaterThan(0);
    expect(check).toBe(get + 1);
    expect(unpack).toBeGreaterThan(check);
  });

  it('a mirror URL redirects every tarball to MIRROR/FILE; --source-mirror overrides the recipe', () => {
    const inRecipe = mustGenerate(recipe('sources:\n  mirror: https://mirror.example.org/hpc/\n')).def;
    for (const file of ['ucx-1.13.1.tar.gz', 'pmix-4.2.2.tar.bz2', 'openmpi-4.1.4.tar.bz2']) {
      expect(inRecipe).toContain(`-o ${file} "https://mirror.example.org/hpc/${file}"`);
    }
    expect(inRecipe).not.toContain('github.com');
    const overridden = generate(recipe('sources:\n  mirror: https://mirror.example.org/hpc\n'), { sourceMirror: 'https://other.example.net/t' });
    expect(overridden.ok && overridden.def).toContain('"https://other.example.net/t/openmpi-4.1.4.tar.bz2"');
  });

  it('a directory mirror: %files copies each tarball into the build stage only, and %post removes it', () => {
    const result = generate(recipe(`sources:\n  openmpi: { sha256: ${SHA_OMPI} }\n`), { sourceMirror: '/srv/tarballs' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [build, runtime] = stages(result.def);
    expect(build).toMatch(
      /^%files\n {4}\/srv\/tarballs\/ucx-1\.13\.1\.tar\.gz \/usr\/local\/src\/apptainer-gen\/sources\/ucx-1\.13\.1\.tar\.gz\n {4}\/srv\/tarballs\/pmix-4\.2\.2\.tar\.bz2 \S+\n {4}\/srv\/tarballs\/openmpi-4\.1\.4\.tar\.bz2 \S+\n/m,
    );
    expect(build).toContain(`echo "${SHA_OMPI}  /usr/local/src/apptainer-gen/sources/openmpi-4.1.4.tar.bz2" | sha256sum -c -`);
    expect(build).not.toMatch(/\bcurl -/);
    expect(build).toMatch(/^rm -rf "\$BUILD_DIR"$/m);
    expect(runtime).not.toContain('/srv/tarballs');
    expect(runtime).not.toContain('.tar.');
  });

  it('a directory mirror in a single-stage build still goes into BUILD_DIR, which %post removes', () => {
    const { def } = mustGenerate(recipe('stages: { multistage: false }\nsources:\n  mirror: ./tarballs\n'));
    expect(stages(def)).toHaveLength(1);
    expect(def).toContain('    ./tarballs/openmpi-4.1.4.tar.bz2 /usr/local/src/apptainer-gen/sources/openmpi-4.1.4.tar.bz2');
  });

  it('autogen: true runs the component script after unpacking and brings the autotools into the build stage only', () => {
    const { def } = mustGenerate(recipe(`sources:\n  pmix: { sha256: ${SHA_PMIX}, autogen: true }\n`));
    const [build, runtime] = stages(def);
    expect(build).toContain('tar -xf pmix-4.2.2.tar.bz2 -C src --strip-components=1\ncd src\n./autogen.pl\n./configure \\');
    for (const pkg of ['autoconf', 'automake', 'libtool', 'flex']) {
      expect(build).toMatch(new RegExp(`^ {4}${pkg} \\\\$`, 'm'));
      expect(runtime).not.toMatch(new RegExp(`^ {4}${pkg}\\b`, 'm'));
    }
    expect(build).not.toContain('./autogen.sh'); // UCX and Open MPI are release tarballs here
  });

  it("prepare: the recipe's lines run in the unpacked tree, before autogen", () => {
    const { def } = mustGenerate(
      recipe('sources:\n  ucx:\n    prepare: |\n      mv debian.upstream debian\n      patch -p1 < /opt/fix.patch\n    autogen: true\n'),
    );
    expect(def).toContain('cd src\nmv debian.upstream debian\npatch -p1 < /opt/fix.patch\n./autogen.sh\n./contrib/configure-release \\');
  });

  it('every variant lints clean (recommended and hpc, ShellCheck on), parses as Apptainer does and passes bash -n', async () => {
    const variants = [
      generate(recipe(`sources:\n  openmpi: { sha256: ${SHA_OMPI} }\n  pmix: { autogen: true }\n`), { sourceMirror: '/srv/tarballs' }),
      generate(recipe('sources:\n  mirror: https://mirror.example.org/hpc\n')),
    ];
    for (const result of variants) {
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      expect(parseProblems(result.def)).toEqual([]);
      expect(shellSyntaxProblems(result.def)).toEqual([]);
      expect([...(await lintProblems(result.def, 't.def', 'recommended')), ...(await lintProblems(result.def, 't.def', 'hpc'))]).toEqual([]);
    }
  }, 60_000);

  it("the linter's download rule sees a checksummed download as verified, and an unchecked one as not", async () => {
    const { lint } = await import('../../src/lint/index.js');
    const def504 = async (text: string) =>
      (await lint(text, { filename: 't.def', config: { extends: 'recommended' }, shellcheck: false })).filter((f) => f.ruleId === 'DEF504');
    const pinned = `sources:\n  ucx: { sha256: ${SHA_OMPI} }\n  pmix: { sha256: ${SHA_PMIX} }\n  openmpi: { sha256: ${SHA_OMPI} }\n`;
    expect(await def504(mustGenerate(recipe(pinned)).def)).toEqual([]);
    expect((await def504(mustGenerate(recipe()).def)).length).toBeGreaterThan(0);
  });

  it('apptainer-gen sources lists name, mirror file name, URL and checksum in build order', () => {
    const result = listSources(
      recipe(`sources:\n  openmpi:\n    url: https://deb.debian.org/debian/pool/main/o/openmpi/openmpi_4.1.4.orig.tar.xz\n    sha256: ${SHA_OMPI}\n`),
    );
    expect(result.ok && result.listing).toBe(
      [
        'ucx\tucx-1.13.1.tar.gz\thttps://github.com/openucx/ucx/releases/download/v1.13.1/ucx-1.13.1.tar.gz\t-',
        'pmix\tpmix-4.2.2.tar.bz2\thttps://github.com/openpmix/openpmix/releases/download/v4.2.2/pmix-4.2.2.tar.bz2\t-',
        `openmpi\topenmpi_4.1.4.orig.tar.xz\thttps://deb.debian.org/debian/pool/main/o/openmpi/openmpi_4.1.4.orig.tar.xz\t${SHA_OMPI}`,
        '',
      ].join('\n'),
    );
  });

  it('a bind-model recipe without an application lists nothing: its def builds no MPI', () => {
    const bind = 'apiVersion: apptainer-gen/v1\nname: b\nbase: { image: ubuntu:22.04 }\nmpi: { model: bind, impl: openmpi, bind: { hostPrefix: /opt/ompi } }\n';
    const result = listSources(bind);
    expect(result.ok && result.listing).toBe('');
    expect(result.ok && generate(bind).ok && (generate(bind) as { def: string }).def).not.toContain('curl -');
  });
});

describe('sources: recipe errors and warnings', () => {
  it('a malformed sha256 is an error at its YAML position', () => {
    const result = generate(recipe('sources:\n  openmpi:\n    sha256: abc123\n'), { filename: 'r.yaml' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ file: 'r.yaml', line: 17, column: 13, path: '/sources/openmpi/sha256' });
    expect(result.errors[0].message).toMatch(/64 lower-case hexadecimal digits/);
  });

  it('an unknown component, a URL with shell characters, and a mirror with spaces are errors', () => {
    const unknown = generate(recipe('sources:\n  openmpii: { sha256: x }\n'));
    expect(!unknown.ok && unknown.errors[0].message).toMatch(/unknown property 'openmpii'. Did you mean 'openmpi'\?/);
    const shell = generate(recipe('sources:\n  ucx: { url: "https://x.org/$(id).tar.gz" }\n'));
    expect(!shell.ok && shell.errors[0].path).toBe('/sources/ucx/url');
    const spaced = generate(recipe('sources:\n  mirror: "/srv/my tarballs"\n'));
    expect(!spaced.ok && spaced.errors[0].path).toBe('/sources/mirror');
  });

  it('GEN801: an entry for a component the recipe does not build from a tarball is a warning', () => {
    const result = generate(recipe(`sources:\n  mpich: { sha256: ${SHA_OMPI} }\n`));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ ruleId: 'GEN801', path: '/sources/mpich', line: 16, column: 3 })]);
  });

  it('GEN802: a plain-http download without a checksum is a warning; with one it is not', () => {
    const plain = generate(recipe('sources:\n  mirror: http://mirror.site.local/tarballs\n'));
    expect(plain.warnings.filter((w) => w.ruleId === 'GEN802')).toHaveLength(3);
    const pinned = generate(recipe(`sources:\n  openmpi:\n    url: http://mirror.site.local/o.tar.gz\n    sha256: ${SHA_OMPI}\n`));
    expect(pinned.warnings.filter((w) => w.ruleId === 'GEN802')).toEqual([]);
  });

  it('a bad --source-mirror value is an error and nothing is generated', () => {
    const result = generate(recipe(), { sourceMirror: 'dir with space' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0].message).toMatch(/neither an http\(s\) URL nor a directory path/);
  });
});

describe('sources module', () => {
  it('parses mirrors and file names', () => {
    expect(parseMirror('https://m.example.org/x/')).toEqual({ kind: 'url', url: 'https://m.example.org/x' });
    expect(parseMirror('/srv/t/')).toEqual({ kind: 'dir', dir: '/srv/t' });
    expect(parseMirror('/')).toEqual({ kind: 'dir', dir: '/' });
    expect(parseMirror(undefined)).toBeUndefined();
    expect(fileNameOf('https://github.com/o/r/archive/refs/tags/v2.4.4.tar.gz?x=1#y')).toBe('v2.4.4.tar.gz');
    expect(mirrorProblem('https://m.example.org/a b')).toMatch(/not a usable mirror URL/);
    expect(mirrorProblem('ftp://m')).toMatch(/neither/);
    expect(mirrorProblem('../tarballs')).toBeUndefined();
  });

  describe('the generated lines, run for real under bash -e', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'apptainer-gen-sources-'));
      mkdirSync(join(dir, 'pkg-1.0'));
      writeFileSync(join(dir, 'pkg-1.0', 'configure'), '#!/bin/sh\n');
      spawnSync('tar', ['-czf', join(dir, 'pkg-1.0.tar.gz'), '-C', dir, 'pkg-1.0']);
      mkdirSync(join(dir, 'work'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const sha = () => spawnSync('sha256sum', [join(dir, 'pkg-1.0.tar.gz')], { encoding: 'utf8' }).stdout.split(' ')[0];
    const runLines = (sha256: string) => {
      const source = resolveSource({ name: 'pkg', defaultUrl: `file://${dir}/pkg-1.0.tar.gz`, entry: { sha256 } }, undefined);
      const script = ['set -euo pipefail', ...fetchAndUnpack(source), 'test -f configure && echo unpacked'].join('\n');
      return spawnSync('bash', ['-e', '-c', script], { cwd: join(dir, 'work'), encoding: 'utf8' });
    };

    it('the right checksum: downloaded, verified, unpacked into ./src', () => {
      const ok = runLines(sha());
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('unpacked');
    });

    it('a wrong checksum stops the build before anything is unpacked', () => {
      const bad = runLines('0'.repeat(64));
      expect(bad.status).not.toBe(0);
      expect(bad.stdout).toMatch(/FAILED/);
      expect(existsSync(join(dir, 'work', 'src'))).toBe(false);
    });
  });
});

describe('CLI: --source-mirror and apptainer-gen sources', () => {
  const cli = captureCli('apptainer-gen-sources-cli-');

  it('sources prints the tab-separated list; generate --source-mirror DIR copies from DIR', async () => {
    const file = join(cli.dir, 'r.yaml');
    writeFileSync(file, recipe());
    expect(await sourcesCmd([file])).toBe(0);
    expect(
      cli.out
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[1]),
    ).toEqual(['ucx-1.13.1.tar.gz', 'pmix-4.2.2.tar.bz2', 'openmpi-4.1.4.tar.bz2']);
    cli.out = '';
    expect(await generateCmd([file, '--source-mirror', '/srv/mirror'])).toBe(0);
    expect(cli.out).toContain('    /srv/mirror/openmpi-4.1.4.tar.bz2 /usr/local/src/apptainer-gen/sources/openmpi-4.1.4.tar.bz2\n');
  });

  it('a bad --source-mirror is a usage error (exit 2, nothing written)', async () => {
    const file = join(cli.dir, 'r.yaml');
    writeFileSync(file, recipe());
    expect(await generateCmd([file, '--source-mirror', 'a b', '-o', join(cli.dir, 'x.def')])).toBe(2);
    expect(cli.err).toMatch(/--source-mirror/);
    expect(existsSync(join(cli.dir, 'x.def'))).toBe(false);
    expect(await sourcesCmd([file, '--source-mirror', 'ftp://x'])).toBe(2);
  });

  it('sources reports recipe errors as FILE:LINE:COLUMN with exit 2 and prints no list', async () => {
    const file = join(cli.dir, 'r.yaml');
    writeFileSync(file, recipe('sources:\n  ucx: { sha256: nothex }\n'));
    expect(await sourcesCmd([file])).toBe(2);
    expect(cli.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:16:18: error: sources\\.ucx\\.sha256: must be a SHA-256 digest`, 'm'));
    expect(cli.out).toBe('');
  });
});
