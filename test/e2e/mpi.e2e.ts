// Issue 4 (generated MPI recipes build and run) and issue 7 (the three MPI launch models
// on a real single-node Slurm). Images are built once per file and shared by the tests.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apptainer, buildDefinition, execImage, runImage, type BuildResult } from './harness/build.js';
import { clusterForSuite, clusterSkipReason } from './harness/cluster.js';
import { findLibMpi, hostMpiPrefix } from './harness/hostmpi.js';
import { REPO_ROOT, run, tail } from './harness/process.js';
import { CLI, proofInputs, recipeExists, type ProofInputs } from './harness/recipes.js';
import { buildSkipReason } from './harness/rootfs.js';
import { rankLines, submitJob } from './harness/slurm-job.js';
import { OPEN_MPI_AS_ROOT, removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

const buildSkip = skipOrFail(await buildSkipReason());
const slurmSkip = buildSkip ?? skipOrFail(await clusterSkipReason());

/**
 * The images of this file: the recipe in fixtures/recipes/ and the hand-written stand-in used
 * while that recipe does not exist. The generated Debian recipes are all two-stage (compilers
 * only in the build stage), so debian-openmpi-pmi doubles as the multi-stage proof.
 */
const IMAGES = {
  openmpiPmi: { recipe: 'debian-openmpi-pmi', def: 'mpi/openmpi.def', jobScript: 'jobs/openmpi-pmix.sh' },
  mpichPmi2: { recipe: 'debian-mpich-pmi2', def: 'mpi/mpich.def', jobScript: 'jobs/mpich-pmi2.sh' },
  openmpiHybrid: { recipe: 'debian-openmpi-hybrid', def: 'mpi/openmpi.def', jobScript: 'jobs/openmpi-hybrid.sh' },
  bind: { recipe: 'debian-bind', def: 'mpi/bind.def', jobScript: 'jobs/bind.sh' },
  multistage: { recipe: 'debian-openmpi-pmi', def: 'mpi/multistage.def', jobScript: undefined },
} as const;
type ImageName = keyof typeof IMAGES;

// Decided once, when the file loads, so test names and inputs always agree.
const GENERATED = new Set(
  Object.values(IMAGES)
    .map((i) => i.recipe)
    .filter((r) => recipeExists(r)),
);
const source = (name: ImageName) => (GENERATED.has(IMAGES[name].recipe) ? `generated from ${IMAGES[name].recipe}.yaml` : 'hand-written def');

let work = '';

// Two builds at a time: they mostly wait on the mirror and the disk, not the CPU.
let freeSlots = 2;
const waiting: (() => void)[] = [];
async function withBuildSlot<T>(task: () => Promise<T>): Promise<T> {
  if (freeSlots === 0) await new Promise<void>((resolve) => waiting.push(resolve));
  else freeSlots--;
  try {
    return await task();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else freeSlots++;
  }
}
const built = new Map<string, Promise<{ inputs: ProofInputs; build: BuildResult }>>();

/** Generates (or picks) and builds an image once; a failed build fails every test that needs it. */
function image(name: ImageName) {
  const spec = IMAGES[name];
  const generated = GENERATED.has(spec.recipe);
  const key = generated ? spec.recipe : spec.def;
  let pending = built.get(key);
  if (!pending) {
    pending = (async () => {
      const inputs = await proofInputs(spec.recipe, path.join(work, 'generated'), { def: spec.def, jobScript: spec.jobScript }, generated);
      const build = await withBuildSlot(() =>
        buildDefinition(inputs.def, {
          workDir: path.join(work, key.replace(/[^\w.-]/g, '_')),
          contextDir: inputs.contextDir,
          testEnv: OPEN_MPI_AS_ROOT,
        }),
      );
      if (!build.ok) throw new Error(`building ${inputs.def} failed at ${build.failedStep}: ${build.error}\n${tail(build.log, 60)}`);
      return { inputs, build };
    })();
    built.set(key, pending);
  }
  return pending;
}

beforeAll(() => {
  if (buildSkip !== null) return;
  work = scratchDir('mpi');
  // Start every build now; each test awaits its own image. Failures surface in the tests.
  for (const name of Object.keys(IMAGES) as ImageName[]) image(name).catch(() => undefined);
});
afterAll(async () => {
  if (work) await removeScratch(work);
});

describe.skipIf(buildSkip !== null)(`issue 4: MPI recipes build and run in the harness${buildSkip ? ` (skipped: ${buildSkip})` : ''}`, () => {
  // The image's own mpirun starts two copies of the runscript inside the root.
  const runscriptUnderMpirun = (image: string) => execImage(image, ['mpirun', '-n', '2', '/.singularity.d/runscript'], OPEN_MPI_AS_ROOT);

  test(`Open MPI: compiled in %post, the runscript under mpirun -n 2 prints both ranks (${source('openmpiPmi')})`, async () => {
    const { build } = await image('openmpiPmi');
    const linked = await execImage(build.image, ['sh', '-c', 'for f in /opt/app/bin/*; do ldd "$f"; done']);
    expect(linked.stdout).toMatch(/libmpi\.so\.40/);
    const result = await runscriptUnderMpirun(build.image);
    expect(result.code, result.output).toBe(0);
    expect(rankLines(result.stdout)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
  });

  test(`MPICH: compiled in %post, the runscript under mpirun -n 2 prints both ranks (${source('mpichPmi2')})`, async () => {
    const { build } = await image('mpichPmi2');
    const linked = await execImage(build.image, ['sh', '-c', 'for f in /opt/app/bin/*; do ldd "$f"; done']);
    expect(linked.stdout).toMatch(/libmpich\.so/);
    const result = await runscriptUnderMpirun(build.image);
    expect(result.code, result.output).toBe(0);
    expect(rankLines(result.stdout)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
  });

  test(`multi-stage: the runtime stage has no compiler and runs the binary from %files from build (${source('multistage')})`, async () => {
    const { build } = await image('multistage');
    expect(build.stages.length).toBe(2);
    const [buildStage, runtime] = build.stages;
    // The build stage really had a compiler; the runtime stage has none. (Debian's
    // openmpi-bin ships the mpicc wrapper, which is harmless without a compiler: checked.)
    const compilersIn = async (root: string) =>
      (await execImage(root, ['sh', '-c', 'for c in cc gcc c++ g++ gfortran; do command -v $c; done; true'])).stdout.trim();
    const compiles = async (root: string) =>
      (
        await execImage(root, [
          'sh',
          '-c',
          'printf "int main(void){return 0;}" > /tmp/e2e-cc-probe-$$.c && mpicc -o /tmp/e2e-cc-probe-$$ /tmp/e2e-cc-probe-$$.c; s=$?; rm -f /tmp/e2e-cc-probe-$$*; exit $s',
        ])
      ).code === 0;
    expect(await compilersIn(buildStage.root)).toMatch(/gcc/);
    expect(await compiles(buildStage.root)).toBe(true);
    expect(await compilersIn(runtime.root)).toBe('');
    expect(await compiles(runtime.root)).toBe(false);
    const result = await runscriptUnderMpirun(runtime.root);
    expect(result.code, result.output).toBe(0);
    expect(rankLines(result.stdout)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
    // `apptainer run` works too: one rank, a world of one.
    const single = await runImage(runtime.root, [], OPEN_MPI_AS_ROOT);
    expect(rankLines(single.stdout), single.output).toEqual(['rank 0 of 1']);
  });
});

describe.skipIf(slurmSkip !== null)(`issue 7: MPI launch models on a single-node Slurm${slurmSkip ? ` (skipped: ${slurmSkip})` : ''}`, () => {
  // Every Slurm test starts with slurm.need(ctx): skipped, with the reason, when the daemons are not up.
  const slurm = clusterForSuite();

  const jobDir = (name: string) => path.join(work, 'jobs', name);

  test(`PMI model, Open MPI: srun --mpi=pmix starts both ranks, no mpirun (${source('openmpiPmi')})`, async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('openmpiPmi');
    const script = readFileSync(inputs.jobScript!, 'utf8');
    expect(script).toMatch(/srun\s[^\n]*--mpi=pmix/);
    expect(script).not.toMatch(/^\s*mpirun\b/m);
    const job = await submitJob(slurm.cluster, inputs.jobScript!, { image: build.image, jobDir: jobDir('openmpi-pmix'), tasks: 2 });
    expect(job.code, job.output + job.sbatchOutput).toBe(0);
    expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
  });

  test(`PMI model, MPICH: srun --mpi=pmi2 starts both ranks (${source('mpichPmi2')})`, async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('mpichPmi2');
    const script = readFileSync(inputs.jobScript!, 'utf8');
    expect(script).toMatch(/srun\s[^\n]*--mpi=pmi2/);
    const job = await submitJob(slurm.cluster, inputs.jobScript!, { image: build.image, jobDir: jobDir('mpich-pmi2'), tasks: 2 });
    expect(job.code, job.output + job.sbatchOutput).toBe(0);
    expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
  });

  test('the PMI mismatch is real (MPICH under --mpi=pmix: two singletons) and check-job catches it', async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('mpichPmi2');
    const good = readFileSync(inputs.jobScript!, 'utf8');
    expect(good).not.toContain('--mpi=pmix');
    const badScript = path.join(jobDir('mpich-pmix'), 'job.sh');
    mkdirSync(path.dirname(badScript), { recursive: true });
    writeFileSync(badScript, good.replaceAll('--mpi=pmi2', '--mpi=pmix'), { mode: 0o755 });
    const job = await submitJob(slurm.cluster, badScript, { image: build.image, jobDir: jobDir('mpich-pmix'), tasks: 2 });
    // Each rank initialises alone: a world of one, twice.
    expect(rankLines(job.output), job.output).toEqual(['rank 0 of 1', 'rank 0 of 1']);

    // The job-script check reads the image's provenance labels and rejects the pairing.
    const checkJob = (script: string) => run([process.execPath, CLI, 'check-job', script, '--image', inputs.def], { cwd: REPO_ROOT });
    const flagged = await checkJob(badScript);
    expect(flagged.code, flagged.output).toBe(1);
    expect(flagged.output).toMatch(/--mpi=pmix/);
    expect(flagged.output).toMatch(/pmi2/);
    const clean = await checkJob(inputs.jobScript!);
    expect(clean.code, clean.output).toBe(0);
  });

  test(`hybrid model: the host's mpirun runs both ranks inside the image (${source('openmpiHybrid')})`, async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('openmpiHybrid');
    const script = readFileSync(inputs.jobScript!, 'utf8');
    expect(script).toMatch(/^\s*mpirun\b[^\n]*apptainer exec/m);
    const job = await submitJob(slurm.cluster, inputs.jobScript!, { image: build.image, jobDir: jobDir('hybrid'), tasks: 2, env: OPEN_MPI_AS_ROOT });
    expect(job.code, job.output + job.sbatchOutput).toBe(0);
    expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
    // The ranks ran the image's binary: the host has no /opt/app.
    expect(existsSync('/opt/app/bin/hello_mpi')).toBe(false);
  });

  test(`bind model: no MPI in the image, a host MPI prefix is bound in at run time (${source('bind')})`, async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('bind');
    expect(await findLibMpi(build.image)).toEqual([]);
    const hostMpi = await hostMpiPrefix(build.image);
    // What the site's MPI module would set: where the MPI lives, and Open MPI's relocation.
    const env = { ...OPEN_MPI_AS_ROOT, MPI_DIR: hostMpi.prefix, OPAL_PREFIX: hostMpi.opalPrefix };
    const job = await submitJob(slurm.cluster, inputs.jobScript!, { image: build.image, jobDir: jobDir('bind-prefix'), tasks: 2, env });
    expect(job.code, job.output + job.sbatchOutput).toBe(0);
    expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
    // The generated %environment made the binary resolve libmpi from the bound prefix.
    const resolved = await apptainer(['exec', '--bind', hostMpi.prefix, build.image, 'sh', '-c', 'ldd /opt/app/bin/*'], env);
    expect(resolved.stdout).toContain(`libmpi.so.40 => ${hostMpi.prefix}/lib/libmpi.so.40`);
    // Nothing was left behind in the image.
    expect(await findLibMpi(build.image)).toEqual([]);
  });

  test(`bind model with the job script's default MPI_DIR: the host's own Debian Open MPI (${source('bind')})`, async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('bind');
    const job = await submitJob(slurm.cluster, inputs.jobScript!, { image: build.image, jobDir: jobDir('bind-default'), tasks: 2, env: OPEN_MPI_AS_ROOT });
    expect(job.code, job.output + job.sbatchOutput).toBe(0);
    expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
    expect(await findLibMpi(build.image)).toEqual([]);
  });
});
