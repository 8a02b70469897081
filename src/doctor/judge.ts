// Puts the checks together: one verdict per thing the image needs (its MPI model, its GPU, the
// job script when given), or, without an image, what each model would need on this host.
import { offersPlugin, valueOf, type HostFacts } from '../host/facts.js';
import { abiOfFamily, mpiName, newestCudaFor } from './facts.js';
import type { ImageFacts } from './image.js';
import {
  bindChecks,
  fabricCheck,
  hybridChecks,
  nvidiaCheck,
  pmiCheck,
  rocmCheck,
  verdictOf,
  worst,
  type Check,
  type JudgeOptions,
  type Status,
  type Verdict,
} from './verdict.js';

export interface DoctorResult {
  host: HostFacts;
  image?: ImageFacts;
  verdicts: Verdict[];
  /** `does-not-fit` if any verdict is; else `unknown` if any is; else `warning` or `fits`. */
  overall: Status;
}

export interface JobInput {
  text: string;
  file: string;
}

function imageVerdicts(image: ImageFacts, host: HostFacts, opts: JudgeOptions): Verdict[] {
  const verdicts: Verdict[] = [];
  const mpi = image.mpi;
  if (mpi) {
    const model = mpi.model ?? (image.basis === 'inferred' ? inferModel(image) : undefined);
    const fabric = fabricCheck(mpi, host);
    const extra = fabric ? [fabric] : [];
    if (model === 'pmi') verdicts.push(verdictOf('pmi model (srun starts the ranks)', [pmiCheck(image, host), ...extra]));
    else if (model === 'hybrid') verdicts.push(verdictOf('hybrid model (host mpirun starts the ranks)', [...hybridChecks(image, host), ...extra]));
    else if (model === 'bind') verdicts.push(verdictOf('bind model (host MPI bound in)', [...bindChecks(image, host, opts), ...extra]));
    else if (model === undefined) {
      verdicts.push(
        verdictOf('MPI', [
          {
            id: 'model',
            status: 'unknown',
            reason: `the image's MPI model is not recorded (${image.evidence}); srun needs ${mpi.pmi.join('/') || 'a PMI plugin'}, mpirun needs the same MPI on the host`,
          },
        ]),
      );
    }
  }
  if (image.gpu?.vendor === 'nvidia') verdicts.push(verdictOf('NVIDIA GPU (apptainer --nv)', [nvidiaCheck(image, host)]));
  if (image.gpu?.vendor === 'amd') verdicts.push(verdictOf('AMD GPU (apptainer --rocm)', [rocmCheck(image, host)]));
  if (verdicts.length === 0) {
    verdicts.push(
      verdictOf('image', [{ id: 'nothing-to-check', status: 'fits', reason: `the image needs no MPI launcher and no GPU driver (${image.evidence})` }]),
    );
  }
  return verdicts;
}

/** Images without a model label: an MPI built for PMI is meant for srun (the pmi model). */
function inferModel(image: ImageFacts): 'pmi' | undefined {
  return image.mpi && image.mpi.pmi.length > 0 ? 'pmi' : undefined;
}

/** Without an image: which model could work here, and what the image would need. */
export function hostVerdicts(host: HostFacts): Verdict[] {
  const srun = host.slurm.mpi;
  const pmiPlugins = srun.status === 'found' ? ['pmix', 'pmi2'].filter((p) => offersPlugin(srun.value, p)) : [];
  const pmi: Check =
    srun.status === 'unknown'
      ? { id: 'slurm-pmi', status: 'unknown', reason: `cannot list Slurm's MPI plugins: ${srun.reason}` }
      : pmiPlugins.length
        ? {
            id: 'slurm-pmi',
            status: 'fits',
            reason: `srun offers ${pmiPlugins.join(' and ')} (${srun.source}): generate with \`mpi.pmi.interface: ${pmiPlugins[0]}\``,
          }
        : {
            id: 'slurm-pmi',
            status: 'does-not-fit',
            reason: `srun offers no PMI plugin (${srun.value.plugins.join(', ')}): the pmi model cannot work here`,
            fix: 'use the hybrid or bind model, or ask the site for mpi/pmix',
          };
  const launcher = host.mpi.launcher;
  const hybrid: Check =
    launcher.status === 'unknown'
      ? { id: 'host-mpi', status: 'unknown', reason: `no host MPI found: ${launcher.reason}` }
      : {
          id: 'host-mpi',
          status: 'fits',
          reason: `host mpirun is ${mpiName(launcher.value.family, launcher.value.version)} (${launcher.source}): the image needs the same MPI${launcher.value.version ? ` (\`mpi.impl: ${launcher.value.family}\`, \`mpi.version: ${launcher.value.version}\`)` : ''}`,
        };
  const lib = host.mpi.library;
  const abi = lib.status === 'found' ? lib.value.abi : launcher.status === 'found' ? abiOfFamily(launcher.value.family) : undefined;
  const bind: Check =
    lib.status === 'unknown' || !abi
      ? { id: 'mpi-abi', status: 'unknown', reason: `no host MPI library found${lib.status === 'unknown' ? `: ${lib.reason}` : ''}` }
      : {
          id: 'mpi-abi',
          status: 'fits',
          reason: `host MPI library ${lib.value.soname} (${abi} ABI) at ${lib.value.path}: compile the image against ${abi === 'openmpi' ? 'Open MPI' : 'an MPICH-ABI MPI'}${valueOf(host.mpi.dir) ? `, MPI_DIR=${valueOf(host.mpi.dir)}` : ''}`,
        };
  const verdicts = [verdictOf('pmi model', [pmi]), verdictOf('hybrid model', [hybrid]), verdictOf('bind model', [bind])];
  const nvidia = host.gpu.nvidia;
  if (nvidia.status === 'found') {
    const newest = newestCudaFor(nvidia.value.version);
    verdicts.push(
      verdictOf('NVIDIA GPU', [
        {
          id: 'nvidia-driver',
          status: 'fits',
          reason: `driver ${nvidia.value.version}${nvidia.value.gpus.length ? ` (${nvidia.value.gpus.length} GPU: ${[...new Set(nvidia.value.gpus)].join(', ')})` : ''} runs images with CUDA up to ${newest ?? 'an unknown release'} (NVIDIA CUDA release notes)`,
        },
      ]),
    );
  }
  const rocm = host.gpu.rocm;
  if (rocm.status === 'found') {
    verdicts.push(
      verdictOf('AMD GPU', [
        {
          id: 'rocm',
          status: rocm.value.kfd ? 'fits' : 'warning',
          reason: `ROCm ${rocm.value.version ?? '(version unknown)'}${rocm.value.kfd ? ', /dev/kfd present' : ', but no /dev/kfd on this node'} (${rocm.source})`,
        },
      ]),
    );
  }
  return verdicts;
}

/** Job script: the check-job findings (launcher vs image) plus each `srun --mpi=X` against this Slurm. */
export async function jobVerdict(job: JobInput, image: ImageFacts | undefined, host: HostFacts): Promise<Verdict> {
  const { checkJobScript, srunPlugin } = await import('./lint-bridge.js');
  const defText = image?.defText ?? 'Bootstrap: scratch\n';
  const result = await checkJobScript(job.text, defText, { jobFilename: job.file, defFilename: image?.file ?? 'image.def' });
  const checks: Check[] = [];
  for (const f of result.findings) {
    if (f.severity !== 'error' && f.severity !== 'warning') continue;
    checks.push({
      id: f.ruleId,
      status: f.severity === 'error' ? 'does-not-fit' : 'warning',
      reason: `${job.file}:${f.range.start.line}:${f.range.start.column}: ${f.message}`,
    });
  }
  const srun = host.slurm.mpi;
  for (const launch of result.launches) {
    const where = `${job.file}:${launch.launcherCommand.range.start.line}`;
    if (launch.launcher === 'srun' && launch.mpiValue && !launch.mpiValue.includes('$')) {
      if (srun.status === 'unknown')
        checks.push({
          id: 'job-srun-plugin',
          status: 'unknown',
          reason: `${where}: srun --mpi=${launch.mpiValue}: cannot list Slurm's plugins (${srun.reason})`,
        });
      else if (!srun.value.plugins.includes(launch.mpiValue.toLowerCase())) {
        const kind = srunPlugin(launch.mpiValue);
        const instead =
          kind === 'other' && launch.mpiValue === 'pmi1' && srun.value.plugins.includes('pmi2')
            ? ' use --mpi=pmi2 (its server also speaks PMI-1)'
            : ` use one of ${srun.value.plugins.join(', ')}`;
        checks.push({
          id: 'job-srun-plugin',
          status: 'does-not-fit',
          reason: `${where}: srun --mpi=${launch.mpiValue}, but this Slurm has no such plugin (offers ${srun.value.plugins.join(', ')}; ${srun.source})`,
          fix: instead.trim(),
        });
      } else
        checks.push({ id: 'job-srun-plugin', status: 'fits', reason: `${where}: srun --mpi=${launch.mpiValue} is offered by this Slurm (${srun.source})` });
    } else if (launch.launcher === 'mpirun' && host.mpi.launcher.status === 'unknown') {
      checks.push({
        id: 'job-mpirun',
        status: 'unknown',
        reason: `${where}: the job uses the host's mpirun, but none was found (${host.mpi.launcher.reason})`,
      });
    }
  }
  if (result.launches.length === 0)
    checks.push({ id: 'job-launch', status: 'unknown', reason: `${job.file}: no 'srun|mpirun ... apptainer exec|run IMAGE' launch found; nothing to check` });
  return verdictOf(`job script ${job.file}`, checks);
}

export async function judge(host: HostFacts, image: ImageFacts | undefined, job: JobInput | undefined, opts: JudgeOptions = {}): Promise<DoctorResult> {
  const verdicts = image ? imageVerdicts(image, host, opts) : hostVerdicts(host);
  if (job) verdicts.push(await jobVerdict(job, image, host));
  // Without an image the per-model lines are advice; only an image (or a job) can "not fit".
  const judged = image || job ? verdicts.filter((v) => image || v.subject.startsWith('job script')) : [];
  return { host, image, verdicts, overall: judged.length ? worst(judged.map((v) => v.status)) : 'fits' };
}
