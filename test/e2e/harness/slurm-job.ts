// Submitting a job script to the fixture's Slurm, with its images resolved to harness roots.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Cluster } from './cluster.js';
import { E2E_BIN, run } from './process.js';

export interface JobResult {
  /** sbatch's exit code (with --wait: the job's). */
  code: number;
  /** The job's stdout and stderr (one file). */
  output: string;
  sbatchOutput: string;
}

/** `*.sif` paths a job script names, e.g. `app.sif` or `/shared/img/app.sif`. */
export function sifPathsIn(script: string): string[] {
  const found = new Set<string>();
  for (const match of script.matchAll(/(?<![\w$])([\w./-]*[\w-]\.sif)\b/g)) found.add(match[1]);
  return [...found];
}

/**
 * Runs `sbatch --wait` on a job script. Every `*.sif` the script names (relative to the job
 * folder) becomes a pointer file to `image`, so the runtime stand-in runs the harness root.
 * Options on the command line override the script's #SBATCH lines: one node, `tasks` tasks,
 * the fixture's partition.
 */
export async function submitJob(
  cluster: Cluster,
  jobScript: string,
  opts: {
    image: string;
    jobDir: string;
    tasks: number;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** Folder put first on the job's PATH, as `module load` would (e.g. an `mpirun` of the MPI wanted). */
    pathPrefix?: string;
  },
): Promise<JobResult> {
  mkdirSync(opts.jobDir, { recursive: true });
  const script = readFileSync(jobScript, 'utf8');
  const sifs = sifPathsIn(script);
  if (sifs.length === 0) throw new Error(`${jobScript} names no .sif image`);
  for (const sif of sifs) {
    const pointer = path.resolve(opts.jobDir, sif);
    if (existsSync(pointer) && !readFileSync(pointer, 'utf8').startsWith('apptainer-e2e-sandbox ')) {
      throw new Error(`refusing to overwrite ${pointer}, which is not an e2e pointer file`);
    }
    mkdirSync(path.dirname(pointer), { recursive: true });
    writeFileSync(pointer, `apptainer-e2e-sandbox ${opts.image}\n`);
  }
  const outFile = path.join(opts.jobDir, 'job.out');
  writeFileSync(outFile, '');
  const sbatch = await run(
    [
      'sbatch',
      '--wait',
      '--nodes=1',
      `--ntasks=${opts.tasks}`,
      `--ntasks-per-node=${opts.tasks}`,
      '--partition=e2e',
      `--chdir=${opts.jobDir}`,
      `--output=${outFile}`,
      '--time=10',
      jobScript,
    ],
    {
      env: { ...cluster.env, ...opts.env, PATH: [opts.pathPrefix, E2E_BIN, process.env.PATH].filter(Boolean).join(':') },
      cwd: opts.jobDir,
      timeoutMs: opts.timeoutMs ?? 5 * 60_000,
    },
  );
  return { code: sbatch.code, output: readFileSync(outFile, 'utf8'), sbatchOutput: sbatch.output };
}

/** Lines like `rank 1 of 2` in a job's output. */
export function rankLines(output: string): string[] {
  return [...output.matchAll(/rank (\d+) of (\d+)/g)].map((m) => `rank ${m[1]} of ${m[2]}`).sort();
}
