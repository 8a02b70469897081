// DEF704: the runscript launches MPI itself (mpirun/mpiexec/srun inside the container).
import { isMpiLauncher } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpirunInsideContainer = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      const name = script.section.name;
      if ((name !== 'runscript' && name !== 'apprun' && name !== 'startscript') || !isMpiLauncher(cmd.baseName)) return;
      // `mpirun --version` only reports; it launches nothing.
      if (cmd.args.length > 0 && cmd.args.every((a) => INFO_FLAGS.has(a.text))) return;
      ctx.report({
        messageId: 'callsMpiJobsLaunched',
        data: { word: script.section.word, baseName: cmd.baseName },
        range: cmd.nameRange,
      });
    },
  }),
  meta: {
    id: 'DEF704',
    slug: 'mpirun-inside-container',
    group: 'mpi',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'hpc'],
    summary: '%runscript/%apprun calls mpirun/mpiexec/srun: MPI jobs are launched from the host.',
    description: `For multi-node jobs the launcher runs on the **host** and starts one container per rank:
\`srun --mpi=pmix apptainer exec app.sif app\` (PMI model) or \`mpirun -n N apptainer exec app.sif app\`
(hybrid model). A launcher inside \`%runscript\`/\`%apprun\`/\`%startscript\` runs in a single container on
one node: it cannot reach the other nodes of the allocation (no \`srun\`, no \`ssh\`, no scheduler
integration inside the image), and under a host launcher it would start N × N processes.

Make the runscript \`exec\` the application with \`"$@"\` and document the host launch line in \`%help\`.
If the image is meant for single-node runs only, suppress the finding with a pragma and say so.`,
    bad: `Bootstrap: docker
From: ubuntu:22.04

%runscript
    exec mpirun -np 4 /opt/app/bin/solver "$@"
`,
    good: `Bootstrap: docker
From: ubuntu:22.04

%runscript
    exec /opt/app/bin/solver "$@"

%help
    Launch from the host: srun --mpi=pmix apptainer run app.sif input.dat
`,
    source: 'Apptainer user guide "MPI" (hybrid and bind workflows)',
    needsShell: true,
    messages: {
      callsMpiJobsLaunched:
        "%{{ word }} calls '{{ baseName }}': MPI jobs are launched from the host (srun/mpirun ... apptainer exec IMAGE app), one container per rank.",
    },
  },
});

const INFO_FLAGS = new Set(['--version', '-V', '-version', '--help', '-h', '-help', '--mpi=list']);
