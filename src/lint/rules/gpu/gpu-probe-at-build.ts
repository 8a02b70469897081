// DEF753: a GPU is required while the image builds (%post/%test), where there usually is none.
import type { ShellCommand, ShellScript } from '../../types.js';
import { baseNameOf } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const gpuProbeAtBuild = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!SECTIONS.has(script.section.name)) return;
      const guarded = guardedTools(script);
      for (const cmd of script.commands) {
        if (cmd.checked) continue;
        if (PROBES.has(cmd.baseName) && !guarded.has(cmd.baseName)) {
          ctx.report({
            messageId: 'needsGpuWhichBuild',
            data: { baseName: cmd.baseName, word: script.section.word },
            range: cmd.nameRange,
          });
        } else if (pythonAssertsGpu(cmd)) {
          ctx.report({
            messageId: 'assertionRequiresGpuBuild',
            data: { word: script.section.word },
            range: cmd.range,
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF753',
    slug: 'gpu-probe-at-build',
    group: 'gpu',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'hpc'],
    summary: 'nvidia-smi/rocm-smi/GPU assertion in %post or %test: build hosts usually have no GPU.',
    description: `\`%post\` runs on the build machine, and \`%test\` runs there too at the end of every build (unless
\`--notest\`). Build machines rarely have a GPU, and even with one the driver is only visible with
\`apptainer build --nv\`. A bare \`nvidia-smi\`, \`rocm-smi\`, \`rocminfo\`, \`deviceQuery\` or a Python
\`assert torch.cuda.is_available()\` then fails the build, or fails \`apptainer test\` on a login node.

Check what can be checked without a GPU (\`nvcc --version\`, \`hipcc --version\`, that the libraries load),
and move the GPU smoke test to \`%help\` or the job script. Probes whose failure is handled
(\`nvidia-smi || true\`, \`if nvidia-smi; then\`, after \`command -v nvidia-smi\`) are not flagged.`,
    bad: `Bootstrap: docker
From: nvidia/cuda:12.4.1-devel-ubuntu22.04

%test
    nvidia-smi
    nvcc --version
`,
    good: `Bootstrap: docker
From: nvidia/cuda:12.4.1-devel-ubuntu22.04

%test
    nvcc --version
    nvidia-smi || echo "no GPU visible (expected on build hosts)"
`,
    source: 'Apptainer user guide "Build a container" (--nv during %post/%test), "Definition files" (%test, --notest)',
    needsShell: true,
    messages: {
      needsGpuWhichBuild:
        "'{{ baseName }}' in %{{ word }} needs a GPU, which build hosts usually lack (and only see with build --nv): guard it or move the check to the job script.",
      assertionRequiresGpuBuild: 'This assertion in %{{ word }} requires a GPU at build time; build hosts usually have none.',
    },
  },
});

const PROBES = new Set(['nvidia-smi', 'rocm-smi', 'amd-smi', 'rocminfo', 'deviceQuery', 'nvidia-debugdump', 'bandwidthTest']);

/** Python one-liners that assert a GPU is there. */
const PYTHON_GPU_ASSERT = /assert[^\n;]*(cuda\.is_available|cuda\.device_count|is_gpu_available|list_physical_devices\(\s*['"]GPU|cupy\.cuda|torch\.cuda)/;

const SECTIONS = new Set(['post', 'appinstall', 'test', 'apptest']);

/** `command -v nvidia-smi`, `which rocm-smi`, `type nvidia-smi`, `[ -x /usr/bin/nvidia-smi ]`. */
function guardedTools(script: ShellScript): Set<string> {
  const tools = new Set<string>();
  for (const cmd of script.commands) {
    if (['command', 'which', 'type', 'hash', '[', 'test'].includes(cmd.baseName)) {
      for (const arg of cmd.args) if (PROBES.has(baseNameOf(arg.text))) tools.add(baseNameOf(arg.text));
    }
  }
  return tools;
}

function pythonAssertsGpu(cmd: ShellCommand): boolean {
  if (!/^python[\d.]*$/.test(cmd.baseName)) return false;
  const c = cmd.args.findIndex((a) => a.text === '-c');
  return c !== -1 && cmd.args[c + 1] !== undefined && PYTHON_GPU_ASSERT.test(cmd.args[c + 1].text);
}
