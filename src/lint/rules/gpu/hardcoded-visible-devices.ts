// DEF752: GPU visibility hard-coded in the image (overrides the scheduler's GPU binding).
import { assignmentsIn } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';
import { deleteLineFix } from '../../vocab/fixes.js';

export const hardcodedVisibleDevices = defineRule({
  create: (ctx) => ({
    script(script) {
      const name = script.section.name;
      if (!['environment', 'appenv', 'runscript', 'apprun', 'startscript'].includes(name)) return;
      for (const a of assignmentsIn(script)) {
        if (!VISIBILITY_VARS.has(a.name) || !a.isStatic) continue;
        if (a.name === 'NVIDIA_VISIBLE_DEVICES' && a.value === 'all') continue;
        const fix = a.prefix ? undefined : deleteLineFix(ctx.file, a.range, `Remove ${a.name}`);
        ctx.report({
          messageId: 'overridesGPUsSchedulerGives',
          data: { name: a.name, value: a.value, word: script.section.word },
          range: a.range,
          suggestions: fix ? [fix] : undefined,
        });
      }
    },
  }),
  meta: {
    id: 'DEF752',
    slug: 'hardcoded-visible-devices',
    group: 'gpu',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'hpc'],
    summary: 'CUDA_VISIBLE_DEVICES/ROCR_VISIBLE_DEVICES/... set to a fixed value in the image: it overrides the scheduler.',
    description: `Slurm (\`--gpus-per-task\`, \`--gpu-bind\`) and other schedulers tell each task which GPUs it may use
by setting \`CUDA_VISIBLE_DEVICES\` (NVIDIA) or \`ROCR_VISIBLE_DEVICES\`/\`HIP_VISIBLE_DEVICES\` (AMD). A fixed
value written into \`%environment\`, \`%appenv\`, \`%runscript\`, \`%apprun\` or \`%startscript\` replaces that
choice inside the container: every rank lands on GPU 0, or on a GPU the job was not given.

Choose GPUs at run time instead: \`APPTAINERENV_CUDA_VISIBLE_DEVICES=1 apptainer exec --nv ...\` or the
scheduler's options. Values computed at run time (\`CUDA_VISIBLE_DEVICES=$SLURM_LOCALID\`) and
\`NVIDIA_VISIBLE_DEVICES=all\` (the container-toolkit default) are not flagged. The suggestion deletes the
line.`,
    bad: `Bootstrap: docker
From: nvidia/cuda:12.4.1-runtime-ubuntu22.04

%environment
    export CUDA_VISIBLE_DEVICES=0
`,
    good: `Bootstrap: docker
From: nvidia/cuda:12.4.1-runtime-ubuntu22.04

%environment
    export NVIDIA_VISIBLE_DEVICES=all
`,
    source: 'Apptainer user guide "GPU Support" (CUDA_VISIBLE_DEVICES, APPTAINERENV_ variables)',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      overridesGPUsSchedulerGives:
        '{{ name }}={{ value }} in %{{ word }} overrides the GPUs the scheduler gives each task; set it at run time (APPTAINERENV_{{ name }}) instead.',
    },
  },
});

const VISIBILITY_VARS = new Set(['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES', 'ROCR_VISIBLE_DEVICES', 'HIP_VISIBLE_DEVICES', 'GPU_DEVICE_ORDINAL']);
