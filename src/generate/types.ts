// Types of a recipe (mirrors schemas/recipe.schema.json) and of the generator's results.

import type { Arch, Distro, Family, HpcxOfed, PackageAlias } from '../facts/index.js';

export type { Arch, Distro, Family, PackageAlias };
export type MpiModel = 'none' | 'hybrid' | 'bind' | 'pmi';
export type MpiImpl = 'openmpi' | 'mpich' | 'mvapich2' | 'intelmpi';
/** The `srun --mpi=` plugin the image is launched with (`cray_shasta`: HPE Cray EX, bind model only). */
export type PmiInterface = 'pmix' | 'pmi2' | 'pmi1' | 'cray_shasta' | 'none';
export type Transport = 'ucx' | 'ofi' | 'verbs' | 'psm2' | 'tcp';
/** Extra package repositories of a stage (`packages.repos`, `stages.runtime.packages.repos`). */
export interface RepoSelection {
  epel?: boolean;
  crb?: boolean;
  components?: ('universe' | 'multiverse' | 'restricted' | 'contrib' | 'non-free' | 'non-free-firmware')[];
  custom?: { name: string; url: string; key: string; suite?: string; components?: string[] }[];
}

export interface PackageSelection {
  repos?: RepoSelection;
  aliases?: PackageAlias[];
  apt?: string[];
  dnf?: string[];
  zypper?: string[];
}

export interface RunscriptExec {
  exec: string[];
  passArgs?: boolean;
}

export interface AppSpec {
  run?: string;
  install?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  help?: string;
  test?: string;
}

export interface Recipe {
  apiVersion: 'apptainer-gen/v1';
  name: string;
  description?: string;
  target?: { runtime?: 'apptainer' | 'singularityce'; minVersion?: string };
  /** host.yaml from `apptainer-gen doctor --write-host` (see src/generate/host.ts). */
  host?: string;
  arguments?: Record<string, string>;
  base?: {
    bootstrap?: 'docker' | 'oras' | 'localimage' | 'library' | 'debootstrap' | 'dnf' | 'yum' | 'zypper';
    image?: string;
    osVersion?: string;
    mirrorUrl?: string;
    include?: string[];
    fingerprints?: string[];
    distro?: 'auto' | Distro;
    arch?: Arch;
    sourceDockerEnv?: boolean;
  };
  packages?: PackageSelection;
  mpi?: {
    model?: MpiModel;
    impl?: MpiImpl;
    version?: string;
    source?: 'tarball' | 'distro' | 'oneapi' | 'hpcx';
    /** NVIDIA HPC-X (`source: hpcx`): which release tarball. */
    hpcx?: HpcxSpec;
    prefix?: string;
    device?: 'ch4:ofi' | 'ch4:ucx' | 'ch3:nemesis';
    fortran?: boolean;
    mpi1Compat?: boolean;
    configure?: string[];
    pmi?: {
      interface?: PmiInterface;
      provider?: 'distro' | 'source' | 'bundled';
      pmixVersion?: string;
      slurmVersion?: string;
    };
    fabric?: {
      transports?: Transport[];
      source?: 'distro' | 'tarball';
      ucxVersion?: string;
      libfabricVersion?: string;
    };
    bind?: { hostPrefix?: string; extraBinds?: string[]; libPaths?: string[] };
    compat?: {
      usernsShmWorkaround?: 'proc_link' | 'sysv' | 'off';
      disableCma?: boolean;
      pmixGds?: 'hash' | '^ds12' | 'unset';
    };
  };
  gpu?: {
    vendor?: 'none' | 'nvidia' | 'amd';
    cuda?: { version?: string; archs?: string[] };
    rocm?: { version?: string; archs?: string[] };
    awareMpi?: boolean;
    gdrcopy?: boolean;
    nccl?: boolean;
    gdrcopyVersion?: string;
  };
  app?: {
    source?: AppSource;
    build?: AppBuild;
    installPrefix?: string;
    artifacts?: string[];
  };
  python?: PythonStack;
  sources?: SourcesSpec;
  env?: Record<string, string>;
  files?: { src: string; dst: string; stage?: 'build' | 'final' }[];
  labels?: Record<string, string>;
  help?: string;
  runscript?: string | RunscriptExec;
  startscript?: string;
  test?: string;
  apps?: Record<string, AppSpec>;
  stages?: {
    multistage?: boolean;
    runtime?: { image?: string; packages?: PackageSelection };
  };
  jobScript?: {
    path?: string;
    nodes?: number;
    ntasksPerNode?: number;
    gpusPerNode?: number;
    gpusPerTask?: number;
    cpusPerTask?: number;
    gpuBind?: 'closest' | 'single' | 'none' | 'local-rank';
    time?: string;
    partition?: string;
    account?: string;
    launcher?: 'srun' | 'mpirun';
    scheduler?: 'slurm' | 'none';
    binds?: string[];
    extraEnv?: Record<string, string>;
    command?: string[];
  };
}

/** `mpi.hpcx`: the NVIDIA HPC-X release tarball (see src/facts/hpcx.ts for the naming). */
export interface HpcxSpec {
  version?: string;
  ofed?: HpcxOfed;
  cuda?: string;
  osLabel?: string;
}

export type { HpcxOfed };

export type BuildSystem = 'cmake' | 'autotools' | 'make' | 'meson' | 'script';

export interface AppSource {
  git?: { url: string; ref?: string; submodules?: boolean };
  path?: string;
  url?: string;
  sha256?: string;
  subdir?: string;
}

export interface AppBuild {
  system?: BuildSystem;
  options?: string[];
  buildType?: 'Release' | 'Debug' | 'RelWithDebInfo' | 'MinSizeRel';
  compilers?: 'mpi' | 'system';
  script?: string;
}

export interface PythonStack {
  pip?: { prefix?: string; requirements?: string[]; mpi4py?: string };
  conda?: {
    prefix?: string;
    channels?: string[];
    packages: string[];
    pip?: string[];
    mpi4py?: string;
    micromamba?: { version?: string; sha256?: string };
  };
}

/** The components whose release tarball a recipe can download (keys of `sources:`). */
export type SourceComponent = 'openmpi' | 'mpich' | 'mvapich2' | 'pmix' | 'ucx' | 'libfabric' | 'gdrcopy' | 'slurm' | 'hpcx';

/** Per-component override of where a tarball comes from and what it must hash to. */
export interface SourceEntry {
  url?: string;
  sha256?: string;
  /** The tarball is a source snapshot without `configure`: run the component's autogen script first. */
  autogen?: boolean;
  /** Shell lines run in the unpacked tree before autogen/configure (patches, renames). */
  prepare?: string;
}

/** `sources:`: a mirror (URL or host directory) for every tarball, and per-component entries. */
export type SourcesSpec = { mirror?: string } & Partial<Record<SourceComponent, SourceEntry>>;

/** A problem in a recipe, located in the YAML source. */
export interface Problem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  severity: 'error' | 'warning';
  /** Id of the recipe rule that found it (`GEN101`), see src/generate/rules/. */
  ruleId?: string;
  /** JSON pointer-ish path of the offending value, e.g. `/mpi/pmi/interface` ('' for the document). */
  path: string;
}

export interface GenerateOptions {
  /** Shown in problems; also used for the recipe name in comments. Default `recipe.yaml`. */
  filename?: string;
  /** Produce a job script even when the recipe has no `jobScript:` section. */
  jobScript?: boolean;
  /** Where the def will be written (`-o FILE`): its name is used in the build instructions. */
  defFile?: string;
  /** `--source-mirror URL|DIR`: replaces the recipe's `sources.mirror`. */
  sourceMirror?: string;
}

export type GenerateResult =
  { ok: true; def: string; jobScript?: string; jobScriptPath?: string; warnings: Problem[] } | { ok: false; errors: Problem[]; warnings: Problem[] };
