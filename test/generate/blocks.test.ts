// Building blocks: dependency order, model-specific configure options and runtime contents.
import { describe, expect, it } from 'vitest';
import { orderBlocks, selectBlocks } from '../../src/generate/blocks/index.js';
import { emptyBlock } from '../../src/generate/blocks/block.js';
import { openmpiConfigureOptions } from '../../src/generate/blocks/openmpi.js';
import { mpichConfigureOptions } from '../../src/generate/blocks/mpich.js';
import { mvapich2ConfigureOptions } from '../../src/generate/blocks/mvapich2.js';
import { resolvePlan } from '../../src/generate/plan.js';
import { distroFromImage } from '../../src/generate/distro.js';
import type { Recipe } from '../../src/generate/types.js';
import { mustGenerate } from './helpers.js';
import { parse } from '../../src/parse/index.js';

function plan(mpi: Recipe['mpi'], extra: Partial<Recipe> = {}) {
  return resolvePlan({ apiVersion: 'apptainer-gen/v1', name: 't', base: { image: 'ubuntu:22.04' }, mpi, ...extra });
}

describe('block ordering', () => {
  it('puts prerequisites first regardless of input order', () => {
    const ompi = { ...emptyBlock('openmpi', 'mpi', 'o'), after: ['ucx', 'pmix'] as const };
    const ucx = { ...emptyBlock('ucx', 'fabric', 'u'), after: ['rdma-core', 'gdrcopy'] as const };
    const gdr = { ...emptyBlock('gdrcopy', 'gpu', 'g'), after: ['cuda'] as const };
    const order = orderBlocks(
      [ompi, gdr, ucx, emptyBlock('pmix', 'pmi', 'p'), emptyBlock('cuda', 'gpu', 'c'), emptyBlock('rdma-core', 'fabric', 'r')].map((b) => ({
        ...b,
        after: [...b.after],
      })),
    );
    const ids: string[] = order.map((b) => b.id);
    const before = (a: string, b: string) => expect(ids.indexOf(a)).toBeLessThan(ids.indexOf(b));
    before('cuda', 'gdrcopy');
    before('gdrcopy', 'ucx');
    before('rdma-core', 'ucx');
    before('ucx', 'openmpi');
    before('pmix', 'openmpi');
  });

  it('reports a dependency cycle instead of looping', () => {
    const a = { ...emptyBlock('ucx', 'fabric', 'a'), after: ['pmix' as const] };
    const b = { ...emptyBlock('pmix', 'pmi', 'b'), after: ['ucx' as const] };
    expect(() => orderBlocks([a, b])).toThrow(/cycle/);
  });

  it('selects fabric, PMI and MPI blocks in hpccm order for a CUDA-aware build', () => {
    const p = plan(
      { model: 'pmi', impl: 'openmpi', version: '4.1.6', pmi: { interface: 'pmix' }, fabric: { transports: ['ucx'] } },
      { base: { image: 'nvidia/cuda:12.4.1-devel-ubuntu22.04' }, gpu: { vendor: 'nvidia', awareMpi: true, gdrcopy: true }, app: { build: { script: 'true' } } },
    );
    expect(selectBlocks(p).map((b) => b.id)).toEqual(['toolchain', 'rdma-core', 'cuda', 'gdrcopy', 'ucx', 'pmix', 'openmpi']);
  });
});

describe('Open MPI options', () => {
  it('4.1 with PMIx under srun: Slurm support, no in-container plm_slurm, external libevent/hwloc', () => {
    const o = openmpiConfigureOptions(plan({ model: 'pmi', impl: 'openmpi', version: '4.1.6', pmi: { interface: 'pmix' } }));
    expect(o).toEqual(
      expect.arrayContaining([
        '--with-pmix=/usr/lib/x86_64-linux-gnu/pmix2',
        '--with-libevent=external',
        '--with-slurm',
        '--enable-mca-no-build=plm-slurm',
        '--with-ucx=/usr',
        '--without-verbs',
      ]),
    );
  });

  it('4.1 with PMI2 links Slurm libpmi2', () => {
    const o = openmpiConfigureOptions(plan({ model: 'pmi', impl: 'openmpi', version: '4.1.6', pmi: { interface: 'pmi2' } }));
    expect(o).toContain('--with-pmi=/usr');
    expect(o.some((x) => x.startsWith('--with-pmix'))).toBe(false);
  });

  it('5.x: no ORTE-era or openib options, bundled PMIx, ROCm through UCX', () => {
    const o = openmpiConfigureOptions(
      plan(
        { model: 'pmi', impl: 'openmpi', version: '5.0.5', pmi: { interface: 'pmix', provider: 'bundled' } },
        { base: { image: 'rocm/dev-ubuntu-22.04:6.1.1' }, gpu: { vendor: 'amd', awareMpi: true } },
      ),
    );
    expect(o).toContain('--with-pmix=internal');
    expect(o).toContain('--with-rocm=/opt/rocm');
    expect(o.filter((x) => /orterun|verbs|plm-slurm|with-slurm|external/.test(x))).toEqual([]);
  });
});

describe('MPICH and MVAPICH2 options', () => {
  it('MPICH picks the device from the transports and Slurm PMI2', () => {
    const o = mpichConfigureOptions(plan({ model: 'pmi', impl: 'mpich', pmi: { interface: 'pmi2' }, fabric: { transports: ['ucx'] } }));
    expect(o).toEqual(expect.arrayContaining(['--with-device=ch4:ucx', '--with-ucx=/usr', '--with-pmi=pmi2', '--with-pmilib=slurm']));
    const ofi = mpichConfigureOptions(plan({ model: 'hybrid', impl: 'mpich', pmi: { interface: 'none' }, fabric: { transports: ['ofi'] } }));
    expect(ofi).toContain('--with-device=ch4:ofi');
    expect(ofi.some((x) => x.startsWith('--with-pmi'))).toBe(false);
  });

  // MPICH 4.0.2's configure has no --with-pmilib, and its default Hydra requires the simple PMI:
  // `--with-pmi=pmi2` alone stops configure (found building Debian bookworm's MPICH 4.0.2 orig).
  it('MPICH before 4.1 under srun --mpi=pmi2: its default simple PMI with Hydra, no Slurm library', () => {
    const old = mpichConfigureOptions(plan({ model: 'pmi', impl: 'mpich', version: '4.0.2', pmi: { interface: 'pmi2' }, fabric: { transports: ['ofi'] } }));
    expect(old.filter((x) => /^--with-(pmi|pm|pmilib|slurm)/.test(x))).toEqual([]);
    // The hybrid recipe's MPICH 4.0.2 is configured the same way: one build serves both models.
    const hybrid = mpichConfigureOptions(plan({ model: 'hybrid', impl: 'mpich', version: '4.0.2', fabric: { transports: ['ofi'] } }));
    expect(old).toEqual(hybrid);
    const pmi1 = mpichConfigureOptions(plan({ model: 'pmi', impl: 'mpich', version: '4.0.2', pmi: { interface: 'pmi1' }, fabric: { transports: ['ofi'] } }));
    expect(pmi1).toEqual(expect.arrayContaining(['--with-pmi=slurm', '--with-pm=none']));
    expect(pmi1.some((x) => x.startsWith('--with-pmilib'))).toBe(false);
    const current = mpichConfigureOptions(plan({ model: 'pmi', impl: 'mpich', version: '4.1.2', pmi: { interface: 'pmi2' }, fabric: { transports: ['ofi'] } }));
    expect(current).toEqual(expect.arrayContaining(['--with-pmi=pmi2', '--with-pmilib=slurm']));
    expect(current).not.toContain('--with-pm=none');
    // %test checks Hydra is there; no Slurm PMI2 package is installed or linked.
    const def = mustGenerate(
      'apiVersion: apptainer-gen/v1\nname: t\nbase: { image: ubuntu:22.04 }\nmpi: { model: pmi, impl: mpich, version: 4.0.2, pmi: { interface: pmi2 }, fabric: { transports: [ofi] } }\n',
    ).def;
    expect(def).toContain('test -x /opt/mpich/bin/mpiexec.hydra');
    expect(def).not.toContain('libpmi2');
    expect(def).not.toContain("Slurm's PMI2 library");
  });

  it('a UCX release build brings libgomp into the runtime stage (ucx_perftest links it)', () => {
    const def = mustGenerate(
      'apiVersion: apptainer-gen/v1\nname: t\nbase: { bootstrap: debootstrap, osVersion: bookworm, mirrorUrl: http://deb.debian.org/debian }\nmpi: { model: pmi, impl: openmpi, pmi: { interface: pmix }, fabric: { transports: [ucx], source: tarball } }\napp: { build: { script: "true" } }\n',
    ).def;
    const runtime = def.split(/^Bootstrap:/m)[2];
    expect(runtime).toMatch(/^ {4}libgomp1 \\$|^ {4}libgomp1$/m);
  });

  it('UCX before 1.14 is built without BFD (binutils 2.40 removed the PTR macro it uses)', () => {
    const def = (ucxVersion: string) =>
      mustGenerate(
        `apiVersion: apptainer-gen/v1\nname: t\nbase: { image: ubuntu:22.04 }\nmpi: { model: pmi, impl: openmpi, pmi: { interface: pmix }, fabric: { transports: [ucx], source: tarball, ucxVersion: "${ucxVersion}" } }\n`,
      ).def;
    expect(def('1.13.1')).toContain('    --without-bfd \\\n');
    expect(def('1.16.0')).not.toContain('--without-bfd');
  });

  it('MVAPICH2 under srun uses --with-pm=slurm --with-pmi=pmi2', () => {
    const o = mvapich2ConfigureOptions(plan({ model: 'pmi', impl: 'mvapich2', pmi: { interface: 'pmi2' } }));
    expect(o).toEqual(expect.arrayContaining(['--with-pm=slurm', '--with-pmi=pmi2']));
  });
});

describe('models in the output', () => {
  const hello = { build: { script: 'mkdir -p "$APP_PREFIX/bin"\nmpicc -o "$APP_PREFIX/bin/hello" /dev/null\n' } };
  function def(recipe: Partial<Recipe>) {
    return mustGenerate(JSON.stringify({ apiVersion: 'apptainer-gen/v1', name: 'm', base: { image: 'rockylinux:9' }, app: hello, ...recipe }), 'm.yaml', {
      jobScript: true,
    });
  }

  it('bind: no MPI in the final stage; MPI_DIR and LD_LIBRARY_PATH in %environment; binds in help and job script', () => {
    const r = def({ mpi: { model: 'bind', impl: 'mpich', fabric: { transports: ['tcp'] }, bind: { hostPrefix: '/opt/site/mpich' } } });
    const stages = parse(r.def).stages;
    const final = stages[stages.length - 1];
    const files = final.sections.find((s) => s.name === 'files');
    expect(files?.files?.map((f) => f.source)).toEqual(['/opt/app']);
    const env = final.sections.find((s) => s.name === 'environment')!.body;
    expect(env).toContain('export MPI_DIR="${MPI_DIR:-/opt/site/mpich}"');
    expect(env).toContain('export LD_LIBRARY_PATH="$MPI_DIR/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"');
    expect(final.sections.find((s) => s.name === 'post')!.body).not.toMatch(/\/opt\/mpich\b|mpich-devel|MPICH_DIR/);
    expect(final.sections.find((s) => s.name === 'help')!.body).toContain('--bind "$MPI_DIR"');
    expect(r.jobScript).toContain('mpirun -n "$SLURM_NTASKS" apptainer run --bind "$MPI_DIR" "$IMAGE"');
  });

  it('pmi: srun --mpi=<pmi> and the PMI label agree', () => {
    const r = def({ mpi: { model: 'pmi', impl: 'intelmpi', pmi: { interface: 'pmi2' }, fabric: { transports: ['ofi'] } } });
    expect(r.jobScript).toContain('srun --mpi=pmi2 apptainer run "$IMAGE"');
    expect(r.def).toContain('org.apptainer-gen.mpi.pmi pmi2');
    expect(r.def).toContain('export I_MPI_PMI_LIBRARY="/usr/lib64/libpmi2.so.0"');
  });

  it('hybrid: host mpirun, with the version to match in the notes', () => {
    const r = def({ mpi: { model: 'hybrid', impl: 'openmpi', version: '4.1.5' } });
    expect(r.jobScript).toContain('mpirun -n "$SLURM_NTASKS" apptainer run "$IMAGE"');
    expect(r.jobScript).toContain('Open MPI 4.1.5');
  });

  it('GPU: --nv / --rocm in the launch line, CUDA runtime image for the final stage', () => {
    const r = def({
      base: { image: 'nvidia/cuda:12.4.1-devel-rockylinux9' },
      gpu: { vendor: 'nvidia' },
      mpi: { model: 'pmi', impl: 'openmpi', pmi: { interface: 'pmix' } },
    });
    expect(r.jobScript).toContain('apptainer run --nv "$IMAGE"');
    const stages = parse(r.def).stages;
    expect(stages.map((s) => s.headerValues.from)).toEqual(['nvidia/cuda:12.4.1-devel-rockylinux9', 'nvidia/cuda:12.4.1-runtime-rockylinux9']);
    expect(r.def).toContain('org.apptainer-gen.gpu.cuda 12.4.1');
  });

  it('builds in a single stage when nothing would be copied', () => {
    const r = mustGenerate(JSON.stringify({ apiVersion: 'apptainer-gen/v1', name: 's', base: { image: 'debian:bookworm' }, packages: { apt: ['vim'] } }));
    expect(parse(r.def).stages).toHaveLength(1);
    expect(r.def).toContain('    vim');
  });
});

describe('distribution detection', () => {
  it.each([
    ['ubuntu:22.04', 'ubuntu'],
    ['debian:bookworm-slim', 'debian'],
    ['rockylinux:9.3', 'el9'],
    ['almalinux:8', 'el8'],
    ['nvidia/cuda:12.4.1-devel-rockylinux9', 'el9'],
    ['nvidia/cuda:12.4.1-devel-ubuntu22.04', 'ubuntu'],
    ['rocm/dev-ubuntu-22.04:6.1.1', 'ubuntu'],
    ['registry.access.redhat.com/ubi9/ubi:9.4', 'el9'],
    ['opensuse/leap:15.5', 'opensuse'],
    ['fedora:40', 'fedora'],
    ['example.org/custom:1', undefined],
  ])('%s -> %s', (image, distro) => {
    expect(distroFromImage(image)).toBe(distro);
  });
});
