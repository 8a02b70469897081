// DEF752: GPU visibility hard-coded in the image (overrides the scheduler's GPU binding).
import type { Fix, } from '../../types.js';
import type { ParsedFile, Range } from '../../../parse/model.js';
import { assignmentsIn } from '../mpi/util.js';
import { defineRule } from '../../define-rule.js';

const VISIBILITY_VARS = new Set(['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES', 'ROCR_VISIBLE_DEVICES', 'HIP_VISIBLE_DEVICES', 'GPU_DEVICE_ORDINAL']);

/** Deletes the whole line when it holds only this assignment (`X=0` or `export X=0`). */
export function deleteLineFix(file: ParsedFile, range: Range, description: string): Fix | undefined {
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', range.start.offset - 1) + 1;
  let lineEnd = text.indexOf('\n', range.end.offset);
  if (lineEnd === -1) lineEnd = text.length;
  const before = text.slice(lineStart, range.start.offset).trim();
  const after = text.slice(range.end.offset, lineEnd).trim();
  if ((before !== '' && before !== 'export') || (after !== '' && after !== ';')) return undefined;
  const end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
  return { description, edits: [{ start: lineStart, end, text: '' }] };
}

export const hardcodedVisibleDevices = defineRule({
  meta: {
    id: 'DEF752',
    slug: 'hardcoded-visible-devices',
    group: 'gpu',
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
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      const name = script.section.name;
      if (!['environment', 'appenv', 'runscript', 'apprun', 'startscript'].includes(name)) continue;
      for (const a of assignmentsIn(script)) {
        if (!VISIBILITY_VARS.has(a.name) || !a.isStatic) continue;
        if (a.name === 'NVIDIA_VISIBLE_DEVICES' && a.value === 'all') continue;
        const fix = a.prefix ? undefined : deleteLineFix(ctx.file, a.range, `Remove ${a.name}`);
        ctx.report({
          message: `${a.name}=${a.value} in %${script.section.word} overrides the GPUs the scheduler gives each task; set it at run time (APPTAINERENV_${a.name}) instead.`,
          range: a.range,
          suggestions: fix ? [fix] : undefined,
        });
      }
    }
  },
});
