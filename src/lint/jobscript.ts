// Checks a Slurm job script against the image it launches: the `srun --mpi=` plugin must match the
// PMI the image's MPI was built with, and the launcher must fit the image's MPI model.
//
//   const { findings } = await checkJobScript(jobText, defText, { jobFilename, defFilename });
//
// What the image provides comes from the generator's provenance labels
// (`org.apptainer-gen.mpi.{model,impl,version,pmi}`) when present, otherwise it is inferred from what
// the def file's `%post` installs (configure flags of an MPI source build, distro MPI packages).
// Findings are located in the job script; their ids are DEF707 and DEF708 (see docs/hpc-rules.md).
import type { ParsedFile, Range } from '../parse/model.js';
import { finalStage, parse } from '../parse/index.js';
import { LineIndex } from '../parse/text.js';
import type { Finding, Severity, ShellCommand, ShellScript, ShellWord } from './types.js';
import { parseShellScripts } from './shell/index.js';
import { bashParser } from './shell/treesitter.js';
import { walkTree, type ShellAssignment } from './shell/walk.js';
import {
  configureRuns,
  distroMpiPackage,
  hasOpaqueArgs,
  isNegativeValue,
  installsOsPackages,
  MPI_LABELS,
  packageInstalls,
  splitFlag,
  stageLabels,
  type MpiFamily,
} from './vocab/mpi.js';

// ---- Rule ids (in job-rules.ts, light enough for `rules` and `explain`) -----------------------

import { JOB_LAUNCHER_MODEL_MISMATCH, JOB_PMI_MISMATCH, JOB_RULES, type JobRuleMeta } from './job-rules.js';
export { JOB_LAUNCHER_MODEL_MISMATCH, JOB_PMI_MISMATCH, JOB_RULES, type JobRuleMeta };

// ---- What the image provides ---------------------------------------------------------------------

export type Pmi = 'pmix' | 'pmi2' | 'pmi1';
export type MpiModel = 'none' | 'hybrid' | 'bind' | 'pmi';

export interface ImageMpiProfile {
  model?: MpiModel;
  /** `openmpi`, `mpich`, `mvapich2`, `intelmpi` (label spelling), when known. */
  impl?: string;
  version?: string;
  /** PMI interfaces the image's MPI can use; empty when unknown. */
  pmi: Set<Pmi>;
  /** True when the image declares no PMI client at all (`org.apptainer-gen.mpi.pmi=none`). */
  noPmi: boolean;
  /** `labels` when the facts come from provenance labels, `inferred` when read from %post. */
  basis: 'labels' | 'inferred';
  /** Where the facts come from, for messages: `app.def:31, label org.apptainer-gen.mpi.pmi=pmi2`. */
  evidence: string;
  /**
   * An MPICH-family build configured with an external PMI library (Slurm's, PMIx): Hydra's mpirun
   * cannot start it. Set from the configure flags in %post, with where they are.
   */
  externalPmi?: string;
}

/** Configure flags that make MPICH / MVAPICH2 use an external PMI library instead of Hydra's built-in one. */
function externalPmiFlag(flag: string): boolean {
  const { name, value } = splitFlag(flag);
  if (isNegativeValue(value)) return false;
  const v = (value ?? '').toLowerCase();
  if (name === '--with-pmilib' || name === '--with-pm') return v === 'slurm' || v.startsWith('/');
  if (name === '--with-pmi') return v === 'slurm' || v === 'pmix' || v.startsWith('/');
  return name === '--with-pmix' || name === '--with-pmi2';
}

/** The first MPICH-family configure run that links an external PMI library, described for messages. */
function mpichExternalPmi(scripts: ShellScript[], defName: string): string | undefined {
  for (const run of configureRuns(scripts)) {
    if (run.family !== 'mpich' && run.family !== 'mvapich') continue;
    const flag = run.args.map((a) => a.text).find(externalPmiFlag);
    if (flag) return `${defName}:${run.configureRange.start.line}, ${run.family === 'mpich' ? 'MPICH' : 'MVAPICH'} configured with ${flag}`;
  }
  return undefined;
}

const MODELS = new Set<MpiModel>(['none', 'hybrid', 'bind', 'pmi']);

/** Reads the image's MPI facts from a parsed and shell-analysed def file. Undefined when it has none. */
export function imageMpiProfile(file: ParsedFile, scripts: ShellScript[], defName: string): ImageMpiProfile | undefined {
  const stage = finalStage(file);
  const labels = stage ? stageLabels(stage) : new Map();
  const where = (entry: { range: Range; key: string; value: string }) => `${defName}:${entry.range.start.line}, label ${entry.key}=${entry.value}`;
  const model = labels.get(MPI_LABELS.model);
  const pmiLabel = labels.get(MPI_LABELS.pmi);
  if (model || pmiLabel) {
    const profile: ImageMpiProfile = { pmi: new Set(), noPmi: false, basis: 'labels', evidence: where(pmiLabel ?? model!) };
    const modelValue = model?.value.trim().toLowerCase();
    if (modelValue && MODELS.has(modelValue as MpiModel)) profile.model = modelValue as MpiModel;
    profile.impl = labels.get(MPI_LABELS.impl)?.value.trim().toLowerCase() || undefined;
    profile.version = labels.get(MPI_LABELS.version)?.value.trim() || undefined;
    for (const part of (pmiLabel?.value ?? '').toLowerCase().split(/[\s,]+/)) {
      if (part === 'pmix' || part === 'pmi2' || part === 'pmi1') profile.pmi.add(part);
      else if (part === 'none') profile.noPmi = true;
    }
    if (!pmiLabel && model) profile.evidence = where(model);
    return profile;
  }
  return inferProfile(scripts, defName);
}

/** PMI support of an MPI built from source, from its configure flags. */
function pmiFromConfigure(family: MpiFamily, version: string | undefined, flags: string[]): Set<Pmi> | undefined {
  const found = new Set<Pmi>();
  let mentioned = false;
  for (const flag of flags) {
    const { name, value } = splitFlag(flag);
    if (isNegativeValue(value)) continue;
    if (name === '--with-pmix') {
      found.add('pmix');
      mentioned = true;
    }
    if (name === '--with-pmi' || name === '--with-pmilib') {
      mentioned = true;
      const v = (value ?? '').toLowerCase();
      if (v === 'pmix') found.add('pmix');
      else if (v === 'pmi2' || v === 'slurm' || v === '' || v.startsWith('/')) found.add('pmi2');
      else if (v === 'pmi1' || v === 'simple') found.add('pmi1');
    }
  }
  if (family === 'openmpi') {
    const major = version ? Number.parseInt(version, 10) : undefined;
    // Open MPI 5 speaks PMIx only; 2.x-4.x always carry a bundled PMIx client besides --with-pmi.
    if (major !== undefined && major >= 5) return new Set<Pmi>(['pmix']);
    found.add('pmix');
    return found;
  }
  return mentioned && found.size > 0 ? found : undefined;
}

function inferProfile(scripts: ShellScript[], defName: string): ImageMpiProfile | undefined {
  for (const run of configureRuns(scripts)) {
    if (!run.family || hasOpaqueArgs(run.args)) continue;
    const pmi = pmiFromConfigure(
      run.family,
      run.version,
      run.args.map((a) => a.text),
    );
    if (!pmi) continue;
    const label = { openmpi: 'Open MPI', mpich: 'MPICH', mvapich: 'MVAPICH' }[run.family];
    return {
      impl: run.family === 'mvapich' ? 'mvapich2' : run.family,
      version: run.version,
      pmi,
      noPmi: false,
      basis: 'inferred',
      evidence: `${defName}:${run.configureRange.start.line}, ${label}${run.version ? ` ${run.version}` : ''} configured for ${[...pmi].join('/')}`,
    };
  }
  for (const { install } of packageInstalls(scripts)) {
    if (!installsOsPackages(install.manager)) continue;
    for (const pkg of install.packages) {
      const mpi = distroMpiPackage(pkg.name);
      if (!mpi || mpi.family === 'mvapich') continue;
      // Distribution builds: Open MPI is linked against PMIx; MPICH is used with Slurm's PMI-2.
      const pmi = new Set<Pmi>([mpi.family === 'openmpi' ? 'pmix' : 'pmi2']);
      return {
        impl: mpi.family,
        pmi,
        noPmi: false,
        basis: 'inferred',
        evidence: `${defName}:${pkg.word.range.start.line}, distribution package ${pkg.name} (PMI ${[...pmi].join('/')} assumed)`,
      };
    }
  }
  return undefined;
}

// ---- Launch lines in the job script ----------------------------------------------------------------

export interface ContainerLaunch {
  launcher: 'srun' | 'mpirun';
  launcherCommand: ShellCommand;
  /** The `--mpi=X` (or `--mpi X`) value word of srun, when given. */
  mpiWord?: ShellWord;
  mpiValue?: string;
  /** `apptainer` / `singularity` word. */
  runtimeWord: ShellWord;
  image?: ShellWord;
  /** Options of `apptainer exec|run` (before the image). */
  runtimeOptions: ShellWord[];
}

const RUNTIMES = new Set(['apptainer', 'singularity']);
const RUNTIME_SUBCOMMANDS = new Set(['exec', 'run', 'test', 'shell', 'instance']);
/** `apptainer exec` options that take a value word. */
const RUNTIME_VALUED = new Set([
  '-B',
  '--bind',
  '--mount',
  '-H',
  '--home',
  '-W',
  '--workdir',
  '--env',
  '--env-file',
  '--pwd',
  '-o',
  '--overlay',
  '--security',
  '-S',
  '--scratch',
  '--network',
  '--network-args',
  '--dns',
  '--hostname',
  '--apply-cgroups',
  '--app',
  '--fusemount',
  '--drop-caps',
  '--add-caps',
  '--cwd',
  '--config',
  '-c',
  '--passphrase',
  '--pem-path',
  '--nvccli-path',
  '--sif-fuse',
  '--data',
  '--oci-conf',
]);

function baseName(text: string): string {
  return text.slice(text.lastIndexOf('/') + 1);
}

function isLauncher(base: string): 'srun' | 'mpirun' | undefined {
  if (base === 'srun') return 'srun';
  if (
    base === 'mpirun' ||
    base === 'mpiexec' ||
    base === 'mpiexec.hydra' ||
    base === 'orterun' ||
    base === 'prterun' ||
    /^(mpirun|mpiexec)\.[a-z0-9]+$/.test(base)
  )
    return 'mpirun';
  return undefined;
}

/** Finds `srun|mpirun ... apptainer exec|run [options] IMAGE ...` in a command. */
export function containerLaunch(cmd: ShellCommand): ContainerLaunch | undefined {
  const launcher = isLauncher(cmd.baseName);
  if (!launcher) return undefined;
  const args = cmd.args;
  const at = args.findIndex((a, i) => RUNTIMES.has(baseName(a.text)) && RUNTIME_SUBCOMMANDS.has(args[i + 1]?.text ?? ''));
  if (at === -1) return undefined;
  const launch: ContainerLaunch = { launcher, launcherCommand: cmd, runtimeWord: args[at], runtimeOptions: [] };
  if (launcher === 'srun') {
    for (let i = 0; i < at; i++) {
      const text = args[i].text;
      if (text.startsWith('--mpi=')) {
        launch.mpiWord = args[i];
        launch.mpiValue = text.slice('--mpi='.length);
      } else if (text === '--mpi' && i + 1 < at) {
        launch.mpiWord = args[i + 1];
        launch.mpiValue = args[i + 1].text;
        i++;
      }
    }
  }
  let i = at + 2;
  if (args[at + 1].text === 'instance') return undefined;
  for (; i < args.length; i++) {
    const text = args[i].text;
    if (!text.startsWith('-')) break;
    launch.runtimeOptions.push(args[i]);
    if (RUNTIME_VALUED.has(text) && i + 1 < args.length) launch.runtimeOptions.push(args[++i]);
  }
  launch.image = args[i];
  return launch;
}

interface ParsedJob {
  commands: ShellCommand[];
  assignments: ShellAssignment[];
}

async function parseJob(text: string): Promise<ParsedJob> {
  const parser = await bashParser();
  const lines = new LineIndex(text);
  const tree = parser.parse(text);
  if (!tree) return { commands: [], assignments: [] };
  try {
    const walked = walkTree(tree.rootNode, { text, placeholders: [], range: (start, end) => lines.range(start, end) });
    return { commands: walked.commands, assignments: walked.assignments };
  } finally {
    tree.delete();
  }
}

// ---- The check -----------------------------------------------------------------------------------

export interface JobCheckOptions {
  /** Shown in messages (default `job.sh`). */
  jobFilename?: string;
  /** Shown in messages (default `image.def`). */
  defFilename?: string;
}

export interface JobCheckResult {
  findings: Finding[];
  /** What the image provides, or undefined when the def file says nothing about MPI. */
  profile?: ImageMpiProfile;
  /** Every `srun|mpirun ... apptainer` launch found in the job script. */
  launches: ContainerLaunch[];
  /** Launches checked against the image (those naming it, or all when none does). */
  checked: ContainerLaunch[];
}

/** Normalised `srun --mpi` plugin: `pmix_v4` → `pmix`. */
export function srunPlugin(value: string): 'pmix' | 'pmi2' | 'none' | 'other' {
  const v = value.toLowerCase();
  if (v === 'pmix' || /^pmix_v\d+$/.test(v)) return 'pmix';
  if (v === 'pmi2') return 'pmi2';
  if (v === 'none') return 'none';
  return 'other';
}

function imageStem(path: string): string {
  return baseName(path).replace(/\.(sif|simg|img|def)$/i, '');
}

function openMpiMajor(profile: ImageMpiProfile): number | undefined {
  if (profile.impl !== 'openmpi' || !profile.version) return undefined;
  const major = Number.parseInt(profile.version, 10);
  return Number.isFinite(major) ? major : undefined;
}

function describePmi(profile: ImageMpiProfile): string {
  if (profile.noPmi) return 'no PMI client';
  return [...profile.pmi].join(' or ');
}

export async function checkJobScript(jobText: string, defText: string, opts: JobCheckOptions = {}): Promise<JobCheckResult> {
  const defName = opts.defFilename ?? 'image.def';
  const file = parse(defText, { filename: defName });
  const scripts = await parseShellScripts(file);
  const profile = imageMpiProfile(file, scripts, defName);
  // In the bind model the host's MPI runs, not the one the build stage compiled against.
  if (profile && profile.model !== 'bind') profile.externalPmi = mpichExternalPmi(scripts, defName);
  const job = await parseJob(jobText);

  const launches: ContainerLaunch[] = [];
  for (const cmd of job.commands) {
    const launch = containerLaunch(cmd);
    if (launch) launches.push(launch);
  }
  // Only launches of this image when the job names it; all launches when images are variables.
  const stem = imageStem(defName);
  const named = launches.filter((l) => l.image?.isStatic && imageStem(l.image.text) === stem);
  const checked = named.length > 0 ? named : launches;
  const result: JobCheckResult = { findings: [], profile, launches, checked };
  if (!profile) return result;

  const findings = result.findings;
  const add = (rule: JobRuleMeta, severity: Severity, message: string, range: Range) =>
    findings.push({ ruleId: rule.id, slug: rule.slug, severity, message, range });
  // Facts from labels are the image's own statement; inferred ones may be wrong, so they only warn.
  const mismatch: Severity = profile.basis === 'labels' ? 'error' : 'warning';
  const source = `image: ${profile.evidence}`;
  // Messages end with `(image: app.def:31, label ...)` so the reader can see why.

  for (const launch of checked) {
    const cmd = launch.launcherCommand;
    if (profile.model === 'bind' && !bindsSomething(launch, job.assignments, cmd.range.start.offset)) {
      add(
        JOB_LAUNCHER_MODEL_MISMATCH,
        mismatch,
        `The image uses the bind model (no MPI inside) but this launch binds nothing: add --bind "$MPI_DIR" (the host MPI prefix) or set APPTAINER_BINDPATH (${source}).`,
        launch.runtimeWord.range,
      );
    }
    if (launch.launcher === 'srun') {
      const value = launch.mpiValue ?? slurmMpiTypeBefore(job.assignments, cmd.range.start.offset);
      const range = launch.mpiWord?.range ?? cmd.nameRange;
      if (profile.model === 'none') continue;
      if (value === undefined) {
        if (profile.pmi.size > 0) {
          add(
            JOB_PMI_MISMATCH,
            'warning',
            `srun has no --mpi option, so the PMI plugin is the site's MpiDefault; the image needs ${describePmi(profile)}: add --mpi=${[...profile.pmi][0]} (${source}).`,
            range,
          );
        }
        continue;
      }
      const plugin = srunPlugin(value);
      const major = openMpiMajor(profile);
      if (major !== undefined && major >= 5 && plugin !== 'pmix' && plugin !== 'other') {
        add(
          JOB_PMI_MISMATCH,
          mismatch,
          `srun --mpi=${value} cannot start Open MPI ${profile.version}: Open MPI 5 supports PMIx only; use --mpi=pmix (${source}).`,
          range,
        );
        continue;
      }
      if (plugin === 'other') continue; // cray_shasta, site plugins: nothing we can judge
      if (plugin === 'none') {
        if (profile.noPmi && profile.model !== 'pmi') continue;
        if (profile.pmi.has('pmi1')) continue; // Slurm's PMI-1 library needs no plugin
        add(
          JOB_PMI_MISMATCH,
          mismatch,
          `srun --mpi=none starts the ranks without a PMI server, but the image's MPI needs ${describePmi(profile)}: every rank would start as rank 0 of 1 (${source}).`,
          range,
        );
        continue;
      }
      if (profile.noPmi) {
        add(
          JOB_PMI_MISMATCH,
          mismatch,
          `srun --mpi=${value} launches ranks of an image whose MPI has no PMI client: they cannot wire up; launch with the host mpirun or rebuild with ${value} support (${source}).`,
          range,
        );
        continue;
      }
      // Slurm's pmi2 plugin also serves PMI-1 clients.
      if (profile.pmi.size > 0 && !profile.pmi.has(plugin) && !(plugin === 'pmi2' && profile.pmi.has('pmi1'))) {
        add(
          JOB_PMI_MISMATCH,
          mismatch,
          `srun --mpi=${value} does not match the image's MPI, built for ${describePmi(profile)}; use --mpi=${[...profile.pmi][0]} (${source}).`,
          range,
        );
      }
    } else {
      const hostMpi = loadedMpiModuleBefore(job.commands, cmd.range.start.offset);
      const problem = hostMpi ? hostMpiProblem(profile, hostMpi) : undefined;
      if (problem && hostMpi)
        add(JOB_LAUNCHER_MODEL_MISMATCH, 'warning', `${problem} (host: module ${hostMpi.module}, line ${hostMpi.range.start.line}; ${source}).`, cmd.nameRange);
      if (profile.externalPmi) {
        // MPICH's own notes: Hydra serves only the built-in PMI client (pmodels/mpich#6662).
        add(
          JOB_LAUNCHER_MODEL_MISMATCH,
          'error',
          `'${cmd.baseName}' (Hydra) cannot start an MPICH built against an external PMI library: every rank would start as a singleton; launch with srun --mpi=${[...profile.pmi][0] ?? 'pmi2'} or rebuild without --with-pmilib/--with-pm=slurm (image: ${profile.externalPmi}).`,
          cmd.nameRange,
        );
      } else if (profile.model === 'pmi') {
        add(
          JOB_LAUNCHER_MODEL_MISMATCH,
          mismatch,
          `'${cmd.baseName}' on the host launches a pmi-model image, which is meant for srun --mpi=${[...profile.pmi][0] ?? 'pmix'}; a host mpirun only works if it is the same MPI as the image's (${source}).`,
          cmd.nameRange,
        );
      }
    }
  }
  findings.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return result;
}

// ---- Host MPI modules ------------------------------------------------------------------------------

export type MpiImplName = 'openmpi' | 'mpich' | 'mvapich2' | 'intelmpi';

interface LoadedMpi {
  module: string;
  impl: MpiImplName;
  version?: string;
  range: Range;
}

/** MPI implementation of an environment module name (`openmpi/4.1.6`, `cray-mpich/8.1.27`, `impi/2021.13`, `hpcx/2.18`). */
export function mpiOfModule(name: string): { impl: MpiImplName; version?: string } | undefined {
  const slash = name.indexOf('/');
  const family = (slash === -1 ? name : name.slice(0, slash)).toLowerCase();
  const version = slash === -1 ? undefined : /^v?(\d+(?:\.\d+)*)/.exec(name.slice(slash + 1))?.[1];
  let impl: MpiImplName | undefined;
  if (/^(openmpi|open-mpi|ompi|hpcx|hpc-x|hpcx-ompi)(\d*|[-_].*)$/.test(family)) impl = 'openmpi';
  else if (/^(mvapich2?|mvapich-plus)([-_].*)?$/.test(family)) impl = 'mvapich2';
  else if (/^(intel-?mpi|impi|intel-oneapi-mpi|oneapi-mpi)([-_].*)?$/.test(family)) impl = 'intelmpi';
  else if (/^(mpich2?|cray-mpich)([-_].*)?$/.test(family)) impl = 'mpich';
  if (!impl) return undefined;
  // hpcx and cray-mpich versions are not the MPI's own version.
  return { impl, version: /^(hpcx|hpc-x|cray-mpich)/.test(family) ? undefined : version };
}

/** The last MPI module loaded at top level before `offset` (`module load X`, `module add X`, `ml X`). */
function loadedMpiModuleBefore(commands: ShellCommand[], offset: number): LoadedMpi | undefined {
  let found: LoadedMpi | undefined;
  for (const cmd of commands) {
    if (cmd.range.start.offset >= offset) break;
    if (cmd.nested) continue;
    let names: ShellWord[] = [];
    if (cmd.baseName === 'module' && ['load', 'add', 'swap', 'switch'].includes(cmd.args[0]?.text ?? '')) names = cmd.args.slice(1);
    else if (cmd.baseName === 'ml' && !['purge', 'list', 'avail', 'spider', 'show', 'unload', 'save', 'restore'].includes(cmd.args[0]?.text ?? ''))
      names = cmd.args;
    for (const word of names) {
      if (!word.isStatic || word.text.startsWith('-')) continue;
      const mpi = mpiOfModule(word.text);
      if (mpi) found = { module: word.text, ...mpi, range: word.range };
    }
  }
  return found;
}

/** MPICH-ABI members: a bind-model image built against one can use any of them. */
const MPICH_ABI = new Set<MpiImplName>(['mpich', 'mvapich2', 'intelmpi']);

function hostMpiProblem(profile: ImageMpiProfile, host: LoadedMpi): string | undefined {
  const image = profile.impl as MpiImplName | undefined;
  if (!image || !['openmpi', 'mpich', 'mvapich2', 'intelmpi'].includes(image)) return undefined;
  const title: Record<MpiImplName, string> = { openmpi: 'Open MPI', mpich: 'MPICH', mvapich2: 'MVAPICH2', intelmpi: 'Intel MPI' };
  if (profile.model === 'bind') {
    const compatible = image === 'openmpi' ? host.impl === 'openmpi' : MPICH_ABI.has(host.impl);
    return compatible
      ? undefined
      : `The host MPI is ${title[host.impl]}, which is not ABI-compatible with the ${title[image]} the application was built against`;
  }
  if (profile.model !== 'hybrid') return undefined;
  if (host.impl !== image)
    return `The host mpirun is ${title[host.impl]} but the image's MPI is ${title[image]}: the hybrid model needs the same implementation on both sides`;
  const imageVersion = profile.version && /^\d/.test(profile.version) ? profile.version : undefined;
  if (imageVersion && host.version && majorMinor(imageVersion) !== majorMinor(host.version)) {
    return `The host mpirun is ${title[host.impl]} ${host.version} but the image has ${imageVersion}: the hybrid model needs matching versions`;
  }
  return undefined;
}

function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** `SLURM_MPI_TYPE` set at top level earlier in the script (srun reads it like --mpi). */
function slurmMpiTypeBefore(assignments: ShellAssignment[], offset: number): string | undefined {
  let value: string | undefined;
  for (const a of assignments) {
    if (a.name === 'SLURM_MPI_TYPE' && !a.nested && a.range.start.offset < offset && !/[$`]/.test(a.value)) value = a.value;
  }
  return value;
}

function bindsSomething(launch: ContainerLaunch, assignments: ShellAssignment[], offset: number): boolean {
  if (launch.runtimeOptions.some((w) => /^(-B|--bind|--mount)(=|$)/.test(w.text))) return true;
  if (launch.launcherCommand.assignments.some((a) => /^(APPTAINER|SINGULARITY)_(BINDPATH|BIND)$/.test(a.name))) return true;
  return assignments.some((a) => /^(APPTAINER|SINGULARITY)_(BINDPATH|BIND)$/.test(a.name) && a.range.start.offset < offset && a.value !== '');
}
