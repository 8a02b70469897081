// DEF754: NVIDIA container-runtime variables set inside the image, where nothing reads them.
import { assignmentsIn } from '../../vocab/mpi.js';
import { deleteLineFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const nvidiaEnvNoop = defineRule({
  create: (ctx) => ({
    script(script) {
      if (script.section.name !== 'environment' && script.section.name !== 'appenv') return;
      for (const a of assignmentsIn(script)) {
        if (!isRuntimeVariable(a.name) || a.prefix) continue;
        const fix = deleteLineFix(ctx.file, a.range, `Remove ${a.name}`);
        ctx.report({
          messageId: 'hasNoEffectNvidia',
          data: { a: a.name, word: script.section.word },
          range: a.range,
          suggestions: fix ? [fix] : undefined,
        });
      }
    },
  }),
  meta: {
    id: 'DEF754',
    slug: 'nvidia-env-noop',
    group: 'gpu',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended', 'hpc'],
    summary: 'NVIDIA_DRIVER_CAPABILITIES/NVIDIA_REQUIRE_* in %environment have no effect: Apptainer reads them from the host.',
    description: `\`NVIDIA_DRIVER_CAPABILITIES\`, \`NVIDIA_REQUIRE_*\` and \`NVIDIA_DISABLE_REQUIRE\` configure the NVIDIA
container runtime. Docker images carry them as image config; Apptainer's \`--nvccli\` mode reads them from the
**host** environment when the container starts, and \`--nv\` ignores them. Written into \`%environment\` or
\`%appenv\` they are only set inside the already-started container, where nothing reads them, so the
requirement they express is never enforced.

Set them on the host when running with \`--nvccli\` (e.g. \`NVIDIA_DRIVER_CAPABILITIES=compute,utility
apptainer exec --nvccli ...\`), or drop them. The suggestion deletes the line.`,
    bad: `Bootstrap: docker
From: nvidia/cuda:12.4.1-runtime-ubuntu22.04

%environment
    export NVIDIA_REQUIRE_CUDA="cuda>=12.4"
`,
    good: `Bootstrap: docker
From: nvidia/cuda:12.4.1-runtime-ubuntu22.04

%environment
    export LD_LIBRARY_PATH=/opt/app/lib:$LD_LIBRARY_PATH
`,
    source: 'Apptainer user guide "GPU Support" (--nvccli reads NVIDIA_* from the host environment)',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      hasNoEffectNvidia:
        '{{ a }} in %{{ word }} has no effect: the NVIDIA runtime settings are read from the host environment (--nvccli), not from the container.',
    },
  },
});

function isRuntimeVariable(name: string): boolean {
  return name === 'NVIDIA_DRIVER_CAPABILITIES' || name === 'NVIDIA_DISABLE_REQUIRE' || name.startsWith('NVIDIA_REQUIRE_');
}
