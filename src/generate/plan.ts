// Resolves a validated recipe into a Plan: every default applied, every derived choice made once,
// so the blocks and the emitters never re-derive (and never disagree about) a setting.
import {
  FAMILY_OF,
  distroFromImage,
  hpcxDefaultCuda,
  hpcxDefaultOfed,
  hpcxOsLabel,
  hpcxVersionSupported,
  releaseOf,
  type HpcxOfed,
  type Release,
} from '../facts/index.js';
import type { AppBuild, AppSource, Arch, BuildSystem, Distro, Family, MpiImpl, MpiModel, PmiInterface, Recipe, Transport } from './types.js';
import { parseMirror, type Mirror } from './sources.js';

export const DEFAULT_MPI_VERSION: Record<MpiImpl, string> = {
  openmpi: '4.1.6',
  mpich: '4.1.2',
  mvapich2: '2.3.7',
  intelmpi: '2021.13',
};

/** The HPC-X release used when `mpi.hpcx.version` is not given (hpccm's default before 2.24: 2.22.1). */
export const DEFAULT_HPCX_VERSION = '2.22.1';

export interface Plan {
  recipe: Recipe;
  name: string;
  /** The def file's name in build instructions (`%help`, job script): `-o FILE`, or NAME.def. */
  defFile: string;
  bootstrap: NonNullable<NonNullable<Recipe['base']>['bootstrap']>;
  image?: string;
  osVersion?: string;
  mirrorUrl?: string;
  distro?: Distro;
  family?: Family;
  /** The distribution release whose package names and compiler apply (facts table). */
  release?: Release;
  /** False when the image or osVersion did not name a release the facts know (the default was taken). */
  releaseKnown: boolean;
  arch: Arch;
  sourceDockerEnv: boolean;
  multistage: boolean;
  runtimeImage?: string;

  model: MpiModel;
  impl?: MpiImpl;
  mpiVersion: string;
  /** MPI major version number (NaN when templated or unknown). */
  mpiMajor: number;
  mpiSource: 'tarball' | 'distro' | 'oneapi' | 'hpcx';
  mpiPrefix: string;
  /** NVIDIA HPC-X (`mpi.source: hpcx`): the tarball's parts, defaults applied. */
  hpcx?: HpcxPlan;
  /** The `srun --mpi=` plugin (and label): how the image is launched. */
  pmi: PmiInterface;
  /**
   * The PMI the in-image MPI is built against. Differs from `pmi` in the bind model (the build-stage
   * MPI only compiles the application: no PMI) and for hybrid MPICH-family MPIs (Hydra's built-in PMI).
   */
  mpiPmi: PmiInterface;
  pmiProvider: 'distro' | 'source' | 'bundled';
  pmixVersion: string;
  slurmVersion: string;
  transports: Transport[];
  fabricSource: 'distro' | 'tarball';
  ucxVersion: string;
  libfabricVersion: string;
  device: 'ch4:ofi' | 'ch4:ucx' | 'ch3:nemesis';
  fortran: boolean;
  mpi1Compat: boolean;
  configure: string[];
  hostPrefix: string;
  extraBinds: string[];
  bindLibPaths: string[];
  usernsShm: 'proc_link' | 'sysv' | 'off';
  disableCma: boolean;
  pmixGds: 'hash' | '^ds12' | 'unset';

  gpu: 'none' | 'nvidia' | 'amd';
  cudaVersion?: string;
  cudaArchs: string[];
  rocmVersion?: string;
  rocmArchs: string[];
  awareMpi: boolean;
  gdrcopy: boolean;
  gdrcopyVersion: string;
  /** NVIDIA NCCL (from the nvidia/cuda image or NVIDIA's repository). */
  nccl: boolean;

  appPrefix: string;
  /** The raw build script (`system: script`). */
  appScript?: string;
  /** The application build, when the recipe builds one (a build system or a script). */
  app?: AppPlan;
  /** Where the Python stack lives (venv or conda environment), when the recipe has one. */
  pythonPrefix?: string;
  artifacts: string[];
  /** Where every tarball comes from instead of its URL: `--source-mirror`, else `sources.mirror`. */
  sourceMirror?: Mirror;
}

/** The HPC-X release the image unpacks (`mpi.version` is the HPC-X version). */
export interface HpcxPlan {
  version: string;
  ofed: HpcxOfed;
  cuda: string;
  /** NVIDIA's distribution label; undefined when neither the recipe nor the facts name one (an error). */
  osLabel?: string;
}

/** The application's source and build, defaults applied. */
export interface AppPlan {
  system: BuildSystem;
  source?: AppSource;
  options: string[];
  buildType: NonNullable<AppBuild['buildType']>;
  /** `CC`/`CXX`/`FC` are the MPI compiler wrappers. */
  mpiCompilers: boolean;
}

function resolveApp(recipe: Recipe, model: MpiModel): AppPlan | undefined {
  const build = recipe.app?.build;
  if (!build || (!build.system && build.script === undefined)) return undefined;
  return {
    system: build.system ?? 'script',
    source: recipe.app?.source,
    options: build.options ?? [],
    buildType: build.buildType ?? 'Release',
    mpiCompilers: (build.compilers ?? (model === 'none' ? 'system' : 'mpi')) === 'mpi' && model !== 'none',
  };
}

function pythonPrefix(recipe: Recipe, appPrefix: string): string | undefined {
  const py = recipe.python;
  if (py?.conda) return py.conda.prefix ?? `${appPrefix}/conda`;
  if (py?.pip) return py.pip.prefix ?? `${appPrefix}/venv`;
  return undefined;
}

/** CUDA version from an `nvidia/cuda:X.Y.Z-...` tag. */
export function cudaFromImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const m = /(?:^|\/)cuda:(\d+\.\d+(?:\.\d+)?)/.exec(image);
  return m?.[1];
}

/** ROCm version from a `rocm/...:X.Y[.Z]` tag. */
export function rocmFromImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const m = /(?:^|\/)rocm\/[^:]+:(\d+\.\d+(?:\.\d+)?)/.exec(image);
  return m?.[1];
}

export function majorOf(version: string): number {
  const m = /^(\d+)/.exec(version);
  return m ? Number(m[1]) : NaN;
}

function defaultRuntimeImage(image: string | undefined): string | undefined {
  if (!image) return undefined;
  // CUDA devel images carry compilers and headers; the runtime flavour has the libraries only.
  if (/(?:^|\/)cuda:/.test(image) && image.includes('-devel')) return image.replace('-devel', '-runtime');
  return image;
}

export function resolvePlan(recipe: Recipe, opts: { sourceMirror?: string } = {}): Plan {
  const base = recipe.base ?? {};
  const bootstrap = base.bootstrap ?? 'docker';
  const mpi = recipe.mpi ?? {};
  const gpu = recipe.gpu ?? {};
  const model = mpi.model ?? 'none';
  const impl = model === 'none' ? undefined : mpi.impl;

  let distro: Distro | undefined = base.distro && base.distro !== 'auto' ? base.distro : undefined;
  if (!distro) {
    if (bootstrap === 'debootstrap') distro = /ubuntu/i.test(base.mirrorUrl ?? '') ? 'ubuntu' : 'debian';
    else if (bootstrap === 'dnf' || bootstrap === 'yum') {
      if (/fedora/i.test(base.mirrorUrl ?? '')) distro = 'fedora';
      else distro = base.osVersion?.startsWith('8') ? 'el8' : base.osVersion?.startsWith('10') ? 'el10' : 'el9';
    } else if (bootstrap === 'zypper') distro = 'opensuse';
    else if (base.image) distro = distroFromImage(base.image);
  }

  const mpiSource = mpi.source ?? (impl === 'intelmpi' ? 'oneapi' : 'tarball');
  const hpcxVersion = mpiSource === 'hpcx' ? (mpi.hpcx?.version ?? DEFAULT_HPCX_VERSION) : undefined;
  const mpiVersion = hpcxVersion ?? mpi.version ?? (impl ? DEFAULT_MPI_VERSION[impl] : '');
  const transports: Transport[] = mpi.fabric?.transports ?? (model === 'none' ? [] : ['ucx']);
  const gpuVendor = gpu.vendor ?? 'none';
  const awareMpi = gpuVendor !== 'none' && (gpu.awareMpi ?? false);
  const fabricSource = mpi.fabric?.source ?? (awareMpi ? 'tarball' : 'distro');
  // pmi model: no default (a missing pmi.interface is an error). Hybrid: the host mpirun's own
  // PMI: PMIx for Open MPI, the built-in PMI that Hydra / mpirun_rsh serve for the MPICH family.
  const defaultPmi: PmiInterface = model === 'pmi' || model === 'hybrid' ? (impl === 'openmpi' ? 'pmix' : model === 'pmi' && impl ? 'pmi2' : 'none') : 'none';
  const pmi = mpi.pmi?.interface ?? defaultPmi;
  const hint = bootstrap === 'debootstrap' || bootstrap === 'dnf' || bootstrap === 'yum' ? base.osVersion : base.image;
  const choice = distro ? releaseOf(distro, hint) : undefined;
  const cudaVersion = gpu.cuda?.version ?? cudaFromImage(base.image);
  const appPrefix = recipe.app?.installPrefix ?? '/opt/app';
  const multistage = recipe.stages?.multistage ?? true;
  const app = resolveApp(recipe, model);
  const python = pythonPrefix(recipe, appPrefix);
  return {
    recipe,
    name: recipe.name,
    defFile: `${recipe.name}.def`,
    bootstrap,
    image: base.image,
    osVersion: base.osVersion,
    mirrorUrl: base.mirrorUrl,
    distro,
    family: distro ? FAMILY_OF[distro] : undefined,
    release: choice?.release,
    releaseKnown: choice?.known ?? false,
    arch: base.arch ?? 'x86_64',
    sourceDockerEnv: (base.sourceDockerEnv ?? true) && ['docker', 'oras', 'library', 'localimage'].includes(bootstrap),
    multistage,
    runtimeImage: recipe.stages?.runtime?.image ?? defaultRuntimeImage(base.image),

    model,
    impl,
    mpiVersion,
    // HPC-X 2.x bundles Open MPI 4.1.x (HPC-X docs, "Installing and Loading HPC-X").
    mpiMajor: hpcxVersion ? 4 : majorOf(mpiVersion),
    mpiSource,
    mpiPrefix: mpi.prefix ?? (hpcxVersion ? '/opt/hpcx' : impl === 'intelmpi' ? '/opt/intel/oneapi/mpi' : impl ? `/opt/${impl}` : '/opt/mpi'),
    hpcx: hpcxVersion
      ? {
          version: hpcxVersion,
          ofed: mpi.hpcx?.ofed ?? (hpcxVersionSupported(hpcxVersion) ? hpcxDefaultOfed(hpcxVersion) : 'doca'),
          cuda: mpi.hpcx?.cuda ?? hpcxDefaultCuda(hpcxVersion, cudaVersion),
          osLabel: mpi.hpcx?.osLabel ?? (choice?.known ? hpcxOsLabel(choice.release) : undefined),
        }
      : undefined,
    pmi,
    mpiPmi: model === 'bind' || pmi === 'cray_shasta' ? 'none' : pmi,
    pmiProvider: mpi.pmi?.provider ?? 'distro',
    pmixVersion: mpi.pmi?.pmixVersion ?? '4.2.9',
    slurmVersion: mpi.pmi?.slurmVersion ?? '23.11.10',
    transports,
    fabricSource,
    ucxVersion: mpi.fabric?.ucxVersion ?? '1.16.0',
    libfabricVersion: mpi.fabric?.libfabricVersion ?? '1.21.0',
    device: mpi.device ?? (transports.includes('ucx') ? 'ch4:ucx' : 'ch4:ofi'),
    fortran: mpi.fortran ?? true,
    mpi1Compat: mpi.mpi1Compat ?? false,
    configure: mpi.configure ?? [],
    hostPrefix: mpi.bind?.hostPrefix ?? '/opt/hostmpi',
    extraBinds: mpi.bind?.extraBinds ?? [],
    bindLibPaths: mpi.bind?.libPaths ?? [],
    usernsShm: mpi.compat?.usernsShmWorkaround ?? 'proc_link',
    disableCma: mpi.compat?.disableCma ?? true,
    pmixGds: mpi.compat?.pmixGds ?? 'hash',

    gpu: gpuVendor,
    cudaVersion,
    cudaArchs: gpu.cuda?.archs ?? [],
    rocmVersion: gpu.rocm?.version ?? rocmFromImage(base.image),
    rocmArchs: gpu.rocm?.archs ?? [],
    awareMpi,
    gdrcopy: gpuVendor === 'nvidia' && (gpu.gdrcopy ?? false),
    gdrcopyVersion: gpu.gdrcopyVersion ?? '2.4.4',
    nccl: gpuVendor === 'nvidia' && (gpu.nccl ?? false),

    appPrefix,
    appScript: app?.system === 'script' ? recipe.app?.build?.script : undefined,
    app,
    pythonPrefix: python,
    artifacts: recipe.app?.artifacts ?? (app ? [appPrefix] : []),
    sourceMirror: parseMirror(opts.sourceMirror ?? recipe.sources?.mirror),
  };
}

/** Display name of an MPI implementation. */
export const IMPL_TITLE: Record<MpiImpl, string> = {
  openmpi: 'Open MPI',
  mpich: 'MPICH',
  mvapich2: 'MVAPICH2',
  intelmpi: 'Intel MPI',
};

/** The MPI ABI family an implementation belongs to (for the bind model). */
export function abiOf(impl: MpiImpl): 'mpich' | 'openmpi' {
  return impl === 'openmpi' ? 'openmpi' : 'mpich';
}
