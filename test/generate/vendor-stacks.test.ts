// Issue 17, vendor stacks: NVIDIA HPC-X (`mpi.source: hpcx`, hybrid with the host's HPC-X). What is
// emitted, the tarball names against hpccm's own tests, and how bad values are reported
// (file:line:column, exit 2, nothing written). HPC-X itself cannot be downloaded here: these tests
// check the generator against the cited documents, not a real build.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as generateCmd } from '../../src/cli/commands/generate.js';
import { hpcxTarball, type HpcxOfed } from '../../src/facts/index.js';
import { listSources } from '../../src/generate/index.js';
import { recipeSchema } from '../../src/generate/load.js';
import { checkJobScript } from '../../src/lint/jobscript.js';
import { captureCli } from '../helpers/capture.js';
import { errorsOf, mustGenerate, readRecipe, warningsOf } from './helpers.js';

const SHA = 'e'.repeat(64);
const hpcxRecipe = (opts: { image?: string; mpi?: string; hpcx?: string; extra?: string } = {}) =>
  [
    'apiVersion: apptainer-gen/v1',
    'name: t',
    'base:',
    `  image: ${opts.image ?? 'ubuntu:22.04'}`,
    'mpi:',
    `  model: ${opts.mpi ?? 'hybrid'}`,
    '  impl: openmpi',
    '  source: hpcx',
    '  hpcx:',
    `    ${opts.hpcx ?? 'version: 2.22.1'}`,
    'sources:',
    '  hpcx:',
    `    sha256: ${SHA}`,
    opts.extra ?? '',
  ].join('\n');

describe('HPC-X tarball names', () => {
  // The expected URLs are the ones hpccm's own tests assert (NVIDIA/hpc-container-maker
  // test/test_hpcx.py at 37f7b95: test_defaults_ubuntu20, test_defaults_ubuntu24, test_defaults_centos7).
  const cases: [string, HpcxOfed, string, string, string][] = [
    ['2.21.3', 'doca', 'ubuntu20.04', 'cuda12', 'https://content.mellanox.com/hpc/hpc-x/v2.21.3/hpcx-v2.21.3-gcc-doca_ofed-ubuntu20.04-cuda12-x86_64.tbz'],
    [
      '2.24.1',
      'doca',
      'ubuntu24.04',
      'cuda13',
      'https://content.mellanox.com/hpc/hpc-x/v2.24.1_cuda13/hpcx-v2.24.1-gcc-doca_ofed-ubuntu24.04-cuda13-x86_64.tbz',
    ],
    ['2.19', 'mlnx', 'redhat7', 'cuda12', 'https://content.mellanox.com/hpc/hpc-x/v2.19/hpcx-v2.19-gcc-mlnx_ofed-redhat7-cuda12-x86_64.tbz'],
  ];
  it.each(cases)('HPC-X %s (%s, %s, %s) is named as hpccm names it', (version, ofed, osLabel, cuda, url) => {
    expect(hpcxTarball({ version, ofed, osLabel, cuda, arch: 'x86_64' }).url).toBe(url);
  });

  it('takes the OS label, OFED and CUDA defaults from the recipe and its base image', () => {
    const url = (text: string) => {
      const r = listSources(text);
      if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
      return r.sources.find((s) => s.name === 'hpcx')!.url;
    };
    expect(url(hpcxRecipe())).toBe('https://content.mellanox.com/hpc/hpc-x/v2.22.1/hpcx-v2.22.1-gcc-doca_ofed-ubuntu22.04-cuda12-x86_64.tbz');
    expect(url(hpcxRecipe({ image: 'rockylinux:9', hpcx: 'version: "2.19"' }))).toBe(
      'https://content.mellanox.com/hpc/hpc-x/v2.19/hpcx-v2.19-gcc-mlnx_ofed-redhat9-cuda12-x86_64.tbz',
    );
    expect(url(hpcxRecipe({ hpcx: 'version: 2.22.1\n    ofed: inbox' }))).toContain('/hpcx-v2.22.1-gcc-inbox-ubuntu22.04-cuda12-x86_64.tbz');
    expect(url(hpcxRecipe({ image: 'nvidia/cuda:12.6.3-devel-ubuntu24.04', hpcx: 'version: 2.24.1', extra: 'gpu:\n  vendor: nvidia\n' }))).toBe(
      'https://content.mellanox.com/hpc/hpc-x/v2.24.1_cuda12/hpcx-v2.24.1-gcc-doca_ofed-ubuntu24.04-cuda12-x86_64.tbz',
    );
    expect(url(hpcxRecipe({ image: 'debian:12', hpcx: 'version: 2.22.1\n    osLabel: ubuntu22.04' }))).toContain('-ubuntu22.04-');
    expect(
      url(hpcxRecipe({ image: 'arm64v8/ubuntu:22.04' }).replace('  image: arm64v8/ubuntu:22.04', '  image: arm64v8/ubuntu:22.04\n  arch: aarch64')),
    ).toContain('-cuda12-aarch64.tbz');
  });
});

describe('HPC-X in the image', () => {
  it('unpacks the checked tarball into /opt/hpcx, builds nothing, and sets the environment hpcx_load would', () => {
    const { def } = mustGenerate(hpcxRecipe());
    const [build, runtime] = def.split('\nBootstrap:');
    expect(build).toContain(`echo "${SHA}  hpcx-v2.22.1-gcc-doca_ofed-ubuntu22.04-cuda12-x86_64.tbz" | sha256sum -c -\n`);
    expect(build).toContain(
      'tar -xf hpcx-v2.22.1-gcc-doca_ofed-ubuntu22.04-cuda12-x86_64.tbz -C src --strip-components=1\ncd src\nmkdir -p /opt/hpcx\ncp -a . /opt/hpcx/\n',
    );
    expect(build).not.toMatch(/configure|make -j|ucx-1\.|pmix-/);
    expect(runtime).toContain('    /opt/hpcx /opt/hpcx\n');
    const environment = def.slice(def.indexOf('%environment'), def.indexOf('%runscript'));
    for (const line of ['export HPCX_HOME="/opt/hpcx"', 'export OPAL_PREFIX="/opt/hpcx/ompi"', 'export PATH="/opt/hpcx/ompi/bin${PATH:+:$PATH}"'])
      expect(environment).toContain(line);
    expect(environment).toContain('export LD_LIBRARY_PATH="/opt/hpcx/ucx/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"');
    // libgfortran for the prebuilt Fortran bindings, even though the image builds no Fortran.
    expect(runtime).toMatch(/ {4}libgfortran5 \\\n/);
    expect(def).toContain('org.apptainer-gen.mpi.source hpcx\n');
    expect(def).toContain('MPI: NVIDIA HPC-X 2.22.1 (its Open MPI 4.1.x, UCX, UCC, HCOLL)');
  });

  it("%test runs NVIDIA's loader and asks the bundled ompi_info; ldd covers ompi and ucx, with CUDA optional on a CPU image", () => {
    const { def } = mustGenerate(hpcxRecipe());
    const test = def.slice(def.indexOf('%test'), def.indexOf('%labels'));
    expect(test).toContain("bash -c '. /opt/hpcx/hpcx-init.sh && hpcx_load && command -v mpirun'");
    expect(test).toContain("*'/opt/hpcx/ompi/bin/mpirun'*) echo");
    expect(test).toContain("grep -Eq 'MCA pml: ucx'");
    expect(test).toContain('elf_candidates=$(find /opt/hpcx/ompi /opt/hpcx/ucx -type f');
    expect(test).toContain('!/(libcuda[.]so|libcudart[.]so|libnvidia-ml[.]so)/');
    expect(test).not.toContain('mpi_built_with_cuda_support');
  });

  it('takes the tarball from a mirror directory with %files into the build stage only', () => {
    const { def } = mustGenerate(hpcxRecipe({ extra: '  mirror: vetted\n' }));
    const [build, runtime] = def.split('\nBootstrap:');
    expect(build).toContain(
      'vetted/hpcx-v2.22.1-gcc-doca_ofed-ubuntu22.04-cuda12-x86_64.tbz /usr/local/src/apptainer-gen/sources/hpcx-v2.22.1-gcc-doca_ofed-ubuntu22.04-cuda12-x86_64.tbz',
    );
    expect(build).not.toContain('curl -fsSL --retry 3 -o hpcx-');
    expect(runtime).not.toContain('vetted/');
  });

  it('the job script loads the host HPC-X with hpcx-init.sh / hpcx_load before the host mpirun, and check-job accepts it', async () => {
    const { def, jobScript } = mustGenerate(readRecipe('hpcx-cuda-hybrid.yaml'), 'hpcx-cuda-hybrid.yaml');
    expect(jobScript).toContain(
      ': "${HPCX_HOME:?set HPCX_HOME to the host\'s HPC-X 2.22.1 directory}"\nset +u\n# shellcheck source=/dev/null\n. "$HPCX_HOME/hpcx-init.sh"\nhpcx_load\nset -u\n',
    );
    expect(jobScript).toMatch(/\nmpirun -n "\$SLURM_NTASKS" bash -c "\$select_gpu" select-gpu apptainer exec --nv "\$IMAGE" \/opt\/app\/bin\/gpu-pingpong\n$/);
    const { findings } = await checkJobScript(jobScript!, def, { jobFilename: 'job.sh', defFilename: 'hpcx-cuda-hybrid.def' });
    expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});

describe('HPC-X recipe rules (GEN214 and friends)', () => {
  it('is for the hybrid model only', () => {
    const [e] = errorsOf(hpcxRecipe({ mpi: 'pmi' }).replace('  source: hpcx', '  source: hpcx\n  pmi:\n    interface: pmix'));
    expect(e).toMatchObject({ ruleId: 'GEN214', path: '/mpi/model', line: 6, column: 10 });
  });

  it('needs an OS label NVIDIA publishes (Debian has none) and a version it can name', () => {
    const [e] = errorsOf(hpcxRecipe({ image: 'debian:12' }));
    expect(e).toMatchObject({ ruleId: 'GEN214', path: '/mpi/hpcx' });
    expect(e.message).toContain('set mpi.hpcx.osLabel');
    const [old] = errorsOf(hpcxRecipe({ hpcx: 'version: "2.14"' }));
    expect(old).toMatchObject({ ruleId: 'GEN214', path: '/mpi/hpcx/version', line: 10, column: 14 });
  });

  it("rejects a CUDA build that is not the image's CUDA major, and a CUDA choice before 2.24", () => {
    const gpu = 'gpu:\n  vendor: nvidia\n';
    const [e] = errorsOf(hpcxRecipe({ image: 'nvidia/cuda:12.6.3-devel-ubuntu24.04', hpcx: 'version: 2.24.1\n    cuda: cuda13', extra: gpu }));
    expect(e).toMatchObject({ ruleId: 'GEN214', path: '/mpi/hpcx/cuda', line: 11, column: 11 });
    expect(e.message).toContain('set mpi.hpcx.cuda: cuda12');
    const [e2] = errorsOf(hpcxRecipe({ hpcx: 'version: 2.22.1\n    cuda: cuda13' }));
    expect(e2).toMatchObject({ ruleId: 'GEN214', path: '/mpi/hpcx/cuda' });
  });

  it('rejects another implementation, another fabric, AMD GPUs and ppc64le', () => {
    expect(errorsOf(hpcxRecipe().replace('impl: openmpi', 'impl: mpich'))[0]).toMatchObject({ ruleId: 'GEN202', path: '/mpi/source' });
    expect(errorsOf(hpcxRecipe().replace('  source: hpcx', '  source: hpcx\n  fabric:\n    transports: [ofi]'))[0]).toMatchObject({
      ruleId: 'GEN214',
      path: '/mpi/fabric/transports',
    });
    expect(errorsOf(hpcxRecipe({ image: 'rocm/dev-ubuntu-22.04:6.1.1', extra: 'gpu:\n  vendor: amd\n' })).map((e) => e.path)).toContain('/gpu/vendor');
    expect(errorsOf(hpcxRecipe().replace('  image: ubuntu:22.04', '  image: ubuntu:22.04\n  arch: ppc64le'))[0]).toMatchObject({
      ruleId: 'GEN214',
      path: '/base/arch',
    });
  });

  it('warns about what a prebuilt release ignores, an unpinned release and a missing checksum', () => {
    const noPin = warningsOf(hpcxRecipe().replace('  hpcx:\n    version: 2.22.1\n', '').replace('  version: 4.1.6\n', ''));
    expect(noPin.map((w) => w.message).join('\n')).toContain('set mpi.hpcx.version (defaulting to 2.22.1)');
    const ignored = warningsOf(hpcxRecipe().replace('  source: hpcx', '  source: hpcx\n  version: 4.1.6\n  fabric:\n    ucxVersion: 1.17.0'));
    expect(ignored.map((w) => w.path)).toEqual(['/mpi/version', '/mpi/fabric/ucxVersion']);
    const unchecked = warningsOf(hpcxRecipe().replace(`sources:\n  hpcx:\n    sha256: ${SHA}\n`, ''));
    expect(unchecked).toMatchObject([{ ruleId: 'GEN214', path: '/mpi/source', line: 8, column: 11 }]);
    const stray = warningsOf(
      `apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: ubuntu:22.04\nmpi:\n  model: hybrid\n  impl: openmpi\n  version: 4.1.6\n  hpcx:\n    version: 2.22.1\n`,
    );
    expect(stray).toMatchObject([{ ruleId: 'GEN214', path: '/mpi/hpcx' }]);
  });
});

describe('HPC-X: bad values exit 2 with file:line:column and write nothing (CLI)', () => {
  const cli = captureCli('apptainer-gen-hpcx-');
  const cases: [string, string, string][] = [
    ['ofed flavour', hpcxRecipe({ hpcx: 'version: 2.22.1\n    ofed: mofed' }), 'r.yaml:11:11: error:'],
    ['version', hpcxRecipe({ hpcx: 'version: "2.22.1 beta"' }), 'r.yaml:10:14: error:'],
    ['model', hpcxRecipe({ mpi: 'bind' }).replace('  source: hpcx', '  source: hpcx\n  bind:\n    hostPrefix: /opt/hpcx-host'), 'r.yaml:6:10: error:'],
  ];
  it.each(cases)('%s', async (_what, text, where) => {
    writeFileSync(join(cli.dir, 'r.yaml'), text);
    const def = join(cli.dir, 'out.def');
    const code = await generateCmd([join(cli.dir, 'r.yaml'), '-o', def, '--job-script', join(cli.dir, 'job.sh')]);
    expect(code).toBe(2);
    expect(cli.err).toContain(where);
    expect(existsSync(def)).toBe(false);
    expect(readdirSync(cli.dir)).toEqual(['r.yaml']);
  });
});

describe('the schema documents the HPC-X fields with examples', () => {
  it('mpi.hpcx and each of its fields, and sources.hpcx', () => {
    const schema = recipeSchema() as { properties: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    const hpcx = schema.properties.mpi.properties.hpcx as { properties: Record<string, Record<string, unknown>>; examples: unknown[]; description: string };
    expect(hpcx.description).toContain('hpcx-v<version>-gcc-');
    expect(hpcx.examples.length).toBeGreaterThan(0);
    for (const [name, field] of Object.entries(hpcx.properties)) {
      expect(typeof field.description, name).toBe('string');
      expect(Array.isArray(field.examples) && field.examples.length > 0, name).toBe(true);
    }
    expect(Object.keys(hpcx.properties)).toEqual(['version', 'ofed', 'cuda', 'osLabel']);
    expect((schema.properties.mpi.properties.source as { enum: string[] }).enum).toContain('hpcx');
    expect(schema.properties.sources.properties.hpcx.description).toContain('HPC-X');
  });
});

// GPU-aware Open MPI 5 over UCX or libfabric (Slingshot sites need OFI): the configure lines, with
// a source for each option (docs/generator.md), and test/e2e/configure-options.e2e.ts checking the
// option names against the real configure scripts of Open MPI 5.0.7, libfabric 2.1.0 and UCX 1.13.1.
const ompi5 = (transports: string, extra = '', version = '5.0.7') =>
  [
    'apiVersion: apptainer-gen/v1',
    'name: t',
    'base:',
    '  image: nvidia/cuda:12.4.1-devel-ubuntu22.04',
    'mpi:',
    '  model: pmi',
    '  impl: openmpi',
    `  version: ${version}`,
    '  pmi:',
    '    interface: pmix',
    '  fabric:',
    `    transports: ${transports}`,
    'gpu:',
    '  vendor: nvidia',
    '  awareMpi: true',
    '  gdrcopy: true',
    extra,
  ].join('\n');

describe('GPU-aware Open MPI 5 over libfabric (OFI) or UCX', () => {
  it('OFI: libfabric --with-cuda (linked, stubs for the driver) --with-gdrcopy; Open MPI --with-ofi --with-cuda --with-cuda-libdir', () => {
    const { def } = mustGenerate(ompi5('[ofi]'));
    expect(def).toContain(
      '    --with-cuda=/usr/local/cuda \\\n    LDFLAGS=-L/usr/local/cuda/lib64/stubs \\\n    --with-gdrcopy=/opt/gdrcopy\nmake -j"$(nproc)"',
    );
    expect(def).toContain('    --with-ofi=/opt/libfabric \\\n    --with-cuda=/usr/local/cuda \\\n    --with-cuda-libdir=/usr/local/cuda/lib64/stubs \\\n');
    expect(def).not.toContain('--with-ucx');
    expect(def).not.toContain('--enable-cuda-dlopen');
    // gdrcopy is built before libfabric, libfabric before Open MPI.
    expect(def.indexOf('make prefix=/opt/gdrcopy')).toBeLessThan(def.indexOf('--prefix=/opt/libfabric'));
    expect(def.indexOf('--prefix=/opt/libfabric')).toBeLessThan(def.indexOf('--prefix=/opt/openmpi'));
    const test = def.slice(def.indexOf('%test'), def.indexOf('%labels'));
    expect(test).toContain('ldd /opt/libfabric/lib/libfabric.so 2>&1) ||');
    expect(test).toContain("grep -Eq 'libcudart[.]so'");
    expect(test).toContain("grep -Eq 'libgdrapi[.]so'");
    expect(test).toContain("grep -Eq 'MCA mtl: ofi'");
    expect(test).toContain("grep -Eq 'mpi_built_with_cuda_support:value:true'");
  });

  it('UCX: UCX --with-cuda --with-gdrcopy; Open MPI --with-ucx --with-cuda --with-cuda-libdir', () => {
    const { def } = mustGenerate(ompi5('[ucx]'));
    expect(def).toContain('    --with-cuda=/usr/local/cuda \\\n    --with-gdrcopy=/opt/gdrcopy\nmake -j"$(nproc)"');
    expect(def).toContain('    --with-ucx=/opt/ucx \\\n    --with-cuda=/usr/local/cuda \\\n    --with-cuda-libdir=/usr/local/cuda/lib64/stubs \\\n');
    expect(def).not.toContain('/opt/libfabric');
  });

  it('rejects CUDA over OFI with Open MPI 4, and ROCm over OFI; distribution libfabric is a warning', () => {
    const [e] = errorsOf(ompi5('[ofi]', '', '4.1.6'));
    expect(e).toMatchObject({ ruleId: 'GEN305', path: '/mpi/fabric/transports', line: 12, column: 17 });
    expect(e.message).toContain('Open MPI 5');
    const rocm = ompi5('[ofi]')
      .replace('nvidia/cuda:12.4.1-devel-ubuntu22.04', 'rocm/dev-ubuntu-22.04:6.1.1')
      .replace('vendor: nvidia', 'vendor: amd')
      .replace('  gdrcopy: true', '');
    expect(errorsOf(rocm).find((p) => p.ruleId === 'GEN305')).toMatchObject({
      path: '/mpi/fabric/transports',
      message: expect.stringContaining('ROCm-aware Open MPI goes through UCX'),
    });
    const distro = warningsOf(ompi5('[ofi]').replace('    transports: [ofi]', '    transports: [ofi]\n    source: distro'));
    expect(distro).toMatchObject([{ ruleId: 'GEN305', path: '/mpi/fabric/source', message: expect.stringContaining('distribution libfabric') }]);
  });

  it('the fixtures are the two Open MPI 5 fabrics, launched by srun --mpi=pmix with one GPU per rank', async () => {
    for (const name of ['openmpi5-cuda-ofi', 'openmpi5-cuda-ucx']) {
      const { def, jobScript } = mustGenerate(readRecipe(`${name}.yaml`), `${name}.yaml`);
      expect(jobScript).toContain('srun --mpi=pmix --gpus-per-task=1 --gpu-bind=closest apptainer exec --nv "$IMAGE" /opt/app/bin/gpu-pingpong');
      const { findings } = await checkJobScript(jobScript!, def, { jobFilename: 'job.sh', defFilename: `${name}.def` });
      expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
    }
  });
});

describe('Open MPI fabrics: a bad value exits 2 with file:line:column and writes nothing (CLI)', () => {
  const cli = captureCli('apptainer-gen-ofi-');
  it('CUDA over OFI with Open MPI 4', async () => {
    writeFileSync(join(cli.dir, 'r.yaml'), ompi5('[ofi]', '', '4.1.6'));
    const def = join(cli.dir, 'out.def');
    expect(await generateCmd([join(cli.dir, 'r.yaml'), '-o', def])).toBe(2);
    expect(cli.err).toContain('r.yaml:12:17: error:');
    expect(readdirSync(cli.dir)).toEqual(['r.yaml']);
  });
});
