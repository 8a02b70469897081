// Issue 11: MPI stacks built from release tarballs, offline. The tarballs are Debian's `.orig`
// files (upstream sources) fetched with `apt-get source`, served to the build as a directory
// mirror (`apptainer-gen --source-mirror DIR`: %files into the build stage only), and checked
// against the SHA-256 the recipe pins. Build stages are cached by content hash between runs
// (`$APPTAINER_E2E_CACHE/stages`; off with APPTAINER_E2E_NO_STAGE_CACHE=1): an unchanged recipe
// reuses its build stage, a changed one or a fresh machine builds from scratch. The runtime stage
// (the image: %test with ldd over every ELF file, then the Slurm job) is built on every run.
// Every stage's time is printed.
//
// Run only this file: `npm run build && npx vitest run --config test/e2e/vitest.config.ts test/e2e/source-build.e2e.ts`
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, type TestContext } from 'vitest';
import { buildDefinition, execImage, type BuildResult } from './harness/build.js';
import { clusterSkipReason, startCluster, type Cluster } from './harness/cluster.js';
import { debianSources, type OrigTarball } from './harness/debian-sources.js';
import { tail } from './harness/process.js';
import { apptainerGen, recipePath } from './harness/recipes.js';
import { buildSkipReason, cacheDir } from './harness/rootfs.js';
import { rankLines, submitJob } from './harness/slurm-job.js';
import { OPEN_MPI_AS_ROOT, removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

const buildSkip = skipOrFail(await buildSkipReason());
const slurmSkip = buildSkip ?? skipOrFail(await clusterSkipReason());

/** Which Debian release's source archive has each package's `.orig` file. */
const RELEASE_OF: Record<string, string> = { openmpi: 'bookworm', pmix: 'bookworm', ucx: 'bookworm', mpich: 'bookworm', libfabric: 'trixie' };

const BUILD_MINUTES = 120;
let work = '';

function log(message: string): void {
  process.stdout.write(`[source-build] ${message}\n`);
}

/** The tarballs a recipe needs, from `apptainer-gen sources` (the command a site would run). */
async function tarballsOf(recipe: string): Promise<OrigTarball[]> {
  const listing = await apptainerGen(['sources', recipePath(recipe)]);
  return listing.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [, file, , sha256] = line.split('\t');
      const pkg = file.split('_')[0];
      if (!RELEASE_OF[pkg] || sha256 === '-') throw new Error(`${recipe}: ${file} is not a pinned Debian .orig tarball`);
      return { pkg, release: RELEASE_OF[pkg], file, sha256 };
    });
}

interface Built {
  def: string;
  jobScript: string;
  build: BuildResult;
}

const builds = new Map<string, Promise<Built>>();

/** Fetches the sources, generates with the directory mirror, builds (stage cache on); once per recipe. */
function built(recipe: string): Promise<Built> {
  let pending = builds.get(recipe);
  if (!pending) {
    pending = (async () => {
      let started = Date.now();
      const mirror = await debianSources(await tarballsOf(recipe));
      log(`${recipe}: sources ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      const out = path.join(work, recipe);
      mkdirSync(out, { recursive: true });
      const def = path.join(out, `${recipe}.def`);
      const jobScript = path.join(out, `${recipe}.job.sh`);
      await apptainerGen([recipePath(recipe), '-o', def, '--job-script', jobScript, '--source-mirror', mirror]);
      started = Date.now();
      const build = await buildDefinition(def, {
        workDir: path.join(out, 'roots'),
        testEnv: OPEN_MPI_AS_ROOT,
        stageCache: process.env.APPTAINER_E2E_NO_STAGE_CACHE ? undefined : path.join(cacheDir(), 'stages'),
      });
      for (const t of build.timings) log(`${recipe}: ${t.stage} ${t.cached ? 'unpacked from the stage cache' : 'built'} in ${t.seconds.toFixed(0)} s`);
      log(`${recipe}: build ${build.ok ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (!build.ok) throw new Error(`building ${def} failed at ${build.failedStep}: ${build.error}\n${tail(build.log, 80)}`);
      return { def, jobScript, build };
    })();
    builds.set(recipe, pending);
  }
  return pending;
}

beforeAll(() => {
  if (buildSkip !== null) return;
  work = scratchDir('source-build');
});
afterAll(async () => {
  if (work) await removeScratch(work);
});

const OPENMPI = 'debian-src-openmpi-pmix';

describe.skipIf(buildSkip !== null)(`issue 11: MPI stacks from release tarballs, offline${buildSkip ? ` (skipped: ${buildSkip})` : ''}`, () => {
  test(
    `Open MPI 4.1 + PMIx + UCX from source (${OPENMPI}.yaml): multi-stage, %test passed, no compiler in the runtime stage`,
    async () => {
      const { def, build } = await built(OPENMPI);
      const text = readFileSync(def, 'utf8');
      // The tarballs came from the host directory, into the build stage only, and were verified.
      const [buildStage, runtimeStage] = text.split(/^Bootstrap:/m).slice(1);
      expect(buildStage).toMatch(/^%files\n(\s+\S+\/(openmpi|pmix|ucx)_[^ ]+\.orig\.tar\.xz \S+\n){3}/m);
      expect(buildStage.match(/sha256sum -c -/g)?.length).toBe(3);
      expect(buildStage).not.toMatch(/\bcurl\b.*\.tar/);
      expect(runtimeStage).not.toMatch(/orig\.tar/);
      expect(build.stages.length).toBe(2);
      const runtime = build.stages[1].root;
      // The %test of the runtime stage ran ldd over every ELF file under /opt/openmpi, /opt/pmix,
      // /opt/ucx and /opt/app (the build fails otherwise); here: no compiler, and the tarballs are gone.
      const probe = await execImage(runtime, [
        'sh',
        '-c',
        'for c in cc gcc c++ g++ gfortran; do command -v $c; done; ls /usr/local/src/apptainer-gen 2>&1; /opt/openmpi/bin/ompi_info | grep -E "MCA (pmix|pml): (ext|ucx)"',
      ]);
      expect(probe.stdout).not.toMatch(/\/(cc|gcc|g\+\+|gfortran)$/m);
      expect(probe.stdout).toMatch(/No such file or directory/);
      expect(probe.stdout).toMatch(/MCA pmix: ext3x/);
      expect(probe.stdout).toMatch(/MCA pml: ucx/);
    },
    BUILD_MINUTES * 60_000,
  );
});

describe.skipIf(slurmSkip !== null)(`issue 11: source-built MPI launched by Slurm${slurmSkip ? ` (skipped: ${slurmSkip})` : ''}`, () => {
  let cluster: Cluster;
  let clusterDown: string | null = null;
  beforeAll(async () => {
    try {
      cluster = await startCluster();
    } catch (err) {
      clusterDown = `the Slurm daemons did not start: ${(err as Error).message}`;
      skipOrFail(clusterDown);
    }
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  const needCluster = (ctx: TestContext) => {
    if (clusterDown) ctx.skip(clusterDown);
  };

  test(
    `PMI model, Open MPI 4.1 from source: the generated job script's srun --mpi=pmix prints both ranks (${OPENMPI}.yaml)`,
    async (ctx) => {
      needCluster(ctx);
      const { jobScript, build } = await built(OPENMPI);
      const script = readFileSync(jobScript, 'utf8');
      expect(script).toMatch(/srun\s[^\n]*--mpi=pmix/);
      expect(script).not.toMatch(/^\s*mpirun\b/m);
      const started = Date.now();
      // The image sets OMPI_MCA_pml=ucx (the fabric the recipe asks for). Open MPI 4.1's pml ucx
      // only takes Mellanox devices by default (pml_ucx_devices=mlx*); this VM has shared memory and
      // TCP only, so the job opens it to any device, as a site without InfiniBand would.
      const env = { OMPI_MCA_pml_ucx_tls: 'any', OMPI_MCA_pml_ucx_devices: 'any' };
      const job = await submitJob(cluster, jobScript, { image: build.image, jobDir: path.join(work, 'jobs', OPENMPI), tasks: 2, env });
      log(`${OPENMPI}: job ran in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      expect(job.code, job.output + job.sbatchOutput).toBe(0);
      expect(rankLines(job.output)).toEqual(['rank 0 of 2', 'rank 1 of 2']);
    },
    BUILD_MINUTES * 60_000,
  );
});
