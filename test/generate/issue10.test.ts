// Issue 10: recipes that are right on every distribution and MPI the schema offers. One test (or
// more) per defect of the issue; each failed on the generator before the fix.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generate } from '../../src/generate/index.js';
import { mustGenerate } from './helpers.js';

const HEAD = { apiVersion: 'apptainer-gen/v1', name: 'app' };
const APP = { build: { script: 'mpicc -o "$APP_PREFIX/bin/hello" hello.c\n' } };

function gen(recipe: Record<string, unknown>) {
  return mustGenerate(stringify({ ...HEAD, app: APP, ...recipe }), 'app.yaml', { jobScript: true });
}

function errors(recipe: Record<string, unknown>) {
  const result = generate(stringify({ ...HEAD, app: APP, ...recipe }), { filename: 'app.yaml' });
  if (result.ok) throw new Error('expected the recipe to be rejected');
  return result.errors;
}

/** Text of one stage (`build` or `runtime`) of a multi-stage def. */
function stage(def: string, name: 'build' | 'runtime'): string {
  const parts = def.split(/^(?=Bootstrap:)/m);
  return parts.find((p) => new RegExp(`^Stage: ${name}$`, 'm').test(p)) ?? '';
}

describe('hybrid MPICH keeps the PMI that Hydra serves', () => {
  it('builds MPICH and MVAPICH2 without an external PMI library by default, and checks Hydra is there', () => {
    const mpich = gen({ base: { image: 'rockylinux:9' }, mpi: { model: 'hybrid', impl: 'mpich', version: '4.1.2' } });
    expect(mpich.def).not.toMatch(/--with-pmilib|--with-pmi=|libpmi2|slurm-pmi/);
    expect(mpich.def).toContain('test -x /opt/mpich/bin/mpiexec.hydra');
    expect(mpich.def).toContain('org.apptainer-gen.mpi.pmi none');
    expect(mpich.jobScript).toContain('mpirun -n "$SLURM_NTASKS" apptainer');
    const mv2 = gen({ base: { image: 'ubuntu:22.04' }, mpi: { model: 'hybrid', impl: 'mvapich2', version: '2.3.7', fabric: { transports: ['verbs'] } } });
    expect(mv2.def).not.toContain('--with-pm=slurm');
    expect(mv2.def).toContain('test -x /opt/mvapich2/bin/mpirun_rsh');
  });

  it('rejects an external PMI for a hybrid MPICH launched by mpirun, with position; srun is fine', () => {
    const [e] = errors({ base: { image: 'rockylinux:9' }, mpi: { model: 'hybrid', impl: 'mpich', version: '4.1.2', pmi: { interface: 'pmi2' } } });
    expect(e).toMatchObject({ ruleId: 'GEN205', path: '/mpi/pmi/interface', line: 14, column: 16 });
    expect(e.message).toContain('Hydra');
    const srun = gen({
      base: { image: 'rockylinux:9' },
      mpi: { model: 'hybrid', impl: 'mpich', version: '4.1.2', pmi: { interface: 'pmi2' } },
      jobScript: { launcher: 'srun' },
    });
    expect(srun.jobScript).toContain('srun --mpi=pmi2');
  });
});

describe('no silent defaults for the pmi and bind models', () => {
  it('pmi model without pmi.interface is an error at mpi.model', () => {
    const [e] = errors({ base: { image: 'ubuntu:22.04' }, mpi: { model: 'pmi', impl: 'openmpi' } });
    expect(e).toMatchObject({ ruleId: 'GEN203', path: '/mpi/model', line: 10, column: 10 });
    expect(e.message).toContain('pmi.interface');
  });

  it('bind model without bind.hostPrefix is an error at mpi.model', () => {
    const [e] = errors({ base: { image: 'ubuntu:22.04' }, mpi: { model: 'bind', impl: 'mpich' } });
    expect(e).toMatchObject({ ruleId: 'GEN203', path: '/mpi/model' });
    expect(e.message).toContain('hostPrefix');
  });
});

describe('compiler facts gate -fallow-argument-mismatch (gfortran >= 10)', () => {
  const mpi = { model: 'pmi', impl: 'mpich', version: '4.1.2', pmi: { interface: 'pmi2' } };
  it.each([
    ['rockylinux:8', false],
    ['opensuse/leap:15.5', false],
    ['rockylinux:9', true],
    ['ubuntu:22.04', true],
    ['debian:bookworm', true],
  ])('%s: flag %s', (image, expected) => {
    expect(gen({ base: { image }, mpi }).def.includes('-fallow-argument-mismatch')).toBe(expected);
  });
});

describe('package names per distribution release', () => {
  const pmi2 = { model: 'pmi', impl: 'mpich', version: '4.1.2', pmi: { interface: 'pmi2' } };
  it("openSUSE: Slurm's PMI2 headers from slurm-devel, libraries from libpmi0", () => {
    const { def } = gen({ base: { image: 'opensuse/leap:15.5' }, mpi: pmi2 });
    expect(def).not.toContain('libpmi0-devel');
    expect(stage(def, 'build')).toMatch(/^ {4}slurm-devel( \\)?$/m);
    expect(stage(def, 'runtime')).toMatch(/^ {4}libpmi0( \\)?$/m);
  });

  it('Ubuntu debootstrap enables universe before the first apt-get update; docker images need nothing', () => {
    const deboot = gen({
      base: { bootstrap: 'debootstrap', osVersion: 'noble', mirrorUrl: 'http://archive.ubuntu.com/ubuntu' },
      mpi: { ...pmi2, source: 'distro' },
    }).def;
    const build = stage(deboot, 'build');
    const sed = build.indexOf("sed -i -E '/^deb /{/ universe( |$)/!s/$/ universe/}' /etc/apt/sources.list");
    expect(sed).toBeGreaterThan(0);
    expect(sed).toBeLessThan(build.indexOf('apt-get update'));
    expect(stage(deboot, 'runtime')).toContain('universe');
    expect(gen({ base: { image: 'ubuntu:24.04' }, mpi: pmi2 }).def).not.toContain('universe');
  });

  it('Debian 13 and Ubuntu 24.04 use the 64-bit time_t library names', () => {
    const trixie = stage(gen({ base: { image: 'debian:trixie' }, mpi: { model: 'pmi', impl: 'openmpi', pmi: { interface: 'pmix' } } }).def, 'runtime');
    expect(trixie).toContain('libpmix2t64');
    expect(trixie).toContain('libevent-core-2.1-7t64');
    const bookworm = stage(gen({ base: { image: 'debian:bookworm' }, mpi: { model: 'pmi', impl: 'openmpi', pmi: { interface: 'pmix' } } }).def, 'runtime');
    expect(bookworm).toMatch(/^ {4}libpmix2 \\$/m);
    const noble = stage(gen({ base: { image: 'ubuntu:24.04' }, mpi: pmi2 }).def, 'runtime');
    expect(noble).toContain('libpmi2-0t64');
  });
});

describe('Intel MPI layout by version', () => {
  const intel = (version: string) =>
    gen({ base: { image: 'rockylinux:9' }, mpi: { model: 'pmi', impl: 'intelmpi', version, pmi: { interface: 'pmi2' }, fabric: { transports: ['ofi'] } } }).def;
  it('2021.11 and newer: opt/mpi/libfabric and lib', () => {
    const def = intel('2021.13');
    expect(def).toContain('export FI_PROVIDER_PATH="/opt/intel/oneapi/mpi/2021.13/opt/mpi/libfabric/lib/prov"');
    expect(def).toContain('/opt/intel/oneapi/mpi/2021.13/opt/mpi/libfabric/lib${LD_LIBRARY_PATH');
    expect(def).not.toContain('lib/release');
  });
  it('2021.10 and older: libfabric/ and lib/release', () => {
    const def = intel('2021.10');
    expect(def).toContain('export FI_PROVIDER_PATH="/opt/intel/oneapi/mpi/2021.10/libfabric/lib/prov"');
    expect(def).toContain('/opt/intel/oneapi/mpi/2021.10/lib/release${LD_LIBRARY_PATH');
    expect(def).not.toContain('opt/mpi/libfabric');
  });
});

describe('bind model (Cray EX)', () => {
  const cray = {
    model: 'bind',
    impl: 'mpich',
    version: '4.1.2',
    pmi: { interface: 'cray_shasta' },
    fabric: { transports: ['ofi'] },
    bind: { hostPrefix: '/opt/cray/pe/mpich/default/ofi/gnu/9.1' },
  };
  it('compiles against an MPI without Slurm PMI packages or PMI configure options', () => {
    const { def } = gen({ base: { image: 'ubuntu:22.04' }, mpi: { ...cray, pmi: { interface: 'pmi2' } } });
    expect(def).not.toMatch(/libpmi2-0|--with-pmi|--with-pmilib|slurm-pmi/);
  });
  it('puts $MPI_DIR/lib-abi-mpich first and launches with srun --mpi=cray_shasta', () => {
    const { def, jobScript } = gen({ base: { image: 'ubuntu:22.04' }, mpi: cray });
    const env = def.slice(def.indexOf('%environment'));
    expect(env.indexOf('$MPI_DIR/lib-abi-mpich')).toBeGreaterThan(env.indexOf('$MPI_DIR/lib$'.slice(0, -1)));
    expect(jobScript).toContain('srun --mpi=cray_shasta apptainer run --bind "$MPI_DIR"');
  });
  it('accepts cray_shasta only for the bind model', () => {
    const [e] = errors({ base: { image: 'ubuntu:22.04' }, mpi: { model: 'pmi', impl: 'mpich', pmi: { interface: 'cray_shasta' } } });
    expect(e).toMatchObject({ ruleId: 'GEN204', path: '/mpi/pmi/interface' });
  });
});

describe('base.arch', () => {
  const pmi2 = { model: 'pmi', impl: 'mpich', version: '4.1.2', pmi: { interface: 'pmi2' } };
  it('uses the architecture in library paths and the CUDA repository; no x86_64 path elsewhere', () => {
    const { def } = gen({ base: { image: 'ubuntu:22.04', arch: 'aarch64' }, mpi: pmi2, gpu: { vendor: 'nvidia', cuda: { version: '12.4.1' } } });
    expect(def).toContain('--with-slurm-lib=/usr/lib/aarch64-linux-gnu');
    expect(def).toContain('/compute/cuda/repos/ubuntu2204/sbsa/');
    expect(def).toContain('org.apptainer-gen.arch aarch64');
    expect(def).not.toContain('x86_64');
    const ppc = gen({ base: { image: 'rockylinux:9', arch: 'ppc64le' }, mpi: pmi2 }).def;
    expect(ppc).not.toContain('x86_64');
  });
  it('rejects what an architecture cannot have', () => {
    expect(errors({ base: { image: 'ubuntu:22.04', arch: 'aarch64' }, mpi: { ...pmi2, fabric: { transports: ['psm2'] } } })[0]).toMatchObject({
      ruleId: 'GEN211',
      path: '/mpi/fabric/transports',
    });
    expect(errors({ base: { image: 'rockylinux:9', arch: 'aarch64' }, mpi: { model: 'pmi', impl: 'intelmpi', pmi: { interface: 'pmi2' } } })[0].ruleId).toBe(
      'GEN211',
    );
    expect(errors({ base: { image: 'rocm/dev-ubuntu-22.04:6.1.1', arch: 'aarch64' }, gpu: { vendor: 'amd' } })[0].ruleId).toBe('GEN303');
  });
});

describe('%test tests the truth', () => {
  it('checks no CUDA toolkit that the recipe does not install, and never loops over a missing directory', () => {
    const result = generate(stringify({ ...HEAD, base: { image: 'ubuntu:22.04' }, gpu: { vendor: 'nvidia' }, app: APP }), { filename: 'app.yaml' });
    if (!result.ok) throw new Error('expected success');
    expect(result.def).not.toContain('/usr/local/cuda');
    expect(result.def).not.toContain('/bin/*');
    expect(result.def).toContain('test -e /opt/app');
  });

  it('asks the MPI itself: PMIx component, transports, CUDA support (not configure strings)', () => {
    const { def } = gen({
      base: { image: 'nvidia/cuda:12.4.1-devel-ubuntu22.04' },
      mpi: { model: 'pmi', impl: 'openmpi', version: '4.1.6', pmi: { interface: 'pmix' }, fabric: { transports: ['ucx', 'ofi'] } },
      gpu: { vendor: 'nvidia', awareMpi: true },
    });
    const test = def.slice(def.indexOf('%test'), def.indexOf('%labels'));
    expect(test).not.toContain('with-pmix');
    expect(test).toContain("grep -Eq 'MCA pmix: (ext|pmix)[0-9]+x'");
    expect(test).toContain("grep -Eq 'MCA pml: ucx'");
    expect(test).toContain("grep -Eq 'MCA mtl: ofi'");
    expect(test).toContain("grep -Eq 'mpi_built_with_cuda_support:value:true'");
    expect(test).toContain('libuct_cuda.so*');
    expect(test).toMatch(/find \/opt\/ucx \/opt\/libfabric \/opt\/openmpi \/opt\/app -type f/);
  });

  it('rejects CUDA-aware Open MPI 5.0.0-5.0.3', () => {
    const [e] = errors({
      base: { image: 'nvidia/cuda:12.4.1-devel-ubuntu22.04' },
      mpi: { model: 'pmi', impl: 'openmpi', version: '5.0.3', pmi: { interface: 'pmix' }, fabric: { transports: ['ucx'] } },
      gpu: { vendor: 'nvidia', awareMpi: true },
    });
    expect(e).toMatchObject({ ruleId: 'GEN213', path: '/mpi/version' });
  });
});

describe('PMI-1 launch line', () => {
  it('launches a PMI-1 image with srun --mpi=pmi2 (Slurm has no pmi1 plugin), which check-job accepts', async () => {
    const { def, jobScript } = gen({ base: { image: 'rockylinux:9' }, mpi: { model: 'pmi', impl: 'mpich', pmi: { interface: 'pmi1' } } });
    expect(jobScript).toContain('srun --mpi=pmi2 apptainer');
    const { checkJobScript } = await import('../../src/lint/jobscript.js');
    const { findings } = await checkJobScript(jobScript!, def, { jobFilename: 'job.sh', defFilename: 'app.def' });
    expect(findings.map((f) => f.message)).toEqual([]);
  });
});

describe('one source of driver knowledge (generator = DEF751)', () => {
  it.each(['nvidia-headless-550', 'kmod-nvidia-latest-dkms', 'nvidia-open', 'nvidia-driver-550'])('rejects %s in packages and in app scripts', (name) => {
    expect(errors({ base: { image: 'ubuntu:22.04' }, packages: { apt: [name] } })[0]).toMatchObject({ ruleId: 'GEN301', path: '/packages/apt/0' });
    const script = { build: { script: `apt-get update && apt-get install -y ${name}\n` } };
    expect(errors({ base: { image: 'ubuntu:22.04' }, app: script })[0]).toMatchObject({ ruleId: 'GEN301', path: '/app/build/script' });
  });
  it('accepts nvidia-modprobe (a helper, not a driver library)', () => {
    expect(gen({ base: { image: 'ubuntu:22.04' }, packages: { apt: ['nvidia-modprobe'] } }).def).toContain('nvidia-modprobe');
  });
});
