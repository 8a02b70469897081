// DEF755: CUDA/ROCm base image without a version tag.
import { stageBase, type ImageRef } from '../../vocab/base-image.js';
import { defineRule } from '../../define-rule.js';

export const gpuBaseUnpinned = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const base = stageBase(ctx, stage);
      if (!base) return;
      const kind = gpuBaseKind(base.ref);
      if (!kind) return;
      const reason = unpinnedReason(kind, base.ref);
      if (!reason) return;
      ctx.report({
        messageId: 'gpuBaseImagePin',
        data: { base: base.value, reason, stack: kind === 'rocm' ? 'ROCm' : 'CUDA' },
        range: base.range,
      });
    },
  }),
  meta: {
    id: 'DEF755',
    slug: 'gpu-base-unpinned',
    group: 'gpu',
    defaultSeverity: 'warning',
    presets: ['recommended', 'hpc'],
    summary: 'nvidia/cuda, nvcr.io/nvidia/* or rocm/* base image without a version tag.',
    description: `A CUDA or ROCm base image decides which toolkit the application is compiled with, and that version
must be one the cluster's GPU driver supports (a CUDA 12.6 binary does not run on a driver that only
supports 12.2). \`nvidia/cuda:latest\`, an untagged \`rocm/dev-ubuntu-22.04\` or a tag without a version
(\`nvidia/cuda:devel\`) silently moves to a newer toolkit at the next build.

Write the full version in the tag: \`nvidia/cuda:12.4.1-devel-ubuntu22.04\`,
\`nvcr.io/nvidia/pytorch:24.05-py3\`, \`rocm/dev-ubuntu-22.04:6.1.2\` (or pin a digest). Bases given
through an unresolved \`{{ placeholder }}\` are left to DEF408.`,
    bad: `Bootstrap: docker
From: nvidia/cuda:latest

%post
    nvcc --version
`,
    good: `Bootstrap: docker
From: nvidia/cuda:12.4.1-devel-ubuntu22.04

%post
    nvcc --version
`,
    source: 'Apptainer user guide "GPU Support" (requirements: host driver must support the CUDA version)',
    messages: {
      gpuBaseImagePin: "GPU base image '{{ base }}' {{ reason }}: pin the {{ stack }} version so it stays one the cluster's driver supports.",
    },
  },
});

type GpuBase = 'cuda' | 'ngc' | 'rocm';

export function gpuBaseKind(ref: ImageRef): GpuBase | undefined {
  const repo = ref.repository;
  if (/^(nvcr\.io\/)?nvidia\/cuda(gl)?$/.test(repo)) return 'cuda';
  if (repo.startsWith('nvcr.io/nvidia/') || repo.startsWith('nvcr.io/hpc/')) return 'ngc';
  if (/^(docker\.io\/)?rocm\//.test(repo)) return 'rocm';
  return undefined;
}

/** Why the tag does not pin a CUDA/ROCm version, or undefined when it does. */
export function unpinnedReason(kind: GpuBase, ref: ImageRef): string | undefined {
  if (ref.digest) return undefined;
  if (ref.tag === undefined) return 'has no tag (so it means :latest)';
  if (ref.tag === 'latest') return "uses the moving tag 'latest'";
  // nvidia/cuda tags start with the CUDA version (12.4.1-devel-ubuntu22.04); others carry it somewhere.
  const pinned = kind === 'cuda' ? /^\d+\.\d+(\.\d+)?(-|$)/.test(ref.tag) : /\d+\.\d+/.test(ref.tag);
  return pinned ? undefined : `has tag '${ref.tag}', which names no ${kind === 'rocm' ? 'ROCm' : 'CUDA'} version`;
}
