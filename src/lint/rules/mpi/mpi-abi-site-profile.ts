// DEF706 (opt-in): site profile requiring an MPICH-ABI MPI, so the site's MPI can be bound in.
// Not in the `hpc` preset: an image with its own MPI launched by srun (the pmi model) or by a
// matching host mpirun (hybrid) is a correct HPC image on any site; only a site that binds its
// MPICH-ABI MPI into every image wants this, and says so in its config.
import { buildPackageInstalls, distroMpiPackage, installsOsPackages, languageMpiPackage, lintConfigureRuns } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpiAbiSiteProfile = defineRule({
  check(ctx) {
    for (const run of lintConfigureRuns(ctx.scripts)) {
      if (run.family === 'openmpi') ctx.report({ messageId: 'openMpi', range: run.configureRange });
    }
    for (const { install } of buildPackageInstalls(ctx.scripts)) {
      const first = install.packages.find(
        (pkg) => (installsOsPackages(install.manager) ? distroMpiPackage(pkg.name)?.family : languageMpiPackage(pkg.name)) === 'openmpi',
      );
      if (first) ctx.report({ messageId: 'openMpi', range: first.word.range });
    }
  },
  meta: {
    id: 'DEF706',
    slug: 'mpi-abi-site-profile',
    group: 'mpi',
    defaultSeverity: 'off',
    presets: [],
    summary: 'Site profile: the image must use an MPICH-ABI MPI so the site MPI (Cray MPICH, Intel MPI) can replace it.',
    description: `On systems whose fast MPI is vendor-built (HPE/Cray MPICH on Slingshot, some Intel MPI sites),
the usual way to run containers at full speed is to build the application against an **MPICH-ABI**
MPI inside the image (MPICH ≥ 3.1, MVAPICH2 ≥ 2.0, Intel MPI ≥ 5) and bind the host's MPI in at run time
(\`libmpi.so.12\` is replaced). An application linked against Open MPI cannot be switched this way.

This rule is a site profile: it is off by default, also in the \`hpc\` preset (Open MPI images are right for the
\`pmi\` and \`hybrid\` models everywhere); a site that binds its MPI into images turns it on explicitly. It
flags Open MPI installs (source builds, distro packages, spack/conda/pip) when the required ABI is
\`mpich\` (the only value of the \`abi\` option today).`,
    bad: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update && apt-get install -y --no-install-recommends libopenmpi-dev openmpi-bin
`,
    good: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update && apt-get install -y --no-install-recommends libmpich-dev mpich
`,
    source: 'PawseySC container training keypoints; NERSC Shifter MPICH-ABI notes; mpich.org/abi',
    needsShell: true,
    optionsSchema: {
      type: 'object',
      properties: { abi: { enum: ['mpich'], default: 'mpich', description: 'MPI ABI the site can bind in.' } },
      additionalProperties: false,
    },
    messages: {
      openMpi:
        'Open MPI is not MPICH-ABI compatible: this site binds its MPICH-ABI MPI (Cray MPICH, Intel MPI) into images; build with MPICH or MVAPICH instead.',
    },
  },
});
