// Issue 18: `apptainer-gen doctor` on the real single-node Slurm. For every generated MPI model
// the job is launched for real and the doctor, run with the job's environment, must say it fits;
// for the PMI mismatch (MPICH image, srun --mpi=pmix) the launch really yields singletons and the
// doctor must say it does not fit, for that reason. `--write-host` records this cluster, and a
// recipe taking `host:` from it generates the same def as the hand-set recipe.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildDefinition, type BuildResult } from './harness/build.js';
import { clusterForSuite, clusterSkipReason } from './harness/cluster.js';
import { hostMpiPrefix } from './harness/hostmpi.js';
import { E2E_BIN, REPO_ROOT, run, tail } from './harness/process.js';
import { CLI, proofInputs, recipePath, type ProofInputs } from './harness/recipes.js';
import { buildSkipReason } from './harness/rootfs.js';
import { rankLines, submitJob } from './harness/slurm-job.js';
import { OPEN_MPI_AS_ROOT, removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

const buildSkip = skipOrFail(await buildSkipReason());
const slurmSkip = buildSkip ?? skipOrFail(await clusterSkipReason());

const RECIPES = ['debian-openmpi-pmi', 'debian-mpich-pmi2', 'debian-openmpi-hybrid', 'debian-bind'] as const;
type RecipeName = (typeof RECIPES)[number];

let work = '';
const built = new Map<RecipeName, Promise<{ inputs: ProofInputs; build: BuildResult }>>();

function image(recipe: RecipeName) {
  let pending = built.get(recipe);
  if (!pending) {
    pending = (async () => {
      const inputs = await proofInputs(recipe, path.join(work, 'generated'), { def: '' }, true);
      const build = await buildDefinition(inputs.def, { workDir: path.join(work, recipe), contextDir: inputs.contextDir, testEnv: OPEN_MPI_AS_ROOT });
      if (!build.ok) throw new Error(`building ${inputs.def} failed at ${build.failedStep}: ${build.error}\n${tail(build.log, 60)}`);
      return { inputs, build };
    })();
    built.set(recipe, pending);
  }
  return pending;
}

interface DoctorJson {
  overall: string;
  verdicts: { subject: string; status: string; checks: { id: string; status: string; reason: string; fix?: string }[] }[];
  host: { slurm: { mpi: { status: string; value?: { plugins: string[] } }; version: { status: string; value?: string } } };
}

describe.skipIf(slurmSkip !== null)(`issue 18: apptainer-gen doctor on a single-node Slurm${slurmSkip ? ` (skipped: ${slurmSkip})` : ''}`, () => {
  beforeAll(() => {
    work = scratchDir('doctor');
    // Builds go one at a time (the machine is shared); the first starts while Slurm comes up.
    let chain: Promise<unknown> = Promise.resolve();
    for (const recipe of RECIPES) {
      chain = chain.then(() => image(recipe)).catch(() => undefined);
    }
  });
  afterAll(async () => {
    if (work) await removeScratch(work);
  });
  const slurm = clusterForSuite();

  /** The doctor, run like the job: the job's environment, the cluster's SLURM_CONF, the harness PATH. */
  async function doctor(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = await run([process.execPath, CLI, 'doctor', '--format', 'json', '--timeout', '60', ...args], {
      cwd: REPO_ROOT,
      env: { ...slurm.cluster.env, ...env, PATH: `${E2E_BIN}:${process.env.PATH}` },
    });
    let json: DoctorJson | undefined;
    try {
      json = JSON.parse(result.stdout) as DoctorJson;
    } catch {
      // reported by the assertions below, with the output
    }
    return { ...result, json };
  }

  const cases: { name: string; recipe: RecipeName; subject: RegExp; env: () => Promise<NodeJS.ProcessEnv> }[] = [
    { name: 'pmi model, Open MPI with PMIx (srun --mpi=pmix)', recipe: 'debian-openmpi-pmi', subject: /^pmi model/, env: async () => ({}) },
    { name: 'pmi model, MPICH with PMI-2 (srun --mpi=pmi2)', recipe: 'debian-mpich-pmi2', subject: /^pmi model/, env: async () => ({}) },
    { name: "hybrid model (the host's mpirun)", recipe: 'debian-openmpi-hybrid', subject: /^hybrid model/, env: async () => OPEN_MPI_AS_ROOT },
    {
      name: 'bind model, MPI_DIR set to a host MPI prefix',
      recipe: 'debian-bind',
      subject: /^bind model/,
      env: async () => {
        const hostMpi = await hostMpiPrefix((await image('debian-bind')).build.image);
        return { ...OPEN_MPI_AS_ROOT, MPI_DIR: hostMpi.prefix, OPAL_PREFIX: hostMpi.opalPrefix };
      },
    },
    { name: "bind model, the job script's default MPI_DIR", recipe: 'debian-bind', subject: /^bind model/, env: async () => OPEN_MPI_AS_ROOT },
  ];

  for (const c of cases) {
    test(`${c.name}: the job runs both ranks and the doctor says it fits`, async (ctx) => {
      slurm.need(ctx);
      const { inputs, build } = await image(c.recipe);
      const env = await c.env();
      const job = await submitJob(slurm.cluster, inputs.jobScript!, {
        image: build.image,
        jobDir: path.join(work, 'jobs', c.name.replace(/\W+/g, '-')),
        tasks: 2,
        env,
      });
      expect(job.code, job.output + job.sbatchOutput).toBe(0);
      expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);

      const result = await doctor(['--image', inputs.def, '--job', inputs.jobScript!], env);
      expect(result.code, result.output).toBe(0);
      const json = result.json!;
      // The real srun of this cluster was probed.
      expect(json.host.slurm.mpi.value?.plugins).toEqual(expect.arrayContaining(['pmix', 'pmi2']));
      const model = json.verdicts.find((v) => c.subject.test(v.subject));
      expect(model, result.stdout).toBeDefined();
      // "fits" or "fits, with a warning" (the hybrid image records no Open MPI version: distro).
      for (const v of json.verdicts) expect(['fits', 'warning'], `${v.subject}: ${JSON.stringify(v.checks)}`).toContain(v.status);
      expect(['fits', 'warning']).toContain(json.overall);
    });
  }

  test('the PMI mismatch: MPICH under srun --mpi=pmix starts singletons, and the doctor says it does not fit, and why', async (ctx) => {
    slurm.need(ctx);
    const { inputs, build } = await image('debian-mpich-pmi2');
    const badScript = path.join(work, 'jobs', 'mpich-pmix', 'job.sh');
    mkdirSync(path.dirname(badScript), { recursive: true });
    writeFileSync(badScript, readFileSync(inputs.jobScript!, 'utf8').replaceAll('--mpi=pmi2', '--mpi=pmix'), { mode: 0o755 });
    const job = await submitJob(slurm.cluster, badScript, { image: build.image, jobDir: path.dirname(badScript), tasks: 2 });
    expect(rankLines(job.output), job.output).toEqual(['rank 0 of 1', 'rank 0 of 1']);

    const result = await doctor(['--image', inputs.def, '--job', badScript]);
    expect(result.code, result.output).toBe(1);
    expect(result.json!.overall).toBe('does-not-fit');
    const jobVerdict = result.json!.verdicts.find((v) => v.subject.startsWith('job script'))!;
    expect(jobVerdict.status).toBe('does-not-fit');
    const failing = jobVerdict.checks.filter((c) => c.status === 'does-not-fit').map((c) => c.reason);
    expect(failing).toEqual([expect.stringMatching(/job\.sh:\d+:\d+: srun --mpi=pmix does not match the image's MPI, built for pmi2; use --mpi=pmi2/)]);
    // The image itself fits this Slurm (it offers pmi2): the fault is the launch line.
    expect(result.json!.verdicts.find((v) => v.subject.startsWith('pmi model'))!.status).toBe('fits');

    // The text report says the same to a person.
    const text = await run([process.execPath, CLI, 'doctor', '--image', inputs.def, '--job', badScript], {
      cwd: REPO_ROOT,
      env: { ...slurm.cluster.env, PATH: `${E2E_BIN}:${process.env.PATH}` },
    });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAIL .*srun --mpi=pmix does not match the image's MPI, built for pmi2/);
    expect(text.stdout).toMatch(/\nVerdict: does not fit\n$/);
  });

  test('--write-host records this cluster, and `host:` in a recipe reproduces the hand-set PMI choice', async (ctx) => {
    slurm.need(ctx);
    const dir = path.join(work, 'host');
    mkdirSync(dir, { recursive: true });
    const hostFile = path.join(dir, 'host.yaml');
    const result = await doctor(['--write-host', hostFile]);
    expect(result.code, result.output).toBe(0);
    const srunVersion = await run(['srun', '--version'], { env: slurm.cluster.env });
    expect(result.json!.host.slurm.version.value).toBe(srunVersion.stdout.trim().split(/\s+/).pop());
    expect(readFileSync(hostFile, 'utf8')).toMatch(/plugins:\n(\s+- \w+\n)+/);

    // debian-mpich-pmi2 without its pmi.interface, with `host: host.yaml`: the same def.
    const recipe = readFileSync(recipePath('debian-mpich-pmi2'), 'utf8')
      .replace('  pmi:\n    interface: pmi2\n', '')
      .replace(/^name: .*$/m, (m) => `${m}\nhost: host.yaml`);
    const recipeFile = path.join(dir, 'debian-mpich-pmi2.yaml');
    writeFileSync(recipeFile, recipe);
    const generated = await run([process.execPath, CLI, recipeFile], { cwd: dir });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toBe(readFileSync(path.join(REPO_ROOT, 'fixtures/recipes/debian-mpich-pmi2.def'), 'utf8'));
  });
});
