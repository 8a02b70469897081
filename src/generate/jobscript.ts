// The launch line (shared by %help and the job script) and the job script itself: a Slurm batch
// script, or a plain bash script started with mpirun for sites without Slurm. Rank placement:
//   --cpus-per-task is repeated on srun (from Slurm 22.05 srun no longer inherits it from sbatch:
//   https://slurm.schedmd.com/news.html, sbatch(1)); OMP_NUM_THREADS follows it;
//   --gpu-bind=closest / single:N bind GPUs under srun (srun(1)); the local-rank wrapper picks the
//   rank's GPU with CUDA_VISIBLE_DEVICES / ROCR_VISIBLE_DEVICES from the node-local rank the launcher
//   sets (SLURM_LOCALID, Open MPI's OMPI_COMM_WORLD_LOCAL_RANK, Hydra's MPI_LOCALRANKID);
//   Open MPI's mpirun gets `-x OMP_NUM_THREADS --map-by slot:PE=N` (mpirun(1), Open MPI 4.1 and 5).
import { VERSION } from '../version.js';
import { IMPL_TITLE, abiOf, type Plan } from './plan.js';
import { comment, dq, shQuote } from './shell.js';

type GpuBind = 'closest' | 'single' | 'none' | 'local-rank';

export function launcherOf(plan: Plan): 'srun' | 'mpirun' | 'none' {
  if (plan.model === 'none') return 'none';
  const explicit = plan.recipe.jobScript?.launcher;
  if (explicit) return explicit;
  if (plan.recipe.jobScript?.scheduler === 'none') return 'mpirun';
  if (plan.model === 'pmi') return 'srun';
  if (plan.model === 'bind' && plan.pmi !== 'none') return 'srun';
  return 'mpirun';
}

/** True when the job script runs under Slurm (the default), false for a plain mpirun script. */
export function underSlurm(plan: Plan): boolean {
  return (plan.recipe.jobScript?.scheduler ?? 'slurm') === 'slurm';
}

/** How ranks get their GPUs: the recipe's choice, else `closest` with gpusPerTask, `local-rank` with gpusPerNode. */
export function gpuBindOf(plan: Plan): GpuBind {
  const js = plan.recipe.jobScript ?? {};
  if (plan.gpu === 'none') return 'none';
  if (js.gpuBind) return js.gpuBind;
  if (js.gpusPerTask && launcherOf(plan) === 'srun') return 'closest';
  if (js.gpusPerNode || js.gpusPerTask) return 'local-rank';
  return 'none';
}

/** GPUs one node has for the local-rank wrapper. */
function gpusOnNode(plan: Plan): number {
  const js = plan.recipe.jobScript ?? {};
  return js.gpusPerNode ?? (js.gpusPerTask ?? 1) * (js.ntasksPerNode ?? 4);
}

/** The local-rank wrapper's code, kept in a variable: the node-local rank picks the rank's GPU. */
function localRankWrapper(plan: Plan): string {
  const variable = plan.gpu === 'amd' ? 'ROCR_VISIBLE_DEVICES' : 'CUDA_VISIBLE_DEVICES';
  const rank = '${OMPI_COMM_WORLD_LOCAL_RANK:-${MPI_LOCALRANKID:-${SLURM_LOCALID:-0}}}';
  return `select_gpu=${dq(`export ${variable}=$(( ${rank} % ${gpusOnNode(plan)} )); exec "$@"`)}`;
}

interface Placement {
  srun: string[];
  mpirun: string[];
  env: string[];
  notes: string[];
  wrapper: string;
}

function placement(plan: Plan, slurm: boolean): Placement {
  const js = plan.recipe.jobScript ?? {};
  const out: Placement = { srun: [], mpirun: [], env: [], notes: [], wrapper: '' };
  if (js.cpusPerTask) {
    out.env.push(`export OMP_NUM_THREADS="\${${slurm ? 'SLURM_CPUS_PER_TASK' : 'OMP_NUM_THREADS'}:-${js.cpusPerTask}}"`);
    out.srun.push('--cpus-per-task="$SLURM_CPUS_PER_TASK"');
    if (plan.impl === 'openmpi') out.mpirun.push('-x OMP_NUM_THREADS', `--map-by slot:PE=${js.cpusPerTask}`);
    else out.notes.push(`Each rank runs ${js.cpusPerTask} OpenMP threads; pin them with the launcher's binding options if it does not.`);
  }
  const bind = gpuBindOf(plan);
  if (bind === 'closest') out.srun.push(...(js.gpusPerTask ? [`--gpus-per-task=${js.gpusPerTask}`] : []), '--gpu-bind=closest');
  if (bind === 'single') {
    const perGpu = Math.max(1, Math.ceil((js.ntasksPerNode ?? 4) / (js.gpusPerNode ?? 1)));
    out.srun.push(`--gpu-bind=single:${perGpu}`);
  }
  if (bind === 'local-rank') {
    out.env.push(localRankWrapper(plan));
    out.wrapper = 'bash -c "$select_gpu" select-gpu ';
    out.notes.push(`Each rank sees one GPU, chosen by its node-local rank (${gpusOnNode(plan)} GPUs per node).`);
  }
  return out;
}

export interface Launch {
  env: string[];
  command: string;
  notes: string[];
}

/** Everything needed to start the application, shared by %help and the job script. */
export function launch(plan: Plan, image: string, forJobScript: boolean): Launch {
  const recipe = plan.recipe;
  const env: string[] = [];
  const notes: string[] = [];
  const flags: string[] = [];
  if (plan.gpu === 'nvidia') flags.push('--nv');
  if (plan.gpu === 'amd') flags.push('--rocm');
  if (plan.model === 'bind') {
    env.push(`export MPI_DIR="\${MPI_DIR:-${plan.hostPrefix}}"`);
    flags.push('--bind "$MPI_DIR"');
    if (forJobScript && plan.extraBinds.length > 0) {
      // These paths describe one host's MPI layout: a host whose MPI lives elsewhere (MPI_DIR set
      // by a module) does not have them, and Apptainer refuses a bind whose source is missing.
      // An array keeps them on the command line, so no environment has to reach other nodes.
      env.push(
        '# Extra host paths of the bound MPI (mpi.bind.extraBinds), bound where this host has them.',
        'extra_binds=()',
        `for path in ${plan.extraBinds.map(shQuote).join(' ')}; do`,
        '  if [ -e "${path%%:*}" ]; then',
        '    extra_binds+=(--bind "$path")',
        '  else',
        '    echo "note: ${path%%:*} is not on this host, not bound" >&2',
        '  fi',
        'done',
      );
      // `${a[@]+"${a[@]}"}`: an empty array under `set -u` on bash < 4.4 too.
      flags.push('${extra_binds[@]+"${extra_binds[@]}"}');
    } else {
      for (const b of plan.extraBinds) flags.push(`--bind ${b}`);
    }
    notes.push(
      `The host MPI (ABI: ${plan.impl ? abiOf(plan.impl) : 'mpich'}) is bound in from $MPI_DIR; sites that disable user binds need the hybrid or pmi model.`,
    );
  }
  for (const b of recipe.jobScript?.binds ?? []) flags.push(`--bind ${b}`);
  for (const [k, v] of Object.entries(recipe.jobScript?.extraEnv ?? {})) env.push(`export ${k}=${dq(v)}`);
  const slurm = underSlurm(plan);
  const place = placement(plan, slurm);
  env.push(...place.env);
  notes.push(...place.notes);
  const launcher = launcherOf(plan);
  const withFlags = `${flags.join(' ')}${flags.length ? ' ' : ''}`;
  const argv = recipe.jobScript?.command ?? (recipe.runscript && typeof recipe.runscript === 'object' ? recipe.runscript.exec : undefined);
  // pmi model without Slurm: the image's own mpirun starts the ranks inside one container (one node).
  if (!slurm && launcher === 'mpirun' && plan.model === 'pmi') {
    const program = argv ? argv.map(shQuote).join(' ') : `/.singularity.d/runscript${forJobScript ? ' "$@"' : ''}`;
    notes.push("No Slurm and a pmi-model image: the image's own mpirun runs every rank on this node.");
    const command = `apptainer exec ${withFlags}${image} mpirun -n "$NP" ${[...place.mpirun, ''].join(' ')}${place.wrapper}${program}`;
    return { env: [...npLines(plan, false), ...env], command, notes };
  }
  let program: string;
  if (argv) program = `exec ${withFlags}${image} ${argv.map(shQuote).join(' ')}`;
  else {
    // The runscript decides what runs; the job script passes its own arguments through.
    const args = forJobScript ? ' "$@"' : recipe.runscript === undefined ? ' PROGRAM [ARGS...]' : '';
    program = `run ${withFlags}${image}${args}`;
  }
  const apptainer = `${place.wrapper}apptainer ${program}`;
  let command: string;
  if (launcher === 'srun') {
    // Slurm has no pmi1 plugin: its pmi2 plugin also serves PMI-1 clients (Slurm mpi_guide).
    const plugin = plan.pmi === 'pmi1' ? 'pmi2' : plan.pmi;
    command = `srun --mpi=${plugin} ${[...place.srun, ''].join(' ')}${apptainer}`;
    notes.push(`Check once that Slurm offers this PMI plugin: srun --mpi=list (must list ${plugin}).`);
  } else if (launcher === 'mpirun') {
    const np = slurm ? '"$SLURM_NTASKS"' : '"$NP"';
    const hosts = slurm ? [] : ['${hostfile[@]+"${hostfile[@]}"}'];
    command = `mpirun -n ${np} ${[...hosts, ...place.mpirun, ''].join(' ')}${apptainer}`;
    if (!slurm) env.unshift(...npLines(plan, true));
    if (plan.model === 'hybrid' && plan.hpcx) {
      env.unshift(...hostHpcxLines(plan.hpcx.version, forJobScript));
      notes.push(`The host mpirun must be HPC-X ${plan.hpcx.version}'s (the image's release), loaded as NVIDIA documents it: hpcx-init.sh, then hpcx_load.`);
    } else if (plan.model === 'hybrid' && plan.impl) {
      const version = plan.mpiSource === 'distro' ? "the distribution's version" : plan.mpiVersion;
      notes.push(
        `The host mpirun must be ${IMPL_TITLE[plan.impl]} ${version} (e.g. module load ${plan.impl}/${plan.mpiSource === 'distro' ? 'VERSION' : plan.mpiVersion}), built with the same PMI flavour.`,
      );
    }
  } else {
    command = apptainer;
  }
  return { env, command, notes };
}

/**
 * The host's HPC-X, loaded the way NVIDIA's documentation does (`source $HPCX_HOME/hpcx-init.sh`,
 * `hpcx_load`). hpcx-init.sh reads variables that may be unset, so `set -u` is lifted around it.
 */
function hostHpcxLines(version: string, forJobScript: boolean): string[] {
  return [
    `: "\${HPCX_HOME:?set HPCX_HOME to the host's HPC-X ${version} directory}"`,
    'set +u',
    ...(forJobScript ? ['# shellcheck source=/dev/null'] : []),
    '. "$HPCX_HOME/hpcx-init.sh"',
    'hpcx_load',
    'set -u',
  ];
}

/** The rank count (and host file) of a script without Slurm. */
function npLines(plan: Plan, hostfile: boolean): string[] {
  const js = plan.recipe.jobScript ?? {};
  const lines = [`NP="\${NP:-${(js.nodes ?? 2) * (js.ntasksPerNode ?? 4)}}"`];
  if (hostfile) {
    // Open MPI's mpirun takes --hostfile, Hydra's (MPICH, MVAPICH2, Intel MPI) -f.
    const option = plan.impl === 'openmpi' ? '--hostfile' : '-f';
    lines.push('hostfile=()', `if [ -n "\${HOSTFILE:-}" ]; then hostfile=(${option} "$HOSTFILE"); fi`);
  }
  return lines;
}

function slurmHeader(plan: Plan): string[] {
  const js = plan.recipe.jobScript ?? {};
  const lines = [
    `#SBATCH --job-name=${plan.name}`,
    `#SBATCH --nodes=${js.nodes ?? 2}`,
    `#SBATCH --ntasks-per-node=${js.ntasksPerNode ?? 4}`,
    `#SBATCH --time=${js.time ?? '00:30:00'}`,
  ];
  if (js.partition) lines.push(`#SBATCH --partition=${js.partition}`);
  if (js.account) lines.push(`#SBATCH --account=${js.account}`);
  if (js.cpusPerTask) lines.push(`#SBATCH --cpus-per-task=${js.cpusPerTask}`);
  if (js.gpusPerNode) lines.push(`#SBATCH --gpus-per-node=${js.gpusPerNode}`);
  if (js.gpusPerTask) lines.push(`#SBATCH --gpus-per-task=${js.gpusPerTask}`);
  return lines;
}

export function emitJobScript(plan: Plan, source: string): string {
  const image = '"$IMAGE"';
  const slurm = underSlurm(plan);
  const lines = ['#!/bin/bash'];
  if (slurm) lines.push(...slurmHeader(plan), '#');
  lines.push(comment(`Generated by apptainer-gen ${VERSION} from ${source} (MPI model: ${plan.model}).`));
  if (!slurm) {
    lines.push(comment('For a site without Slurm: NP ranks (default nodes x tasks per node), on the hosts listed in HOSTFILE when it is set.'));
  }
  lines.push(
    comment(`Build the image first: apptainer build ${plan.name}.sif ${plan.defFile}`),
    'set -euo pipefail',
    '',
    comment(`Path to the image (override with IMAGE=/path/to/image.sif ${slurm ? 'sbatch' : 'bash'} ...).`),
    `IMAGE="\${IMAGE:-${plan.name}.sif}"`,
    '',
  );
  const run = launch(plan, image, true);
  for (const note of run.notes) lines.push(comment(note));
  for (const line of run.env) lines.push(line);
  lines.push(run.command);
  return lines.join('\n') + '\n';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
