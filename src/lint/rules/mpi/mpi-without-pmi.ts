// DEF701: an MPI built from source with no process-management (PMI/PMIx/Slurm) support chosen.
import { lintConfigureRuns, declaredLabel, hasOpaqueArgs, MPI_LABELS, splitFlag, type MpiFamily } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpiWithoutPmi = defineRule({
  check(ctx) {
    // A generated image that declares it is not launched through Slurm PMI made that choice explicitly.
    const model = declaredLabel(ctx.file, MPI_LABELS.model);
    if (model === 'bind' || model === 'none' || declaredLabel(ctx.file, MPI_LABELS.pmi) === 'none') return;
    for (const run of lintConfigureRuns(ctx.scripts)) {
      // MPICH's default simple PMI is served by Hydra and by Slurm's pmi2 plugin (see description).
      if (!run.family || run.family === 'mpich') continue;
      if (hasOpaqueArgs(run.args)) continue;
      if (run.args.some((a) => choosesProcessManagement(a.text))) continue;
      const name = FAMILY_NAMES[run.family];
      const hint =
        run.family === 'openmpi' ? 'add --with-pmix (Open MPI 4 may also use --with-slurm --with-pmi=/usr for PMI-2)' : 'add --with-pmi=pmi2 --with-pm=slurm';
      ctx.report({
        messageId: 'configuredWithoutPmiPMIx',
        data: { name, hint },
        range: run.configureRange,
      });
    }
  },
  meta: {
    id: 'DEF701',
    slug: 'mpi-without-pmi',
    group: 'mpi',
    defaultSeverity: 'warning',
    presets: ['recommended', 'hpc'],
    summary: 'MPI built from source without PMI/PMIx/Slurm support: srun starts N copies of rank 0.',
    description: `An MPI library inside an image gets its rank, size and peers from the process manager that
launched it. Under Slurm that is \`srun\`, which speaks PMI-2 (\`--mpi=pmi2\`) or PMIx (\`--mpi=pmix\`).
An MPI configured without a PMI client cannot talk to it, so every process believes it is rank 0 of a
one-process job: the classic "N × rank 0" symptom.

The rule looks at \`./configure\` runs inside an Open MPI (\`openmpi-*\`, \`ompi\`) or MVAPICH
source tree (the directory is followed through \`cd\`) and fires when no option chooses process
management: \`--with-pmix[=DIR]\`, \`--with-pmi[=pmi2|slurm|DIR]\`, \`--with-slurm\`, \`--with-pm=slurm\`
(MVAPICH2), \`--with-cray-pmi\`... An explicit \`--without-slurm\` or \`--with-alps\` also counts as a choice.

Pick the flavour the target cluster's Slurm offers (\`srun --mpi=list\`):

- Open MPI 4.x: \`--with-pmix\` (and/or \`--with-slurm --with-pmi=/usr\` for PMI-2); Open MPI 5 is PMIx only.
- MVAPICH2: \`--with-pmi=pmi2 --with-pm=slurm\`.

MPICH is not flagged: its default build always has a PMI client, the simple PMI that Hydra
serves, and Slurm's pmi2 plugin answers that protocol too (Slurm's src/plugins/mpi/pmi2/agent.c
handles a PMI-1 \`cmd=init\`), so \`srun --mpi=pmi2\` starts a default MPICH correctly. The
end-to-end suite proves it with Debian's MPICH 4.0.2 and with MPICH 4.0.2 built from its release
tarball. Choose \`--with-pmi=pmix\` for \`srun --mpi=pmix\`.

Open MPI 3+ also bundles a PMIx client and usually starts under \`srun --mpi=pmix\` without flags, but
then the bundled PMIx version must be one the host's Slurm understands; saying so explicitly keeps
that decision visible. Configure runs whose options come from a variable (\`./configure $OPTS\`) are
skipped, and so are images whose provenance labels (\`org.apptainer-gen.mpi.*\`, written by
\`apptainer-gen\`) declare the \`bind\` or \`none\` model or \`pmi=none\` (launched by a host \`mpirun\`).`,
    bad: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update && apt-get install -y build-essential wget
    cd /tmp
    wget https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.6.tar.gz
    tar xf openmpi-4.1.6.tar.gz
    cd openmpi-4.1.6
    ./configure --prefix=/opt/openmpi
    make -j4 install
`,
    good: `Bootstrap: docker
From: ubuntu:22.04

%post
    apt-get update && apt-get install -y build-essential wget libpmix-dev
    cd /tmp
    wget https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.6.tar.gz
    tar xf openmpi-4.1.6.tar.gz
    cd openmpi-4.1.6
    ./configure --prefix=/opt/openmpi --with-pmix=/usr/lib/x86_64-linux-gnu/pmix2
    make -j4 install
`,
    source: 'Apptainer user guide "MPI" (PMI2/PMIx must match the host); Slurm MPI guide; generator-guidance §2.4',
    needsShell: true,
    messages: {
      configuredWithoutPmiPMIx: '{{ name }} is configured without PMI/PMIx support, so under srun every rank starts as rank 0 of 1; {{ hint }}.',
    },
  },
});

/**
 * Configure flags that say how ranks are wired up. An explicit `--without-slurm` or `--with-alps`
 * also counts: the author chose a launcher, which is what the rule asks for.
 */
function choosesProcessManagement(flag: string): boolean {
  const { name, value } = splitFlag(flag);
  if (
    /^--(with|without|enable|disable)-(pmix?|pmi2|pmilib|pmi-libdir|pmix-libdir|pmi-include|slurm|slurm-lib|slurm-include|alps|tm|lsf|sge|cray[-_]pmi)$/.test(
      name,
    )
  )
    return true;
  // MPICH/MVAPICH `--with-pm=slurm|no`: the process manager is Slurm (hydra/gforker are local launchers).
  if (name === '--with-pm') return value !== undefined && !/^(hydra|gforker|remshell|mpd)(:|$)/.test(value);
  return false;
}

const FAMILY_NAMES: Record<MpiFamily, string> = { openmpi: 'Open MPI', mpich: 'MPICH', mvapich: 'MVAPICH' };
