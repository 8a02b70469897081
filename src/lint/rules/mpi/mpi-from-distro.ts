// DEF702: distro MPI packages where the MPI must match the host's (hybrid model).
import { declaredMpiModel, distroMpiPackage, installsOsPackages, buildPackageInstalls, type MpiFamily } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpiFromDistro = defineRule({
  check(ctx) {
    // Only the hybrid model needs the image's MPI to match the host's (unknown model: assume it may be hybrid).
    const model = declaredMpiModel(ctx.file);
    if (model !== undefined && model !== 'hybrid') return;
    for (const { install } of buildPackageInstalls(ctx.scripts)) {
      if (!installsOsPackages(install.manager)) continue;
      // One finding per install command: `apt-get install openmpi-bin libopenmpi-dev` is one decision.
      const found = install.packages.filter((p) => distroMpiPackage(p.name));
      if (found.length === 0) continue;
      const family = distroMpiPackage(found[0].name)!.family;
      const names = found.map((p) => `'${p.name}'`).join(', ');
      ctx.report({
        messageId: 'distroHybridModelImage',
        data: { FAMILY_NAMES: FAMILY_NAMES[family], names },
        range: found[0].word.range,
      });
    }
  },
  meta: {
    id: 'DEF702',
    slug: 'mpi-from-distro',
    group: 'mpi',
    defaultSeverity: 'info',
    presets: ['recommended', 'hpc'],
    summary: "Distro MPI packages: their version rarely matches the cluster's MPI (hybrid model).",
    description: `In the *hybrid* model the host's \`mpirun\` starts one container per rank, and the MPI inside
the image must be the same implementation as the host's, in a compatible (ideally identical) version,
built with the same PMI flavour. Distribution packages (\`openmpi-bin\`, \`libopenmpi-dev\`, \`mpich\`,
\`libmpich-dev\`, \`openmpi-devel\`, \`mpich-devel\`...) pin whatever version the distribution shipped, with
the distribution's configure options, so they only match a cluster by accident.

Build the host's version from source (with its PMI and fabric options), or use the *bind* model
(no MPI in the image, the host MPI is bound in at run time).

The rule stays quiet when the image's provenance label \`org.apptainer-gen.mpi.model\` names another
model: \`pmi\` (launched by \`srun\`, no host MPI involved), \`bind\` (the MPI only compiles the
application in a build stage) or \`none\`.`,
    bad: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update
    apt-get install -y --no-install-recommends openmpi-bin libopenmpi-dev
`,
    good: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update
    apt-get install -y --no-install-recommends build-essential wget libpmix-dev
    wget -q https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.6.tar.bz2
    tar xf openmpi-4.1.6.tar.bz2
    cd openmpi-4.1.6 && ./configure --prefix=/opt/ompi --with-pmix=/usr && make -j4 install
`,
    source: 'Apptainer user guide "MPI" (hybrid model); IMTEK-Simulation/code-snippets README',
    needsShell: true,
    messages: {
      distroHybridModelImage:
        "Distro {{ FAMILY_NAMES }} ({{ names }}): for the hybrid model the image's MPI must match the host's version and PMI; build that version from source or bind the host MPI.",
    },
  },
});

const FAMILY_NAMES: Record<MpiFamily, string> = { openmpi: 'Open MPI', mpich: 'MPICH', mvapich: 'MVAPICH' };
