// Issue 17: recipes for real applications. Build systems, application sources, extra repositories,
// Python stacks and rank placement in job scripts: what each emits, and how bad values are reported
// (file:line:column, exit 2, nothing written).
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { run as generateCmd } from '../../src/cli/commands/generate.js';
import { recipeSchema } from '../../src/generate/load.js';
import { listSources } from '../../src/generate/index.js';
import { checkJobScript } from '../../src/lint/jobscript.js';
import { errorsOf, mustGenerate, readRecipe, shellSyntaxProblems, warningsOf } from './helpers.js';
import { captureCli } from '../helpers/capture.js';

const HEAD = 'apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: ubuntu:22.04\n';
const MPI = 'mpi:\n  model: pmi\n  impl: openmpi\n  source: distro\n  pmi:\n    interface: pmix\n';

/** The %post of the build stage (the first stage). */
function buildPost(def: string): string {
  const start = def.indexOf('%post -c /bin/bash -e\n');
  const end = def.indexOf('\nBootstrap:', start);
  return def.slice(start, end === -1 ? undefined : end);
}

describe('build systems', () => {
  const app = (build: string, source = '') => `${HEAD}${MPI}app:\n${source}  build:\n${build}`;

  it('cmake: build type, install prefix, MPI wrappers, parallel build and install', () => {
    const { def } = mustGenerate(app('    system: cmake\n    options: [-DWITH_X=on, "-DDIR=$APP_PREFIX/share"]\n'));
    const post = buildPost(def);
    expect(post).toContain('export CC=mpicc CXX=mpicxx\n');
    expect(post).toContain(
      'cmake -S . -B build \\\n    -DCMAKE_BUILD_TYPE=Release \\\n    -DCMAKE_INSTALL_PREFIX="$APP_PREFIX" \\\n    -DWITH_X=on \\\n    "-DDIR=$APP_PREFIX/share"\n',
    );
    expect(post).toContain('cmake --build build --parallel "$(nproc)"\ncmake --install build\n');
    expect(post).toMatch(/apt-get install[^\n]*\\\n(?: {4}\S+ \\\n)* {4}cmake/);
  });

  it('cmake with CUDA or ROCm targets: CMAKE_CUDA_ARCHITECTURES / CMAKE_HIP_ARCHITECTURES and GPU_ARCH_FLAGS', () => {
    const cuda = mustGenerate(
      `apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: nvidia/cuda:12.4.1-devel-ubuntu22.04\ngpu:\n  vendor: nvidia\n  cuda:\n    archs: [sm_80, sm_90]\napp:\n  build:\n    system: cmake\n`,
    ).def;
    expect(cuda).toContain('-DCMAKE_CUDA_ARCHITECTURES="80;90"');
    expect(cuda).toContain('export GPU_ARCH_FLAGS="-gencode=arch=compute_80,code=sm_80 -gencode=arch=compute_90,code=sm_90"');
    expect(cuda).not.toContain('export CC=mpicc');
    const rocm = mustGenerate(
      `apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: rocm/dev-ubuntu-22.04:6.1.1\ngpu:\n  vendor: amd\n  rocm:\n    archs: [gfx90a]\napp:\n  build:\n    system: make\n`,
    ).def;
    expect(rocm).toContain('export GPU_ARCH_FLAGS="--offload-arch=gfx90a"');
  });

  it('autotools from git runs autoreconf -fi (and installs autoconf/automake/libtool); from a directory it does not', () => {
    const git = buildPost(mustGenerate(app('    system: autotools\n', '  source:\n    git:\n      url: https://example.org/x.git\n      ref: v1.0\n')).def);
    expect(git).toContain('autoreconf -fi\n./configure \\\n    --prefix="$APP_PREFIX"\nmake -j"$(nproc)"\nmake install\n');
    expect(git).toMatch(/ {4}autoconf \\\n {4}automake \\\n {4}libtool/);
    const dir = buildPost(mustGenerate(app('    system: autotools\n', '  source:\n    path: src/x\n')).def);
    expect(dir).not.toContain('autoreconf');
    expect(dir).not.toContain('libtool');
  });

  it('make passes options to make and make install, with PREFIX and prefix', () => {
    const post = buildPost(mustGenerate(app('    system: make\n    options: [MPI=1]\n')).def);
    expect(post).toContain('make -j"$(nproc)" \\\n    MPI=1\nmake install \\\n    PREFIX="$APP_PREFIX" \\\n    prefix="$APP_PREFIX" \\\n    MPI=1\n');
  });

  it('meson maps the build type and installs meson and ninja', () => {
    const post = buildPost(mustGenerate(app('    system: meson\n    buildType: RelWithDebInfo\n')).def);
    expect(post).toContain('meson setup build \\\n    --prefix="$APP_PREFIX" \\\n    --buildtype=debugoptimized\n');
    expect(post).toContain('meson compile -C build -j "$(nproc)"\nmeson install -C build\n');
    expect(post).toMatch(/ {4}ninja-build/);
  });

  it('a script recipe without a source is emitted exactly as before (no compilers exported)', () => {
    const post = buildPost(mustGenerate(app('    script: |\n      make\n')).def);
    expect(post).toContain('cd "$BUILD_DIR/app"\nmake\ncd /\n');
    expect(post).not.toContain('export CC=');
  });

  it('compilers: system keeps the distribution compilers even with an MPI', () => {
    expect(buildPost(mustGenerate(app('    system: cmake\n    compilers: system\n')).def)).not.toContain('export CC=');
  });

  it('rejects a script with another system, a system script without script, and mpi compilers without MPI (located)', () => {
    const [e1] = errorsOf(app('    system: cmake\n    script: make\n'));
    expect(e1).toMatchObject({ ruleId: 'GEN811', path: '/app/build/script', line: 14, column: 13 });
    const [e2] = errorsOf(app('    system: script\n'));
    expect(e2).toMatchObject({ ruleId: 'GEN811', path: '/app/build' });
    const [e3] = errorsOf(`${HEAD}app:\n  build:\n    system: cmake\n    compilers: mpi\n`);
    expect(e3).toMatchObject({ ruleId: 'GEN811', path: '/app/build/compilers', line: 8, column: 16 });
    const [e4] = errorsOf(app('    system: scons\n'));
    expect(e4.message).toContain('Allowed: "cmake", "autotools", "make", "meson", "script"');
    expect([e4.line, e4.column]).toEqual([13, 13]);
  });

  it('warns about a build type the build system does not use', () => {
    const [w] = warningsOf(app('    system: make\n    buildType: Debug\n'));
    expect(w).toMatchObject({ ruleId: 'GEN811', path: '/app/build/buildType' });
  });
});

describe('application sources', () => {
  const build = '  build:\n    system: cmake\n';

  it('git: a tag is cloned shallow with --branch, a commit is fetched by id', () => {
    const tag = buildPost(
      mustGenerate(`${HEAD}app:\n  source:\n    git:\n      url: https://example.org/x.git\n      ref: v2.1\n    subdir: cmake\n${build}`).def,
    );
    expect(tag).toContain('git clone -q --depth 1 --branch v2.1 https://example.org/x.git src\n');
    expect(tag).toContain('cd src/cmake\n');
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const commit = buildPost(
      mustGenerate(`${HEAD}app:\n  source:\n    git:\n      url: https://example.org/x.git\n      ref: ${sha}\n      submodules: true\n${build}`).def,
    );
    expect(commit).toContain(`git -C src fetch -q --depth 1 origin ${sha}\ngit -C src checkout -q FETCH_HEAD\n`);
    expect(commit).toContain('git -C src submodule update -q --init --recursive --depth 1\n');
    expect(commit).toMatch(/ {4}git \\/);
  });

  it('warns about an unpinned git source (no ref, or a branch), like DEF406', () => {
    const [w1] = warningsOf(`${HEAD}app:\n  source:\n    git:\n      url: https://example.org/x.git\n${build}`);
    expect(w1).toMatchObject({ ruleId: 'GEN812', path: '/app/source/git', line: 8, column: 7 });
    const [w2] = warningsOf(`${HEAD}app:\n  source:\n    git:\n      url: https://example.org/x.git\n      ref: main\n${build}`);
    expect(w2).toMatchObject({ ruleId: 'GEN812', path: '/app/source/git/ref', line: 9, column: 12 });
  });

  it('a local archive is copied into the build stage only, checked and unpacked', () => {
    const { def } = mustGenerate(`${HEAD}app:\n  source:\n    path: src/x-1.0.tar.gz\n    sha256: ${'a'.repeat(64)}\n${build}`);
    const [buildStage, runtime] = def.split('\nBootstrap:');
    expect(buildStage).toContain('%files\n    src/x-1.0.tar.gz /usr/local/src/apptainer-gen/app-source.tar.gz\n');
    expect(runtime).not.toContain('src/x-1.0.tar.gz');
    expect(buildStage).toContain(`echo "${'a'.repeat(64)}  /usr/local/src/apptainer-gen/app-source.tar.gz" | sha256sum -c -\n`);
    expect(buildStage.indexOf('sha256sum -c')).toBeLessThan(buildStage.indexOf('tar -xf /usr/local/src/apptainer-gen/app-source.tar.gz'));
    expect(shellSyntaxProblems(def)).toEqual([]);
  });

  it('warns about an archive without a checksum; rejects git and path together, and a checksum for a directory', () => {
    const [w] = warningsOf(`${HEAD}app:\n  source:\n    path: x.tgz\n${build}`);
    expect(w).toMatchObject({ ruleId: 'GEN812', path: '/app/source/path', line: 7, column: 11 });
    const errors = errorsOf(
      `${HEAD}app:\n  source:\n    path: src/x\n    sha256: ${'b'.repeat(64)}\n    git:\n      url: https://e.org/x.git\n      ref: v1\n${build}`,
    );
    expect(errors.map((e) => e.path)).toEqual(['/app/source', '/app/source/sha256']);
    expect(errorsOf(`${HEAD}app:\n  source:\n    path: x\n`)[0]).toMatchObject({ ruleId: 'GEN811', path: '/app/source' });
  });

  it('rejects URLs and refs that could carry shell code, at their position', () => {
    const [e1] = errorsOf(`${HEAD}app:\n  source:\n    git:\n      url: "https://e.org/x.git; rm -rf /"\n      ref: v1\n${build}`);
    expect(e1).toMatchObject({ path: '/app/source/git/url', line: 8, column: 12 });
    const [e2] = errorsOf(`${HEAD}app:\n  source:\n    git:\n      url: https://e.org/x.git\n      ref: --upload-pack=x\n${build}`);
    expect(e2).toMatchObject({ path: '/app/source/git/ref', line: 9, column: 12 });
    const [e3] = errorsOf(`${HEAD}app:\n  source:\n    path: ../secret\n${build}`.replace('../secret', "'a b'"));
    expect(e3.path).toBe('/app/source/path');
  });
});

describe('packages.repos', () => {
  it('EL: epel-release and crb (powertools on EL8) before the package transaction', () => {
    const post = buildPost(
      mustGenerate(`${HEAD.replace('ubuntu:22.04', 'rockylinux:8')}packages:\n  repos:\n    epel: true\n    crb: true\n  dnf: [hdf5-devel]\n`).def,
    );
    expect(post).toMatch(
      /dnf install -y \\\n {4}epel-release \\\n {4}dnf-plugins-core\ndnf config-manager --set-enabled powertools\ndnf install -y \\\n {4}hdf5-devel/,
    );
    expect(mustGenerate(`${HEAD.replace('ubuntu:22.04', 'rockylinux:9')}packages:\n  repos:\n    crb: true\n  dnf: [x]\n`).def).toContain(
      'dnf config-manager --set-enabled crb\n',
    );
  });

  it('apt: components in both sources formats, a custom repository signed by its key', () => {
    const { def } = mustGenerate(
      `${HEAD}packages:\n  repos:\n    components: [universe]\n    custom:\n      - name: vendor\n        url: https://repo.example.org/apt\n        suite: jammy\n        key: https://repo.example.org/key.asc\n  apt: [vendor-tool]\n`,
    );
    const post = buildPost(def);
    expect(post).toContain("sed -i -E -e '/^deb /{/ universe( |$)/!s/$/ universe/}' -e '/^Components:/{/ universe( |$)/!s/$/ universe/}' \"$list\"");
    expect(post).toContain('echo "deb [signed-by=$key] https://repo.example.org/apt jammy main" > /etc/apt/sources.list.d/vendor.list');
    expect(post.indexOf('sources.list.d/vendor.list')).toBeLessThan(post.lastIndexOf('apt-get update'));
    expect(shellSyntaxProblems(def)).toEqual([]);
  });

  it('dnf and zypper custom repositories', () => {
    const dnf = mustGenerate(
      `${HEAD.replace('ubuntu:22.04', 'rockylinux:9')}packages:\n  repos:\n    custom:\n      - name: vendor\n        url: https://repo.example.org/el9\n        key: https://repo.example.org/key\n  dnf: [x]\n`,
    ).def;
    expect(dnf).toContain(
      "printf '%s\\n' '[vendor]' name=vendor baseurl=https://repo.example.org/el9 enabled=1 gpgcheck=1 gpgkey=https://repo.example.org/key > /etc/yum.repos.d/vendor.repo",
    );
    const zypper = mustGenerate(
      `${HEAD.replace('ubuntu:22.04', 'opensuse/leap:15.5')}packages:\n  repos:\n    custom:\n      - name: vendor\n        url: https://repo.example.org/suse\n        key: https://repo.example.org/key\n  zypper: [x]\n`,
    ).def;
    expect(zypper).toContain('rpm --import https://repo.example.org/key\nzypper --non-interactive addrepo --refresh https://repo.example.org/suse vendor\n');
  });

  it('rejects repositories the distribution does not have, at their position', () => {
    const [e1] = errorsOf(`${HEAD}packages:\n  repos:\n    epel: true\n`);
    expect(e1).toMatchObject({ ruleId: 'GEN831', path: '/packages/repos/epel', line: 7, column: 11 });
    const [e2] = errorsOf(`${HEAD.replace('ubuntu:22.04', 'debian:bookworm')}packages:\n  repos:\n    components: [contrib, universe]\n`);
    expect(e2).toMatchObject({ ruleId: 'GEN831', path: '/packages/repos/components/1', line: 7, column: 27 });
    const [e3] = errorsOf(`${HEAD}packages:\n  repos:\n    custom:\n      - name: v\n        url: https://e.org/apt\n        key: https://e.org/k\n`);
    expect(e3).toMatchObject({ ruleId: 'GEN831', path: '/packages/repos/custom/0' });
    expect(e3.message).toContain('suite');
    const [e4] = errorsOf(
      `${HEAD}packages:\n  repos:\n    custom:\n      - name: v\n        url: http://e.org/apt suite\n        key: https://e.org/k\n        suite: s\n`,
    );
    expect(e4).toMatchObject({ path: '/packages/repos/custom/0/url', line: 9, column: 14 });
  });
});

describe('python stacks', () => {
  it('pip: a venv under the prefix, pinned requirements without pip cache, mpi4py from source against the image MPI', () => {
    const { def } = mustGenerate(readRecipe('mpi4py-pip.yaml'), 'mpi4py-pip.yaml');
    const post = buildPost(def);
    expect(post).toContain('python3 -m venv /opt/app/venv\n/opt/app/venv/bin/python -m pip install --no-cache-dir \\\n    numpy==1.26.4\n');
    expect(post).toContain('MPICC=mpicc /opt/app/venv/bin/python -m pip install --no-cache-dir --no-binary=mpi4py mpi4py==3.1.6');
    expect(post.indexOf('mpi4py==3.1.6')).toBeGreaterThan(post.indexOf('libopenmpi-dev'));
    expect(def).toMatch(/%files from build\n {4}\/opt\/app\/venv \/opt\/app\/venv\n/);
    expect(def).toContain('mpi4py_ext=$(find /opt/app/venv');
    expect(def).toMatch(/%environment\n(?:.*\n)* {4}export PATH="\/opt\/app\/venv\/bin\$\{PATH:\+:\$PATH\}"/);
  });

  it('conda: micromamba in the build directory, an environment file, caches removed, mpi4py from source', () => {
    const { def } = mustGenerate(readRecipe('conda-mpi4py-mpich.yaml'), 'conda-mpi4py-mpich.yaml');
    const post = buildPost(def);
    expect(post).toContain('export MAMBA_ROOT_PREFIX="$PWD/mamba-root"');
    expect(post).toContain('./micromamba create --yes --prefix /opt/app/conda --file environment.yml');
    expect(post).toContain('./micromamba clean --all --yes');
    expect(post).toContain('MPICC=mpicc /opt/app/conda/bin/python -m pip install --no-cache-dir --no-binary=mpi4py mpi4py==3.1.6');
    const runtime = def.slice(def.lastIndexOf('\nBootstrap:'));
    expect(runtime).not.toContain('micromamba');
  });

  it("rejects conda's and pip's MPI, and mpi4py without an MPI; warns about unpinned packages", () => {
    const conda = `${HEAD}${MPI}python:\n  conda:\n    packages: [python=3.11.9, openmpi=4.1.6, numpy]\n    micromamba:\n      sha256: ${'c'.repeat(64)}\n`;
    const [e] = errorsOf(conda);
    expect(e).toMatchObject({ ruleId: 'GEN821', path: '/python/conda/packages/1', line: 13, column: 31 });
    expect(e.message).toContain("conda's MPI");
    const pip = `${HEAD}${MPI}python:\n  pip:\n    requirements: [mpi4py==4.0.0]\n`;
    expect(errorsOf(pip)[0]).toMatchObject({ ruleId: 'GEN821', path: '/python/pip/requirements/0' });
    expect(errorsOf(`${HEAD}python:\n  pip:\n    mpi4py: 3.1.6\n`)[0]).toMatchObject({ path: '/python/pip/mpi4py', line: 7, column: 13 });
    const [w] = warningsOf(`${HEAD}python:\n  pip:\n    requirements: [numpy>=1.20]\n`);
    expect(w).toMatchObject({ ruleId: 'GEN821', path: '/python/pip/requirements/0', line: 7, column: 20 });
    expect(errorsOf(`${HEAD}python:\n  pip:\n    requirements: ["numpy; rm -rf /"]\n`)[0].path).toBe('/python/pip/requirements/0');
  });
});

describe('job scripts that place ranks', () => {
  const gpuHead = 'apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: nvidia/cuda:12.4.1-devel-ubuntu22.04\ngpu:\n  vendor: nvidia\n';

  it('cpusPerTask: sbatch and srun get it, OMP_NUM_THREADS follows it; Open MPI mpirun maps PE=N', () => {
    const { jobScript } = mustGenerate(`${HEAD}${MPI}jobScript:\n  cpusPerTask: 6\n`);
    expect(jobScript).toContain('#SBATCH --cpus-per-task=6\n');
    expect(jobScript).toContain('export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-6}"\n');
    expect(jobScript).toContain('srun --mpi=pmix --cpus-per-task="$SLURM_CPUS_PER_TASK" apptainer');
    const hybrid = mustGenerate(`${HEAD}mpi:\n  model: hybrid\n  impl: openmpi\n  version: 4.1.6\njobScript:\n  cpusPerTask: 4\n`).jobScript!;
    expect(hybrid).toContain('mpirun -n "$SLURM_NTASKS" -x OMP_NUM_THREADS --map-by slot:PE=4 apptainer');
  });

  it('GPUs: closest binding with gpusPerTask, a local-rank wrapper with gpusPerNode, --nv only for a GPU image', () => {
    const closest = mustGenerate(`${gpuHead}${MPI}jobScript:\n  gpusPerTask: 1\n`).jobScript!;
    expect(closest).toContain('#SBATCH --gpus-per-task=1\n');
    expect(closest).toContain('srun --mpi=pmix --gpus-per-task=1 --gpu-bind=closest apptainer run --nv');
    const wrapper = mustGenerate(`${gpuHead}${MPI}jobScript:\n  ntasksPerNode: 8\n  gpusPerNode: 4\n`).jobScript!;
    expect(wrapper).toContain('select_gpu="export CUDA_VISIBLE_DEVICES=\\$((');
    expect(wrapper).toContain('% 4 )); exec \\"\\$@\\""');
    expect(wrapper).toContain('srun --mpi=pmix bash -c "$select_gpu" select-gpu apptainer run --nv');
    const single = mustGenerate(`${gpuHead}${MPI}jobScript:\n  ntasksPerNode: 8\n  gpusPerNode: 4\n  gpuBind: single\n`).jobScript!;
    expect(single).toContain('srun --mpi=pmix --gpu-bind=single:2 apptainer');
    const cpu = mustGenerate(`${HEAD}${MPI}jobScript:\n  nodes: 1\n`).jobScript!;
    expect(cpu).not.toMatch(/--nv|--rocm|gpu/);
    for (const script of [closest, wrapper, single]) expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
  });

  it('the local-rank wrapper picks the GPU from the node-local rank of any launcher', () => {
    const wrapper = mustGenerate(`${gpuHead}${MPI}jobScript:\n  ntasksPerNode: 8\n  gpusPerNode: 4\n`).jobScript!;
    const assignment = wrapper.split('\n').find((l) => l.startsWith('select_gpu='))!;
    const probe = (env: Record<string, string>) =>
      spawnSync('bash', ['-c', `${assignment}\nbash -c "$select_gpu" select-gpu printenv CUDA_VISIBLE_DEVICES`], {
        env: { PATH: process.env.PATH!, ...env },
        encoding: 'utf8',
      }).stdout.trim();
    expect(probe({ SLURM_LOCALID: '6' })).toBe('2');
    expect(probe({ OMPI_COMM_WORLD_LOCAL_RANK: '3', SLURM_LOCALID: '0' })).toBe('3');
    expect(probe({ MPI_LOCALRANKID: '5' })).toBe('1');
  });

  it('scheduler none: a plain script with the host mpirun, NP and HOSTFILE; the pmi model uses the image mpirun', () => {
    const hybrid = mustGenerate(readRecipe('ior-mpich-hybrid.yaml'), 'ior-mpich-hybrid.yaml').jobScript!;
    expect(hybrid).not.toContain('#SBATCH');
    expect(hybrid).toContain('NP="${NP:-32}"\nhostfile=()\nif [ -n "${HOSTFILE:-}" ]; then hostfile=(-f "$HOSTFILE"); fi\n');
    expect(hybrid).toContain('mpirun -n "$NP" ${hostfile[@]+"${hostfile[@]}"} apptainer exec "$IMAGE" /opt/ior/bin/ior');
    const pmi = mustGenerate(`${HEAD}${MPI}runscript:\n  exec: [/opt/app/bin/x]\njobScript:\n  scheduler: none\n  nodes: 1\n  ntasksPerNode: 4\n`).jobScript!;
    expect(pmi).toContain('apptainer exec "$IMAGE" mpirun -n "$NP" /opt/app/bin/x');
    expect(pmi).not.toContain('srun');
    for (const script of [hybrid, pmi]) expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
  });

  it('rejects placements the launcher cannot do, at their position', () => {
    const [e1] = errorsOf(`${gpuHead}mpi:\n  model: hybrid\n  impl: openmpi\n  version: 4.1.6\njobScript:\n  gpusPerTask: 1\n  gpuBind: closest\n`);
    expect(e1).toMatchObject({ ruleId: 'GEN841', path: '/jobScript/gpuBind', line: 13, column: 12 });
    const [e2] = errorsOf(`${gpuHead}${MPI}jobScript:\n  gpuBind: single\n`);
    expect(e2).toMatchObject({ ruleId: 'GEN841', path: '/jobScript/gpuBind' });
    const [e3] = errorsOf(`${HEAD}${MPI}jobScript:\n  scheduler: none\n  launcher: srun\n`);
    expect(e3).toMatchObject({ ruleId: 'GEN841', path: '/jobScript/launcher', line: 13, column: 13 });
    const [e4] = errorsOf(`${HEAD}${MPI}jobScript:\n  cpusPerTask: 0\n`);
    expect(e4).toMatchObject({ path: '/jobScript/cpusPerTask', line: 12, column: 16 });
    expect(warningsOf(`${HEAD}${MPI}jobScript:\n  gpusPerTask: 2\n`)[0]).toMatchObject({ ruleId: 'GEN841', path: '/jobScript/gpusPerTask' });
  });
});

describe('the real-application examples', () => {
  const examples = ['lammps-openmpi-pmix', 'ior-mpich-hybrid', 'lammps-kokkos-cuda', 'mpi4py-pip', 'conda-mpi4py-mpich'];

  it.each(examples)('%s: check-job accepts the generated job script', async (name) => {
    const { def, jobScript } = mustGenerate(readRecipe(`${name}.yaml`), `${name}.yaml`);
    const { findings } = await checkJobScript(jobScript!, def, { jobFilename: 'job.sh', defFilename: `${name}.def` });
    expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it('the CUDA example binds one GPU per rank and builds against CUDA-aware Open MPI', () => {
    const { def, jobScript } = mustGenerate(readRecipe('lammps-kokkos-cuda.yaml'), 'lammps-kokkos-cuda.yaml');
    expect(def).toContain('--with-cuda=/usr/local/cuda');
    expect(def).toContain('-DCMAKE_CUDA_ARCHITECTURES="80"');
    expect(jobScript).toContain('--gpus-per-task=1 --gpu-bind=closest apptainer exec --nv');
  });
});

describe('the schema documents every field with an example', () => {
  /** Every property schema in the recipe schema, with its JSON path. */
  function properties(node: unknown, path: string, out: [string, Record<string, unknown>][]): void {
    if (!node || typeof node !== 'object') return;
    const schema = node as Record<string, unknown>;
    for (const [key, child] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) {
      out.push([`${path}/${key}`, child as Record<string, unknown>]);
      properties(child, `${path}/${key}`, out);
    }
    if (schema.items) properties(schema.items, `${path}[]`, out);
  }

  it('has a description and examples for every field issue 17 added', () => {
    const all: [string, Record<string, unknown>][] = [];
    properties(recipeSchema(), '', all);
    properties((recipeSchema().$defs as Record<string, unknown>).packageSelection, '/packages', all);
    const added = all.filter(([p]) => /^\/(app|python)(\/|$)|^\/packages\/repos|^\/jobScript\/(gpusPerTask|cpusPerTask|gpuBind|scheduler)/.test(p));
    expect(added.length).toBeGreaterThan(30);
    const missing = added.filter(([, s]) => typeof s.description !== 'string' || !Array.isArray(s.examples) || s.examples.length === 0).map(([p]) => p);
    expect(missing).toEqual([]);
  });
});

describe('bad values: exit 2, located message, nothing written (CLI)', () => {
  const cli = captureCli('apptainer-gen-17-');

  const cases: [string, string, string][] = [
    ['build system', `${HEAD}app:\n  build:\n    system: bazel\n`, 'r.yaml:7:13: error:'],
    ['git ref', `${HEAD}app:\n  source:\n    git:\n      url: https://e.org/x.git\n      ref: "v1 x"\n  build:\n    system: cmake\n`, 'r.yaml:9:12: error:'],
    ['repository', `${HEAD}packages:\n  repos:\n    crb: true\n`, 'r.yaml:7:10: error:'],
    ['python', `${HEAD}python:\n  conda:\n    packages: [mpich=4.1.2]\n`, 'r.yaml:7:16: error:'],
    ['job script', `${HEAD}${MPI}jobScript:\n  gpuBind: everywhere\n`, 'r.yaml:12:12: error:'],
  ];
  it.each(cases)('%s', async (_what, text, where) => {
    const recipe = join(cli.dir, 'r.yaml');
    writeFileSync(recipe, text);
    const def = join(cli.dir, 'out.def');
    const code = await generateCmd([recipe, '-o', def, '--job-script', join(cli.dir, 'job.sh')]);
    expect(code).toBe(2);
    expect(cli.err).toContain(where);
    expect(existsSync(def)).toBe(false);
    expect(readdirSync(cli.dir)).toEqual(['r.yaml']);
  });
});

describe('NCCL (gpu.nccl)', () => {
  const base = (image: string, extra = '') => `apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: ${image}\ngpu:\n  vendor: nvidia\n  nccl: true\n${extra}`;

  it('is taken from an nvidia/cuda image (not reinstalled: the image holds it) and checked in %test', () => {
    const { def } = mustGenerate(base('nvidia/cuda:12.4.1-devel-ubuntu22.04', 'app:\n  build:\n    script: "true"\n'));
    expect(def).not.toContain('libnccl-dev');
    expect(def).toContain('  *libnccl.so.2*) echo "ok: NCCL (libnccl.so.2)" ;;');
  });

  it("is installed from NVIDIA's repository on another base (build and runtime packages)", () => {
    const { def } = mustGenerate(base('ubuntu:22.04', '  cuda:\n    version: 12.4.1\napp:\n  build:\n    script: "true"\n'));
    const [buildStage, runtime] = def.split('\nBootstrap:');
    expect(buildStage).toMatch(/ {4}libnccl-dev/);
    expect(runtime).toMatch(/ {4}libnccl2/);
    const el = mustGenerate(base('rockylinux:9', '  cuda:\n    version: 12.4.1\napp:\n  build:\n    script: "true"\n')).def;
    expect(el).toMatch(/ {4}libnccl-devel/);
  });

  it('needs a CUDA toolkit; without an NVIDIA GPU it is a warning', () => {
    expect(errorsOf(base('ubuntu:22.04'))[0]).toMatchObject({ path: '/gpu/nccl', line: 7, column: 9 });
    const none = warningsOf('apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: ubuntu:22.04\ngpu:\n  nccl: true\n');
    expect(none[0].path).toBe('/gpu');
  });
});

describe('app.source.url (through the sources module of issue 11)', () => {
  const url = 'https://example.org/releases/app-1.2.tar.gz';
  const sha = 'd'.repeat(64);
  const recipe = (extra = '') => `${HEAD}${extra}app:\n  source:\n    url: ${url}\n    sha256: ${sha}\n    subdir: src\n  build:\n    system: cmake\n`;

  it('downloads, checks and unpacks the archive in the build stage, and lists it as a source', () => {
    const { def } = mustGenerate(recipe());
    const post = buildPost(def);
    expect(post).toContain(`curl -fsSL --retry 3 -o app-1.2.tar.gz "${url}"\necho "${sha}  app-1.2.tar.gz" | sha256sum -c -\n`);
    expect(post).toContain('tar -xf app-1.2.tar.gz -C src --strip-components=1\ncd src\ncd ./src\n');
    const listed = listSources(recipe());
    expect(listed.ok && listed.listing).toContain(`app\tapp-1.2.tar.gz\t${url}\t${sha}\n`);
  });

  it('takes the archive from a mirror directory with %files into the build stage only', () => {
    const { def } = mustGenerate(recipe('sources:\n  mirror: vetted\n'));
    const [buildStage, runtime] = def.split('\nBootstrap:');
    expect(buildStage).toContain('vetted/app-1.2.tar.gz /usr/local/src/apptainer-gen/sources/app-1.2.tar.gz');
    expect(buildStage).not.toContain('curl -fsSL --retry 3 -o app-1.2.tar.gz');
    expect(runtime).not.toContain('vetted/');
  });

  it('warns without a checksum; rejects url together with git', () => {
    const [w] = warningsOf(`${HEAD}app:\n  source:\n    url: ${url}\n  build:\n    system: make\n`);
    expect(w).toMatchObject({ ruleId: 'GEN812', path: '/app/source/url', line: 7, column: 10 });
    const [e] = errorsOf(`${HEAD}app:\n  source:\n    url: ${url}\n    git:\n      url: https://e.org/x.git\n      ref: v1\n  build:\n    system: make\n`);
    expect(e).toMatchObject({ ruleId: 'GEN812', path: '/app/source' });
    expect(errorsOf(`${HEAD}app:\n  source:\n    url: "https://e.org/a.tgz; rm -rf /"\n  build:\n    system: make\n`)[0].path).toBe('/app/source/url');
  });
});
