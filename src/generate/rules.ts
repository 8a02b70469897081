// Semantic checks that JSON Schema cannot express (generator-guidance §3 validation rules).
// Each problem points at the YAML node it is about.
import { problemAt, type LoadedRecipe, type PathSegment } from './load.js';
import { DEFAULT_MPI_VERSION, IMPL_TITLE, type Plan } from './plan.js';
import type { Problem, Recipe } from './types.js';
import { usesCudaImage } from './blocks/cuda.js';
import { usesRocmImage } from './blocks/rocm.js';
import { isTemplated } from './blocks/mpi-common.js';

const DRIVER_PACKAGE = /^(nvidia-driver|cuda-drivers|libnvidia-|nvidia-utils|nvidia-kernel|nvidia-dkms|xserver-xorg-video-nvidia|libcuda1|nvidia-compute-utils|amdgpu-dkms|amdgpu-core)/;
const DRIVER_IN_SCRIPT = /\b(nvidia-driver-[0-9]+|cuda-drivers|amdgpu-dkms|NVIDIA-Linux-[\w.-]*\.run)\b/;
const MULTI_RANK = /\b(mpirun|mpiexec|srun|prun)\b[^\n]*?\s(-n|-np|--np|-N|--ntasks|-c)[\s=]*([2-9]|[1-9][0-9]+|\$)/;
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const FIRST_PLACEHOLDER = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/;
const BOUND_DIRS = ['/tmp', '/var/tmp', '/home', '/proc', '/sys', '/dev'];
/** Directories every supported base image has, so `%files from build` can copy into them. */
const KNOWN_PARENTS = new Set(['/', '/opt', '/usr', '/usr/local', '/usr/local/bin', '/usr/local/lib', '/usr/local/share', '/usr/bin', '/usr/lib', '/usr/share', '/etc', '/srv', '/var', '/var/lib']);

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/** Visits every string in the recipe with its path. */
function eachString(value: unknown, path: PathSegment[], visit: (s: string, path: PathSegment[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, [...path, i], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) eachString(v, [...path, k], visit);
  }
}

function allPackages(recipe: Recipe): { name: string; path: PathSegment[] }[] {
  const out: { name: string; path: PathSegment[] }[] = [];
  const add = (list: string[] | undefined, path: PathSegment[]) => list?.forEach((name, i) => out.push({ name, path: [...path, i] }));
  for (const family of ['apt', 'dnf', 'zypper'] as const) {
    add(recipe.packages?.[family], ['packages', family]);
    add(recipe.stages?.runtime?.packages?.[family], ['stages', 'runtime', 'packages', family]);
  }
  add(recipe.base?.include, ['base', 'include']);
  return out;
}

export function checkRecipe(recipe: Recipe, plan: Plan, loaded: LoadedRecipe): Problem[] {
  const problems: Problem[] = [];
  const error = (path: PathSegment[], message: string, key = false) => problems.push(problemAt(loaded, path, message, 'error', { key }));
  const warn = (path: PathSegment[], message: string, key = false) => problems.push(problemAt(loaded, path, message, 'warning', { key }));
  const mpi = recipe.mpi ?? {};
  const model = plan.model;
  const impl = mpi.impl;

  // Base image / bootstrap agent (rule 11).
  const b = plan.bootstrap;
  if (['docker', 'oras', 'localimage', 'library'].includes(b) && !plan.image) {
    error(recipe.base ? ['base'] : [], `base.image is required with bootstrap '${b}' (e.g. ubuntu:22.04)`);
  }
  if (b === 'debootstrap' && (!plan.osVersion || !plan.mirrorUrl)) {
    error(['base'], "bootstrap 'debootstrap' needs base.osVersion (e.g. bookworm) and base.mirrorUrl (e.g. http://deb.debian.org/debian)");
  }
  if ((b === 'dnf' || b === 'yum') && !plan.mirrorUrl) error(['base'], `bootstrap '${b}' needs base.mirrorUrl`);
  if ((b === 'dnf' || b === 'yum') && /%\{OSVERSION\}/i.test(plan.mirrorUrl ?? '') && !plan.osVersion) {
    error(['base', 'mirrorUrl'], 'base.mirrorUrl uses %{OSVERSION} but base.osVersion is not set');
  }
  if (plan.image && /^[a-z]+:\/\//.test(plan.image)) {
    error(['base', 'image'], `give base.image without a scheme: Apptainer adds '${b}://' itself`);
  }
  if (['debootstrap', 'dnf', 'yum', 'zypper'].includes(b) && recipe.base?.image) {
    warn(['base', 'image'], `base.image is ignored with bootstrap '${b}'`);
  }
  if (['debootstrap', 'dnf', 'yum', 'zypper'].includes(b) && recipe.stages?.runtime?.image) {
    error(['stages', 'runtime', 'image'], `stages.runtime.image cannot be used with bootstrap '${b}': the runtime stage is bootstrapped the same way as the build stage`);
  }

  // MPI model and implementation (rules 1-6).
  if (model !== 'none' && !impl) error(['mpi'], `mpi.impl is required with mpi.model '${model}' (openmpi, mpich, mvapich2 or intelmpi)`);
  if (model === 'none' && impl) warn(['mpi', 'impl'], "mpi.impl is ignored because mpi.model is 'none'");
  if (impl && model !== 'none') {
    const src = plan.mpiSource;
    if (impl === 'intelmpi' && src !== 'oneapi') error(['mpi', 'source'], "Intel MPI is installed from Intel's oneAPI repository: use source 'oneapi'");
    if (impl !== 'intelmpi' && src === 'oneapi') error(['mpi', 'source'], "source 'oneapi' is only for impl 'intelmpi'");
    if (src === 'distro' && impl !== 'openmpi' && impl !== 'mpich') error(['mpi', 'source'], `source 'distro' supports openmpi and mpich only, not ${impl}`);
    const pmiPath: PathSegment[] = mpi.pmi?.interface ? ['mpi', 'pmi', 'interface'] : ['mpi'];
    if (model === 'pmi' && plan.pmi === 'none') {
      error(pmiPath, "mpi.model 'pmi' needs a PMI interface that srun offers: pmi.interface pmix, pmi2 or pmi1 (check with 'srun --mpi=list')");
    }
    const v5 = impl === 'openmpi' && plan.mpiMajor >= 5;
    if (v5 && (plan.pmi === 'pmi2' || plan.pmi === 'pmi1')) {
      error(pmiPath, `Open MPI ${plan.mpiVersion} supports only PMIx (PMI-1/PMI-2 were removed in 5.0): use pmi.interface: pmix, or Open MPI 4.1.x for ${plan.pmi}`);
    }
    if (v5 && plan.transports.includes('verbs') && !plan.transports.includes('ucx')) {
      error(['mpi', 'fabric', 'transports'], 'Open MPI 5 removed the openib (verbs) BTL: use ucx for InfiniBand/RoCE or ofi for other fabrics');
    }
    if (v5 && plan.mpi1Compat) error(['mpi', 'mpi1Compat'], 'mpi1Compat (--enable-mpi1-compatibility) exists only in Open MPI 4.x');
    if (impl === 'intelmpi' && plan.pmi === 'pmix') {
      error(pmiPath, 'Intel MPI does not support PMIx: use pmi.interface: pmi2 with I_MPI_PMI_LIBRARY (set automatically)');
    }
    if (impl === 'mvapich2' && (plan.pmi === 'pmix' || plan.pmi === 'pmi1')) {
      error(pmiPath, 'MVAPICH2 under srun is built with --with-pm=slurm --with-pmi=pmi2: use pmi.interface: pmi2');
    }
    if (impl === 'mvapich2' && model === 'pmi' && plan.pmi !== 'pmi2') {
      error(pmiPath, "MVAPICH2 with mpi.model 'pmi' needs pmi.interface: pmi2");
    }
    if (plan.pmiProvider === 'bundled' && !(impl === 'openmpi' && plan.pmi === 'pmix')) {
      error(['mpi', 'pmi', 'provider'], "provider 'bundled' means Open MPI's internal PMIx: it needs impl openmpi and pmi.interface pmix");
    }
    if (mpi.device && impl !== 'mpich') warn(['mpi', 'device'], 'mpi.device applies to MPICH only and is ignored');
    if (plan.device === 'ch4:ucx' && impl === 'mpich' && src === 'tarball' && !plan.transports.includes('ucx')) {
      error(['mpi', 'device'], "device ch4:ucx needs 'ucx' in mpi.fabric.transports");
    }
    if (plan.device === 'ch4:ofi' && impl === 'mpich' && src === 'tarball' && mpi.device && !plan.transports.includes('ofi')) {
      error(['mpi', 'device'], "device ch4:ofi needs 'ofi' in mpi.fabric.transports");
    }
    if (src === 'distro' && (mpi.version || mpi.configure?.length || mpi.prefix)) {
      warn(mpi.version ? ['mpi', 'version'] : mpi.prefix ? ['mpi', 'prefix'] : ['mpi', 'configure'], "mpi.version, mpi.prefix and mpi.configure are ignored with source 'distro' (the distribution decides)");
    }
    if (model === 'hybrid' && !mpi.version && src === 'tarball') {
      warn(['mpi'], `hybrid model: the container MPI must match the host's; set mpi.version to the site's ${impl} version (defaulting to ${plan.mpiVersion})`);
    }
    const plausible: Record<string, (major: number) => boolean> = {
      openmpi: (m) => m >= 1 && m <= 9,
      mpich: (m) => m >= 3 && m <= 9,
      mvapich2: (m) => m === 2,
      intelmpi: (m) => m >= 2019 && m <= 2099,
    };
    if (mpi.version && !isTemplated(plan.mpiVersion) && !plausible[impl](plan.mpiMajor)) {
      warn(['mpi', 'version'], `${plan.mpiVersion} is not a plausible ${IMPL_TITLE[impl]} version (the default is ${DEFAULT_MPI_VERSION[impl]})`);
    }
    if (isTemplated(plan.mpiVersion)) {
      warn(['mpi', 'version'], 'mpi.version is a build argument, so version-specific checks (e.g. Open MPI 5 is PMIx-only) were not applied');
    }
    if (model === 'bind' && !plan.multistage) {
      error(['stages', 'multistage'], "the bind model keeps MPI out of the final image, which needs stages.multistage: true (the build stage compiles against an MPI)");
    }
    if (model === 'bind' && plan.hostPrefix && BOUND_DIRS.some((d) => under(plan.hostPrefix, d))) {
      warn(['mpi', 'bind', 'hostPrefix'], `host MPI prefix ${plan.hostPrefix} is under a directory Apptainer binds by default`);
    }
    if (model !== 'bind' && mpi.bind) warn(['mpi', 'bind'], "mpi.bind is used only with mpi.model 'bind'");
    if (recipe.jobScript?.launcher === 'mpirun' && model === 'pmi') {
      error(['jobScript', 'launcher'], "the pmi model is launched by srun (no host MPI): remove jobScript.launcher or use 'srun'");
    }
    if (recipe.jobScript?.launcher === 'srun' && plan.pmi === 'none') {
      error(['jobScript', 'launcher'], 'launching with srun needs mpi.pmi.interface (pmix, pmi2 or pmi1)');
    }
  }

  // GPU (rules 7-9).
  for (const pkg of allPackages(recipe)) {
    if (DRIVER_PACKAGE.test(pkg.name) || pkg.name === 'cuda') {
      error(pkg.path, `'${pkg.name}' installs GPU driver components; the driver must come from the host (--nv / --rocm). Use a CUDA base image or cuda-toolkit-X-Y / ROCm user-space packages instead`);
    }
  }
  const scripts: [string | undefined, PathSegment[]][] = [
    [recipe.app?.build?.script, ['app', 'build', 'script']],
    ...Object.entries(recipe.apps ?? {}).map(([n, a]): [string | undefined, PathSegment[]] => [a.install, ['apps', n, 'install']]),
  ];
  for (const [script, path] of scripts) {
    if (!script) continue;
    const m = DRIVER_IN_SCRIPT.exec(script);
    if (m) error(path, `'${m[1]}' installs a GPU driver; the driver must come from the host (--nv / --rocm)`);
    if (/\bamdgpu-install\b/.test(script) && !/--no-dkms/.test(script)) error(path, 'amdgpu-install must be run with --no-dkms (the kernel driver belongs to the host)');
  }
  const gpu = recipe.gpu ?? {};
  if (plan.gpu === 'nvidia') {
    if (!usesCudaImage(plan.image) && !gpu.cuda?.version) {
      warn(['gpu'], 'gpu.vendor is nvidia but the base image is not nvidia/cuda and gpu.cuda.version is not set: no CUDA toolkit will be installed');
    }
    if (!usesCudaImage(plan.image) && gpu.cuda?.version && plan.family === 'zypper') {
      error(['gpu', 'cuda', 'version'], 'installing the CUDA toolkit is supported on apt and dnf distributions only; use an nvidia/cuda base image');
    }
    if (gpu.rocm) warn(['gpu', 'rocm'], 'gpu.rocm is ignored for vendor nvidia');
    if (!plan.multistage && plan.image && /-devel/.test(plan.image) && usesCudaImage(plan.image)) {
      warn(['stages', 'multistage'], 'single-stage build on a CUDA devel image: the final image will carry the whole toolkit (several GB)');
    }
  }
  if (plan.gpu === 'amd') {
    if (!usesRocmImage(plan.image) && !(recipe.stages?.runtime?.image && usesRocmImage(recipe.stages.runtime.image))) {
      warn(['base', 'image'], 'gpu.vendor is amd but the base image is not a rocm/* image: apptainer-gen does not install ROCm itself');
    }
    if (gpu.cuda) warn(['gpu', 'cuda'], 'gpu.cuda is ignored for vendor amd');
  }
  if (plan.gpu === 'none' && (gpu.awareMpi || gpu.gdrcopy || gpu.cuda || gpu.rocm)) {
    warn(['gpu'], "gpu settings are ignored because gpu.vendor is 'none'");
  }
  if (gpu.gdrcopy && plan.gpu === 'amd') warn(['gpu', 'gdrcopy'], 'gdrcopy is NVIDIA-only and is ignored for vendor amd');
  if (plan.awareMpi) {
    const at: PathSegment[] = ['gpu', 'awareMpi'];
    if (model === 'none' || !impl) error(at, 'gpu.awareMpi needs an MPI (mpi.model and mpi.impl)');
    else if (model === 'bind') error(at, 'in the bind model the MPI (and its GPU support) comes from the host; remove gpu.awareMpi');
    else if (plan.mpiSource !== 'tarball') error(at, `GPU-aware MPI is built from source: set mpi.source: tarball (not ${plan.mpiSource})`);
    else if (impl === 'intelmpi') error(at, 'apptainer-gen cannot build a GPU-aware Intel MPI');
    else if (impl === 'openmpi' && !plan.transports.includes('ucx')) error(['mpi', 'fabric', 'transports'], "CUDA/ROCm-aware Open MPI goes through UCX: add 'ucx' to mpi.fabric.transports");
    else if (impl === 'openmpi' && plan.gpu === 'amd' && plan.mpiMajor < 5) error(at, 'ROCm-aware Open MPI needs Open MPI 5.x (--with-rocm)');
    else if (impl === 'mvapich2' && plan.gpu === 'amd') error(at, 'apptainer-gen builds ROCm-aware MPI with Open MPI 5 or MPICH only');
    else if (plan.fabricSource === 'distro' && plan.transports.includes('ucx')) {
      warn(['mpi', 'fabric', 'source'], 'distribution UCX is built without CUDA/ROCm: GPU buffers will be staged through host memory');
    }
  }
  for (const key of Object.keys(recipe.labels ?? {})) {
    if (key.startsWith('org.apptainer-gen.')) error(['labels', key], `label ${key} is reserved for apptainer-gen's provenance labels`, true);
  }
  if (recipe.jobScript?.gpusPerNode && plan.gpu === 'none') warn(['jobScript', 'gpusPerNode'], "jobScript.gpusPerNode is set but gpu.vendor is 'none'");

  // Fabric.
  if (plan.transports.length && model === 'none') warn(['mpi', 'fabric'], "mpi.fabric is ignored because mpi.model is 'none'");

  // %files (rule 10).
  (recipe.files ?? []).forEach((f, i) => {
    const bad = BOUND_DIRS.find((d) => under(f.dst, d));
    if (bad) {
      error(['files', i, 'dst'], `files[${i}].dst ${f.dst} is under ${bad}, which Apptainer bind-mounts from the host during the build and at run time, so the file would be hidden; copy to /opt/... instead`);
    }
    if (f.stage === 'final' && !plan.multistage) warn(['files', i, 'stage'], "stage 'final' has no effect in a single-stage build");
  });
  for (const [i, artifact] of plan.artifacts.entries()) {
    const path: PathSegment[] = recipe.app?.artifacts ? ['app', 'artifacts', i] : ['app', 'installPrefix'];
    const bad = BOUND_DIRS.find((d) => under(artifact, d));
    if (bad) error(path, `${artifact} is under ${bad}, which is bind-mounted from the host; install under /opt instead`);
    const parent = artifact.replace(/\/[^/]+\/?$/, '') || '/';
    if (plan.multistage && !KNOWN_PARENTS.has(parent) && !plan.artifacts.some((o) => o !== artifact && under(parent, o))) {
      warn(path, `the runtime image may not have ${parent}: %files from build needs the destination's parent directory to exist (copy a whole directory such as ${parent} instead)`);
    }
  }
  if (recipe.app?.artifacts && !recipe.app.build?.script) warn(['app', 'artifacts'], 'app.artifacts without app.build.script: nothing builds them');
  if (!plan.appScript && recipe.app?.installPrefix) warn(['app', 'installPrefix'], 'app.installPrefix without app.build.script has no effect');

  // Templating (rule 12).
  const defined = new Set(Object.keys(recipe.arguments ?? {}));
  eachString(recipe, [], (s, path) => {
    if (path[0] === 'arguments') return;
    for (const m of s.matchAll(PLACEHOLDER)) {
      if (!defined.has(m[1])) error(path, `{{ ${m[1]} }} is not defined in arguments; add it there (the build would fail with 'build var ${m[1]} is not defined')`);
    }
    const rest = s.replace(PLACEHOLDER, '');
    if (rest.includes('{{')) {
      error(path, "'{{' that is not a {{ NAME }} placeholder: Apptainer reserves it for templating (write it differently, e.g. '{ {')");
    }
    const first = s.search(FIRST_PLACEHOLDER);
    if (first >= 0 && /#[^!]/.test(s.slice(0, first).split('\n').pop() ?? '')) {
      warn(path, "a placeholder after '#' on the same line is not substituted by Apptainer");
    }
  });
  if (defined.size && recipe.target?.runtime === 'singularityce') {
    warn(['arguments'], 'SingularityCE does not support %arguments templating ({{ NAME }}); this definition needs Apptainer >= 1.2');
  }
  if (recipe.arguments) {
    const used = new Set<string>();
    eachString(recipe, [], (s, path) => {
      if (path[0] === 'arguments') return;
      for (const m of s.matchAll(PLACEHOLDER)) used.add(m[1]);
    });
    for (const name of defined) if (!used.has(name)) warn(['arguments', name], `argument ${name} is never used as {{ ${name} }}`, true);
  }

  // Distribution (rule 14).
  const installs =
    model !== 'none' || plan.gpu !== 'none' || !!plan.appScript || !!recipe.packages || !!recipe.stages?.runtime?.packages;
  if (!plan.family && installs) {
    error(recipe.base?.image ? ['base', 'image'] : ['base'], `cannot tell the distribution of '${plan.image ?? plan.bootstrap}' to pick package names; set base.distro (debian, ubuntu, el8, el9, el10, fedora, opensuse)`);
  }
  if (plan.family) {
    for (const family of ['apt', 'dnf', 'zypper'] as const) {
      if (family === plan.family) continue;
      if (recipe.packages?.[family]?.length) warn(['packages', family], `packages.${family} is ignored: the base is a ${plan.family} distribution`);
    }
  }

  // %test (rule 15).
  const tests: [string | undefined, PathSegment[]][] = [
    [recipe.test, ['test']],
    ...Object.entries(recipe.apps ?? {}).map(([n, a]): [string | undefined, PathSegment[]] => [a.test, ['apps', n, 'test']]),
  ];
  for (const [script, path] of tests) {
    if (script && MULTI_RANK.test(script)) {
      warn(path, '%test runs at the end of the build with no fabric, PMI or scheduler: keep it to single-process checks (e.g. mpirun -n 1, --version)');
    }
    if (script && /\b(nvidia-smi|rocm-smi)\b/.test(script)) {
      warn(path, '%test runs on the build host, which usually has no GPU: move GPU checks to the job script');
    }
  }
  return problems;
}
