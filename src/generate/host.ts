// A recipe's `host: host.yaml` field: the host-facing MPI fields come from a probe recorded with
// `apptainer-gen doctor --write-host`, so the generated image matches the cluster it was probed on.
// Fields the recipe sets itself win; a recipe value the probed host cannot serve is an error.
//   pmi model (and bind with a PMI): mpi.pmi.interface from `srun --mpi=list`
//   hybrid: mpi.impl and mpi.version from the host's mpirun
//   bind:   mpi.impl (by ABI) and mpi.bind.hostPrefix from the host MPI
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { offersPlugin, valueOf, type HostFacts } from '../host/facts.js';
import { parseHostFile } from '../host/file.js';
import type { MpiImpl, PmiInterface, Problem, Recipe } from './types.js';

/** Makes a problem located at a recipe path (load.ts passes its `problemAt`). */
export type ProblemAt = (path: (string | number)[], message: string, severity?: Problem['severity']) => Problem;

const NAMES: Record<string, string> = { openmpi: 'Open MPI', mpich: 'MPICH', mvapich2: 'MVAPICH2', intelmpi: 'Intel MPI', 'cray-mpich': 'Cray MPICH' };

/** Reads the host file named by `recipe.host` (relative to the recipe) and fills the recipe. */
export function applyHostFile(recipeFile: string, recipe: Recipe, problemAt: ProblemAt): Problem[] {
  const name = recipe.host!;
  const base = recipeFile === '<stdin>' || recipeFile === '-' ? process.cwd() : dirname(resolve(recipeFile));
  const path = isAbsolute(name) ? name : resolve(base, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return [
      problemAt(
        ['host'],
        `host: cannot read ${name}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message} (write it with 'apptainer-gen doctor --write-host ${name}')`,
      ),
    ];
  }
  const parsed = parseHostFile(text, name);
  if (!parsed.ok) return parsed.problems.map((p) => problemAt(['host'], `host: ${p.file}:${p.line}:${p.column}: ${p.message}`));
  return fillFromHost(recipe, parsed.host, name, problemAt);
}

function pmiFor(impl: MpiImpl | undefined, version: string | undefined, offered: (p: string) => boolean): PmiInterface | undefined {
  const openMpi5 = impl === 'openmpi' && version !== undefined && Number.parseInt(version, 10) >= 5;
  const order: PmiInterface[] =
    impl === 'openmpi' ? (openMpi5 ? ['pmix'] : ['pmix', 'pmi2']) : impl === 'mpich' || impl === undefined ? ['pmi2', 'pmix'] : ['pmi2'];
  return order.find((p) => offered(p));
}

export function fillFromHost(recipe: Recipe, host: HostFacts, file: string, problemAt: ProblemAt): Problem[] {
  const problems: Problem[] = [];
  const mpi = recipe.mpi;
  const model = mpi?.model ?? 'none';
  if (!mpi || model === 'none') return problems;
  const srun = valueOf(host.slurm.mpi);
  const hostMpi = valueOf(host.mpi.launcher);
  const offered = (p: string) => (srun ? offersPlugin(srun, p === 'pmi1' ? 'pmi2' : p) : false);
  const usesSrun = model === 'pmi' || (model === 'bind' && mpi.pmi?.interface !== undefined && mpi.pmi.interface !== 'none');

  if (model === 'hybrid' || model === 'bind') {
    if (!hostMpi) {
      problems.push(problemAt(['host'], `host: ${file} records no host MPI, so the ${model} model cannot take its MPI from it`, 'warning'));
    } else {
      const abiImpl: MpiImpl = hostMpi.family === 'openmpi' ? 'openmpi' : hostMpi.family === 'cray-mpich' ? 'mpich' : hostMpi.family;
      const wanted: MpiImpl = model === 'hybrid' ? abiImpl : hostMpi.family === 'openmpi' ? 'openmpi' : 'mpich';
      const abiOf = (impl: string) => (impl === 'openmpi' ? 'openmpi' : 'mpich');
      const hostName = `${NAMES[hostMpi.family]}${hostMpi.version ? ` ${hostMpi.version}` : ''}`;
      if (mpi.impl === undefined) mpi.impl = wanted;
      else if (model === 'hybrid' ? mpi.impl !== wanted : abiOf(mpi.impl) !== abiOf(wanted)) {
        problems.push(
          problemAt(
            ['mpi', 'impl'],
            `mpi.impl '${mpi.impl}' does not match the host MPI in ${file} (${hostName}): the ${model} model needs ${model === 'hybrid' ? 'the same MPI' : 'the same ABI'}`,
          ),
        );
      }
      if (model === 'hybrid' && hostMpi.version && mpi.source !== 'distro' && mpi.source !== 'hpcx' && mpi.impl === wanted) {
        if (mpi.version === undefined) mpi.version = hostMpi.version;
        else if (mpi.version.split('.').slice(0, 2).join('.') !== hostMpi.version.split('.').slice(0, 2).join('.')) {
          problems.push(
            problemAt(
              ['mpi', 'version'],
              `mpi.version ${mpi.version} differs from the host's ${hostName} (${file}); identical versions are the safe choice for the hybrid model`,
              'warning',
            ),
          );
        }
      }
      const dir = valueOf(host.mpi.dir);
      if (model === 'bind' && dir) {
        mpi.bind ??= {};
        mpi.bind.hostPrefix ??= dir;
      }
    }
  }

  if (usesSrun) {
    if (!srun) {
      problems.push(
        problemAt(
          ['host'],
          `host: ${file} does not record srun's MPI plugins (${host.slurm.mpi.status === 'unknown' ? host.slurm.mpi.reason : ''}); mpi.pmi.interface is not checked`,
          'warning',
        ),
      );
    } else if (mpi.pmi?.interface === undefined) {
      const choice = pmiFor(mpi.impl, mpi.version, offered);
      if (choice) {
        mpi.pmi ??= {};
        mpi.pmi.interface = choice;
      } else {
        problems.push(
          problemAt(
            ['host'],
            `host: the Slurm in ${file} offers ${srun.plugins.join(', ')}, and none of them serves ${mpi.impl ? NAMES[mpi.impl] : 'this MPI'}${mpi.version ? ` ${mpi.version}` : ''} (pmi2 or pmix needed)`,
          ),
        );
      }
    } else if (mpi.pmi.interface !== 'none' && !offered(mpi.pmi.interface)) {
      problems.push(
        problemAt(
          ['mpi', 'pmi', 'interface'],
          `mpi.pmi.interface ${mpi.pmi.interface} is not among the Slurm plugins in ${file} (${srun.plugins.join(', ')}): srun --mpi=${mpi.pmi.interface} would fail or start every rank alone`,
        ),
      );
    }
  }
  return problems;
}
