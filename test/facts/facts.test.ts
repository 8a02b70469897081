// src/facts: the one table of distribution, package, compiler and driver facts. The package-name
// check against Debian's real index runs in CI (`npm run check:packages`); these tests hold that the
// generator emits no apt name outside that table, and that the table's lookups behave.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RELEASES, aptNamesFor, componentPackages, driverPackage, intelMpiLayout, releaseOf, systemLibDir } from '../../src/facts/index.js';
import { driverPackage as def751Classifier } from '../../src/lint/rules/gpu/gpu-driver-in-image.js';
import { generate } from '../../src/generate/index.js';
import { readRecipe, recipeFiles } from '../generate/helpers.js';

/** Package names on `apt-get install` lines of a def (continuation lines included). */
function aptInstalled(def: string): string[] {
  const names: string[] = [];
  let inInstall = false;
  for (const raw of def.split('\n')) {
    const line = raw.trim();
    if (/^apt-get install\b/.test(line)) inInstall = true;
    else if (!inInstall) continue;
    for (const word of line.replace(/\\$/, '').split(/\s+/))
      if (/^[a-z0-9][a-z0-9+.-]+$/.test(word) && !['apt-get', 'install'].includes(word)) names.push(word);
    if (!line.endsWith('\\')) inInstall = false;
  }
  return names;
}

const VENDOR = /^(intel-oneapi-|cuda-)/;

const SYNTHETIC = ['debian:bookworm', 'debian:trixie', 'ubuntu:22.04', 'ubuntu:24.04'].flatMap((image) =>
  [
    { model: 'pmi', impl: 'openmpi', pmi: { interface: 'pmix' }, fabric: { transports: ['ucx', 'ofi', 'psm2'] } },
    { model: 'pmi', impl: 'mpich', pmi: { interface: 'pmi1' }, fabric: { transports: ['ofi'] } },
    { model: 'pmi', impl: 'mvapich2', pmi: { interface: 'pmi2' }, fabric: { transports: ['verbs'] } },
    { model: 'pmi', impl: 'openmpi', source: 'distro', pmi: { interface: 'pmix' } },
    { model: 'hybrid', impl: 'mpich', source: 'distro' },
    { model: 'bind', impl: 'openmpi', source: 'distro', bind: { hostPrefix: '/opt/ompi' } },
    { model: 'pmi', impl: 'intelmpi', pmi: { interface: 'pmi2' }, fabric: { transports: ['ofi'] } },
  ].map((mpi) => ({ name: 'synthetic', image, mpi })),
);

describe('every apt package the generator emits comes from the facts table', () => {
  const cases = [
    ...recipeFiles().map((file) => ({ name: file, text: readRecipe(file) })),
    ...SYNTHETIC.map((s, i) => ({
      name: `${s.image} ${s.mpi.model} ${s.mpi.impl} #${i}`,
      text: stringify({
        apiVersion: 'apptainer-gen/v1',
        name: 'x',
        base: { image: s.image },
        mpi: s.mpi,
        packages: { aliases: ['cmake', 'git', 'python3', 'numa'] },
        app: { build: { script: 'true\n' } },
      }),
    })),
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = generate(c.text, { filename: 'x.yaml' });
      if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
      const raw = new Set<string>([...(/apt: \[([^\]]*)\]/.exec(c.text)?.[1].split(/,\s*/) ?? [])]);
      const installed = aptInstalled(result.def).filter((n) => !raw.has(n) && !VENDOR.test(n));
      if (installed.length === 0) return;
      const image = /image: (\S+)/.exec(c.text)?.[1] ?? '';
      const os = /osVersion: (\S+)/.exec(c.text)?.[1];
      const distro = /ubuntu/.test(image + (/mirrorUrl: (\S+)/.exec(c.text)?.[1] ?? '')) ? 'ubuntu' : 'debian';
      const known = aptNamesFor(releaseOf(distro, os ?? image).release);
      expect(installed.filter((n) => !known.has(n))).toEqual([]);
    });
  }
});

describe('facts lookups', () => {
  it('reads releases from image tags and osVersion, with a default when unnamed', () => {
    expect(releaseOf('debian', 'debian:bookworm-slim')).toMatchObject({ release: { id: 'bookworm', gccMajor: 12 }, known: true });
    expect(releaseOf('debian', 'trixie').release.id).toBe('trixie');
    expect(releaseOf('ubuntu', 'nvidia/cuda:12.4.1-devel-ubuntu22.04').release.id).toBe('22.04');
    expect(releaseOf('ubuntu', 'noble').release).toMatchObject({ id: '24.04', components: ['main', 'universe'] });
    expect(releaseOf('debian', 'debian:latest')).toMatchObject({ known: false, release: { id: 'trixie' } });
    expect(releaseOf('el8', 'rockylinux:8').release.gccMajor).toBe(8);
  });

  it('gives release-specific names where a release renamed a library', () => {
    const trixie = releaseOf('debian', 'trixie').release;
    const bookworm = releaseOf('debian', 'bookworm').release;
    expect(componentPackages('pmix', 'runtime', trixie).apt).toEqual(['libpmix2t64']);
    expect(componentPackages('pmix', 'runtime', bookworm).apt).toEqual(['libpmix2']);
    expect(componentPackages('slurm-pmi2', 'build', releaseOf('opensuse', undefined).release).zypper).toEqual(['slurm-devel']);
  });

  it('knows library directories per architecture', () => {
    expect(systemLibDir('apt', 'aarch64')).toBe('/usr/lib/aarch64-linux-gnu');
    expect(systemLibDir('apt', 'ppc64le')).toBe('/usr/lib/powerpc64le-linux-gnu');
    expect(systemLibDir('dnf', 'aarch64')).toBe('/usr/lib64');
  });

  it('knows the Intel MPI layout change at 2021.11', () => {
    expect(intelMpiLayout('2021.10').providerDir).toBe('libfabric/lib/prov');
    expect(intelMpiLayout('2021.11').providerDir).toBe('opt/mpi/libfabric/lib/prov');
    expect(intelMpiLayout('2021.13').libDirs).not.toContain('lib/release');
  });

  it('checks at least two Debian releases in CI, each with a cited compiler', () => {
    const checked = RELEASES.filter((r) => r.checkedInCi);
    expect(checked.map((r) => r.id)).toEqual(['bookworm', 'trixie']);
    for (const r of RELEASES) expect(r.gccSource.length).toBeGreaterThan(10);
  });
});

describe('one driver classifier', () => {
  it('is the one DEF751 uses', () => {
    expect(def751Classifier).toBe(driverPackage);
  });
  it('rejects driver packages of every family and keeps toolkit packages and nvidia-modprobe', () => {
    for (const name of [
      'nvidia-headless-550',
      'nvidia-headless-no-dkms-550-server',
      'kmod-nvidia-latest-dkms',
      'nvidia-open',
      'nvidia-open-550',
      'nvidia-driver-cuda',
      'cuda-drivers',
      'libnvidia-compute-550',
      'cuda-12-4',
      'amdgpu-dkms',
    ]) {
      expect(driverPackage(name), name).toBeDefined();
    }
    for (const name of ['nvidia-modprobe', 'cuda-toolkit-12-4', 'cuda-libraries-12-4', 'libnvidia-container1', 'nvidia-cuda-toolkit'])
      expect(driverPackage(name), name).toBeUndefined();
  });
});
