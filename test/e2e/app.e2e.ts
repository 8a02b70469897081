// Issue 17: an application built by a build system for real. fixtures/recipes/debian-cmake-hello.yaml
// copies a CMake MPI program from a local source directory into the build stage (%files), builds it
// with `cmake` against the image's Debian Open MPI (CC=mpicc), and the generated job script starts it
// under Slurm with srun --mpi=pmix and --cpus-per-task. One image: a few minutes of CI time.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDefinition, execImage, type BuildResult } from './harness/build.js';
import { clusterForSuite, clusterSkipReason } from './harness/cluster.js';
import { proofInputs, type ProofInputs } from './harness/recipes.js';
import { buildSkipReason } from './harness/rootfs.js';
import { rankLines, submitJob } from './harness/slurm-job.js';
import { OPEN_MPI_AS_ROOT, removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

const buildSkip = skipOrFail(await buildSkipReason());
const slurmSkip = buildSkip ?? skipOrFail(await clusterSkipReason());
const RECIPE = 'debian-cmake-hello';

let work = '';
let built: Promise<{ inputs: ProofInputs; build: BuildResult }> | undefined;

function image() {
  built ??= (async () => {
    const inputs = await proofInputs(RECIPE, path.join(work, 'generated'), { def: 'unused.def' }, true);
    const build = await buildDefinition(inputs.def, { workDir: path.join(work, RECIPE), contextDir: inputs.contextDir, testEnv: OPEN_MPI_AS_ROOT });
    if (!build.ok) throw new Error(`building ${inputs.def} failed at ${build.failedStep}: ${build.error}\n${build.log.split('\n').slice(-60).join('\n')}`);
    return { inputs, build };
  })();
  return built;
}

beforeAll(() => {
  if (buildSkip !== null) return;
  work = scratchDir('app');
  image().catch(() => undefined);
});
afterAll(async () => {
  if (work) await removeScratch(work);
});

describe.skipIf(buildSkip !== null)(`issue 17: a CMake application from a local source directory${buildSkip ? ` (skipped: ${buildSkip})` : ''}`, () => {
  test('the generated def builds the program with cmake against the image MPI; the runtime image has the binary, not the sources', async () => {
    const { inputs, build } = await image();
    const def = readFileSync(inputs.def, 'utf8');
    expect(def).toContain('src/hello-mpi-cmake /usr/local/src/apptainer-gen/app-source');
    expect(def).toMatch(/cmake -S \. -B build/);
    expect(build.stages.length).toBe(2);
    const [buildStage, runtime] = build.stages;
    // The build stage had cmake; its source copy and build tree were removed at the end of %post.
    expect(existsSync(path.join(buildStage.root, 'usr/bin/cmake'))).toBe(true);
    expect(existsSync(path.join(buildStage.root, 'usr/local/src/apptainer-gen'))).toBe(false);
    expect(existsSync(path.join(runtime.root, 'usr/bin/cmake'))).toBe(false);
    expect(existsSync(path.join(runtime.root, 'usr/local/src/apptainer-gen'))).toBe(false);
    const linked = await execImage(runtime.root, ['ldd', '/opt/app/bin/mpi-hello']);
    expect(linked.stdout).toMatch(/libmpi\.so\.40 => \S+/);
    expect(linked.stdout).not.toContain('not found');
    const single = await execImage(runtime.root, ['/opt/app/bin/mpi-hello'], OPEN_MPI_AS_ROOT);
    expect(rankLines(single.stdout), single.output).toEqual(['rank 0 of 1']);
  });
});

describe.skipIf(slurmSkip !== null)(`issue 17: the CMake application under Slurm${slurmSkip ? ` (skipped: ${slurmSkip})` : ''}`, () => {
  const slurm = clusterForSuite();

  test('the generated job script (srun --mpi=pmix --cpus-per-task) starts both ranks', async () => {
    const { inputs, build } = await image();
    const script = readFileSync(inputs.jobScript!, 'utf8');
    expect(script).toContain('srun --mpi=pmix --cpus-per-task="$SLURM_CPUS_PER_TASK" apptainer exec "$IMAGE" /opt/app/bin/mpi-hello');
    expect(script).toContain('export OMP_NUM_THREADS="${SLURM_CPUS_PER_TASK:-1}"');
    const job = await submitJob(slurm.cluster, inputs.jobScript!, { image: build.image, jobDir: path.join(work, 'job'), tasks: 2 });
    expect(job.code, job.output + job.sbatchOutput).toBe(0);
    expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
  });
});
