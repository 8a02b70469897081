// MPI model, implementation, PMI and fabric (guidance §3 rules 1-6, issue 10).
import { HYDRA_NEEDS_BUILTIN_PMI, INTEL_MPI_ARCHES, PSM2_ARCHES, openMpiCudaUnreliable } from '../../facts/index.js';
import { isTemplated } from '../blocks/mpi-common.js';
import { launcherOf } from '../emit.js';
import type { PathSegment } from '../load.js';
import { DEFAULT_MPI_VERSION, IMPL_TITLE } from '../plan.js';
import { BOUND_DIRS, under, type RecipeRule, type RuleContext } from './rule.js';

const PLAUSIBLE: Record<string, (major: number) => boolean> = {
  openmpi: (m) => m >= 1 && m <= 9,
  mpich: (m) => m >= 3 && m <= 9,
  mvapich2: (m) => m === 2,
  intelmpi: (m) => m >= 2019 && m <= 2099,
};

/** Where a PMI problem is reported: at pmi.interface when written, else at the model. */
function pmiPath(ctx: RuleContext): PathSegment[] {
  return ctx.mpi.pmi?.interface ? ['mpi', 'pmi', 'interface'] : ctx.mpi.model ? ['mpi', 'model'] : ['mpi'];
}

/** Runs a check only for recipes with an MPI model and implementation. */
function withMpi(id: string, summary: string, check: (ctx: RuleContext) => void): RecipeRule {
  return { id, summary, check: (ctx) => (ctx.plan.model !== 'none' && ctx.plan.impl ? check(ctx) : undefined) };
}

export const mpiRules: RecipeRule[] = [
  {
    id: 'GEN201',
    summary: 'mpi.impl goes with an MPI model.',
    check({ plan, mpi, error, warn }) {
      if (plan.model !== 'none' && !mpi.impl) error(['mpi'], `mpi.impl is required with mpi.model '${plan.model}' (openmpi, mpich, mvapich2 or intelmpi)`);
      if (plan.model === 'none' && mpi.impl) warn(['mpi', 'impl'], "mpi.impl is ignored because mpi.model is 'none'");
    },
  },
  withMpi('GEN202', 'The MPI source fits the implementation.', ({ plan, error }) => {
    const { impl, mpiSource: src } = plan;
    if (impl === 'intelmpi' && src !== 'oneapi') error(['mpi', 'source'], "Intel MPI is installed from Intel's oneAPI repository: use source 'oneapi'");
    if (impl !== 'intelmpi' && src === 'oneapi') error(['mpi', 'source'], "source 'oneapi' is only for impl 'intelmpi'");
    if (impl !== 'openmpi' && src === 'hpcx') error(['mpi', 'source'], "source 'hpcx' (NVIDIA HPC-X) bundles Open MPI: it needs impl 'openmpi'");
    if (src === 'distro' && impl !== 'openmpi' && impl !== 'mpich') error(['mpi', 'source'], `source 'distro' supports openmpi and mpich only, not ${impl}`);
  }),
  withMpi('GEN203', "The pmi model names the PMI srun must use; the bind model names the host MPI's prefix.", ({ plan, mpi, error }) => {
    if (plan.model === 'pmi' && !mpi.pmi?.interface) {
      error(
        ['mpi', 'model'],
        "mpi.model 'pmi' needs mpi.pmi.interface: the srun --mpi= plugin your Slurm offers (pmix, pmi2 or pmi1; check with 'srun --mpi=list')",
      );
    }
    if (plan.model === 'bind' && !mpi.bind?.hostPrefix) {
      error(
        ['mpi', 'model'],
        "mpi.model 'bind' needs mpi.bind.hostPrefix: where the host MPI is installed (the default $MPI_DIR), e.g. /opt/cray/pe/mpich/default/ofi/gnu/9.1",
      );
    }
  }),
  withMpi('GEN204', 'The PMI interface is one the implementation supports.', (ctx) => {
    const { plan, error } = ctx;
    const { impl, pmi } = plan;
    if (plan.model === 'pmi' && pmi === 'none')
      error(pmiPath(ctx), "mpi.model 'pmi' needs a PMI interface that srun offers: pmi.interface pmix, pmi2 or pmi1 (check with 'srun --mpi=list')");
    if (pmi === 'cray_shasta' && plan.model !== 'bind')
      error(pmiPath(ctx), "pmi.interface 'cray_shasta' is HPE Cray EX's PMI, served to the host's Cray MPICH: it needs mpi.model 'bind'");
    const v5 = impl === 'openmpi' && plan.mpiMajor >= 5;
    if (v5 && (pmi === 'pmi2' || pmi === 'pmi1'))
      error(
        pmiPath(ctx),
        `Open MPI ${plan.mpiVersion} supports only PMIx (PMI-1/PMI-2 were removed in 5.0): use pmi.interface: pmix, or Open MPI 4.1.x for ${pmi}`,
      );
    if (impl === 'intelmpi' && pmi === 'pmix')
      error(pmiPath(ctx), 'Intel MPI does not support PMIx: use pmi.interface: pmi2 with I_MPI_PMI_LIBRARY (set automatically)');
    if (impl === 'mvapich2' && (pmi === 'pmix' || pmi === 'pmi1'))
      error(pmiPath(ctx), 'MVAPICH2 under srun is built with --with-pm=slurm --with-pmi=pmi2: use pmi.interface: pmi2');
    if (impl === 'mvapich2' && plan.model === 'pmi' && pmi !== 'pmi2') error(pmiPath(ctx), "MVAPICH2 with mpi.model 'pmi' needs pmi.interface: pmi2");
    if (plan.pmiProvider === 'bundled' && !(impl === 'openmpi' && pmi === 'pmix')) {
      error(['mpi', 'pmi', 'provider'], "provider 'bundled' means Open MPI's internal PMIx: it needs impl openmpi and pmi.interface pmix");
    }
  }),
  withMpi('GEN205', "A hybrid MPICH-family MPI keeps the PMI that the host's Hydra mpirun serves.", (ctx) => {
    const { plan, error } = ctx;
    if (plan.model !== 'hybrid' || plan.impl === 'openmpi' || plan.mpiSource === 'distro') return;
    if (plan.mpiPmi === 'none' || launcherOf(plan) !== 'mpirun') return;
    error(
      pmiPath(ctx),
      `a hybrid ${IMPL_TITLE[plan.impl!]} built with an external PMI library (${plan.mpiPmi}) cannot be started by the host's Hydra mpirun: the ranks would come up as singletons (${HYDRA_NEEDS_BUILTIN_PMI}). Remove pmi.interface to keep the built-in PMI, or launch with jobScript.launcher: srun`,
    );
  }),
  withMpi('GEN206', 'Open MPI 5 restrictions.', ({ plan, error }) => {
    if (!(plan.impl === 'openmpi' && plan.mpiMajor >= 5)) return;
    if (plan.transports.includes('verbs') && !plan.transports.includes('ucx'))
      error(['mpi', 'fabric', 'transports'], 'Open MPI 5 removed the openib (verbs) BTL: use ucx for InfiniBand/RoCE or ofi for other fabrics');
    if (plan.mpi1Compat) error(['mpi', 'mpi1Compat'], 'mpi1Compat (--enable-mpi1-compatibility) exists only in Open MPI 4.x');
  }),
  withMpi('GEN207', 'MPICH device and fabric agree.', ({ plan, mpi, error, warn }) => {
    if (mpi.device && plan.impl !== 'mpich') warn(['mpi', 'device'], 'mpi.device applies to MPICH only and is ignored');
    if (plan.impl !== 'mpich' || plan.mpiSource !== 'tarball') return;
    if (plan.device === 'ch4:ucx' && !plan.transports.includes('ucx')) error(['mpi', 'device'], "device ch4:ucx needs 'ucx' in mpi.fabric.transports");
    if (plan.device === 'ch4:ofi' && mpi.device && !plan.transports.includes('ofi'))
      error(['mpi', 'device'], "device ch4:ofi needs 'ofi' in mpi.fabric.transports");
  }),
  withMpi('GEN208', 'Versions: pinned for hybrid, plausible, not templated where rules depend on them.', ({ plan, mpi, warn }) => {
    const { impl, mpiSource: src } = plan;
    if (src === 'distro' && (mpi.version || mpi.configure?.length || mpi.prefix)) {
      warn(
        mpi.version ? ['mpi', 'version'] : mpi.prefix ? ['mpi', 'prefix'] : ['mpi', 'configure'],
        "mpi.version, mpi.prefix and mpi.configure are ignored with source 'distro' (the distribution decides)",
      );
    }
    if (plan.model === 'hybrid' && !mpi.version && src === 'tarball') {
      warn(['mpi'], `hybrid model: the container MPI must match the host's; set mpi.version to the site's ${impl} version (defaulting to ${plan.mpiVersion})`);
    }
    if (mpi.version && !isTemplated(plan.mpiVersion) && !PLAUSIBLE[impl!](plan.mpiMajor)) {
      warn(['mpi', 'version'], `${plan.mpiVersion} is not a plausible ${IMPL_TITLE[impl!]} version (the default is ${DEFAULT_MPI_VERSION[impl!]})`);
    }
    if (isTemplated(plan.mpiVersion))
      warn(['mpi', 'version'], 'mpi.version is a build argument, so version-specific checks (e.g. Open MPI 5 is PMIx-only) were not applied');
  }),
  withMpi('GEN209', 'Bind model shape.', ({ plan, mpi, error, warn }) => {
    if (plan.model === 'bind' && !plan.multistage) {
      error(
        ['stages', 'multistage'],
        'the bind model keeps MPI out of the final image, which needs stages.multistage: true (the build stage compiles against an MPI)',
      );
    }
    if (plan.model === 'bind' && mpi.bind?.hostPrefix && BOUND_DIRS.some((d) => under(plan.hostPrefix, d))) {
      warn(['mpi', 'bind', 'hostPrefix'], `host MPI prefix ${plan.hostPrefix} is under a directory Apptainer binds by default`);
    }
    if (plan.model !== 'bind' && mpi.bind) warn(['mpi', 'bind'], "mpi.bind is used only with mpi.model 'bind'");
  }),
  withMpi('GEN210', 'The job script launcher fits the model.', ({ recipe, plan, error }) => {
    if (recipe.jobScript?.launcher === 'mpirun' && plan.model === 'pmi') {
      error(['jobScript', 'launcher'], "the pmi model is launched by srun (no host MPI): remove jobScript.launcher or use 'srun'");
    }
    if (recipe.jobScript?.launcher === 'srun' && plan.pmi === 'none')
      error(['jobScript', 'launcher'], 'launching with srun needs mpi.pmi.interface (pmix, pmi2 or pmi1)');
  }),
  withMpi('GEN211', 'What the architecture cannot have.', ({ plan, error }) => {
    if (plan.transports.includes('psm2') && !PSM2_ARCHES.includes(plan.arch)) {
      error(['mpi', 'fabric', 'transports'], `PSM2 (Omni-Path) exists for x86_64 only, not ${plan.arch}: use ofi (psm3/verbs providers) or ucx`);
    }
    if (plan.impl === 'intelmpi' && !INTEL_MPI_ARCHES.includes(plan.arch)) error(['mpi', 'impl'], `Intel MPI is available for x86_64 only, not ${plan.arch}`);
  }),
  {
    id: 'GEN212',
    summary: 'Fabric settings need an MPI.',
    check({ plan, warn }) {
      if (plan.transports.length && plan.model === 'none') warn(['mpi', 'fabric'], "mpi.fabric is ignored because mpi.model is 'none'");
    },
  },
  withMpi('GEN213', 'Open MPI 5.0.0-5.0.3 and CUDA.', ({ plan, error }) => {
    if (plan.impl === 'openmpi' && plan.awareMpi && plan.gpu === 'nvidia' && openMpiCudaUnreliable(plan.mpiVersion)) {
      error(
        ['mpi', 'version'],
        `Open MPI ${plan.mpiVersion} can be built with --with-cuda and still have no CUDA support (open-mpi/ompi#12334): use 5.0.4 or newer, or 4.1.x`,
      );
    }
  }),
];
