// DEF751: GPU kernel-driver userspace or kernel bits installed into the image.
import type { Fix, ShellCommand } from '../../types.js';
import { hasAnyFlag } from '../../shell/commands.js';
import { baseNameOf, isBuildSection, installsOsPackages, packageInstall } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';
import { DRIVER_INSTALLER_FILE, driverPackage } from '../../../facts/index.js';

export const gpuDriverInImage = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (!isBuildSection(script.section)) return;
      const install = packageInstall(cmd);
      for (const pkg of install && installsOsPackages(install.manager) ? install.packages : []) {
        const verdict = driverPackage(pkg.name);
        if (!verdict) continue;
        const suggestions: Fix[] = [];
        if (verdict.replacement && pkg.word.isStatic && pkg.word.raw === pkg.name) {
          suggestions.push(replaceWord(pkg.word.range.start.offset, pkg.word.range.end.offset, verdict.replacement, `Install ${verdict.replacement} instead`));
        }
        ctx.report({
          messageId: verdict.kernel ? 'kernelDriversBelongHost' : 'hostSDriverBound',
          data: { pkg: pkg.name, why: verdict.why },
          range: pkg.word.range,
          suggestions: suggestions.length > 0 ? suggestions : undefined,
        });
      }
      const why = driverCommand(cmd);
      if (why) ctx.report({ messageId: 'gpuDriverImage', data: { why }, range: cmd.nameRange });
    },
  }),
  meta: {
    id: 'DEF751',
    slug: 'gpu-driver-in-image',
    group: 'gpu',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended', 'hpc'],
    summary: 'GPU driver (NVIDIA driver libraries, cuda-drivers, amdgpu-dkms) installed in the image.',
    description: `The GPU driver belongs to the host: its user-space libraries (\`libcuda.so\`, \`libnvidia-*\`)
must match the kernel module the host runs. \`apptainer run --nv\` / \`--rocm\` binds the host's copies into
the container, but libraries already in the image's library path win, so a driver installed at build
time shadows the host's and fails with "driver/library version mismatch" or "no CUDA-capable device".

Flagged in \`%post\`/\`%appinstall\`:

- packages: \`nvidia-driver*\`, \`cuda-drivers*\`, \`libnvidia-*\` (not \`libnvidia-container*\`), \`nvidia-utils-*\`,
  \`libcuda1\`, \`nvidia-dkms-*\`, \`nvidia-headless-*\`, \`nvidia-open*\`, \`xserver-xorg-video-nvidia*\`, \`kmod-nvidia*\`,
  \`amdgpu-dkms\`, \`dkms\` (not \`nvidia-modprobe\`, a helper that loads the host's module; the list is
  src/facts/drivers.ts, which the generator uses too);
- the \`cuda\`, \`cuda-X-Y\` and \`cuda-runtime-X-Y\` metapackages, which pull in \`cuda-drivers\` (a
  suggestion replaces them by \`cuda-toolkit[-X-Y]\` / \`cuda-libraries[-X-Y]\`);
- \`NVIDIA-Linux-*.run\`, a CUDA \`cuda_*.run\` without \`--toolkit\` (or with \`--driver\`), \`nvidia-installer\`,
  \`amdgpu-install\` without \`--no-dkms\`, and \`modprobe\`/\`insmod\`/\`dkms\` commands.

The CUDA toolkit and runtime libraries (\`cuda-toolkit-*\`, \`cuda-libraries-*\`, \`cuda-cudart-*\`,
\`nvidia-cuda-toolkit\`) are fine; so are \`nvidia/cuda\` base images, which ship no driver.`,
    bad: `Bootstrap: docker
From: nvidia/cuda:12.4.1-devel-ubuntu22.04

%post
    apt-get update
    apt-get install -y --no-install-recommends nvidia-driver-550 libnvidia-compute-550
`,
    good: `Bootstrap: docker
From: nvidia/cuda:12.4.1-devel-ubuntu22.04

%post
    apt-get update
    apt-get install -y --no-install-recommends cuda-toolkit-12-4 libcudnn9-cuda-12
`,
    source: 'Apptainer user guide "GPU Support" (--nv/--rocm bind host libraries); "Build a container" (--nv during %post)',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      kernelDriversBelongHost: "'{{ pkg }}' {{ why }}: kernel drivers belong to the host, whose driver --nv/--rocm bind in at run time.",
      hostSDriverBound: "'{{ pkg }}' {{ why }}: the host's driver is bound in at run time (--nv/--rocm) and a copy in the image shadows it.",
      gpuDriverImage: 'GPU driver in the image: {{ why }}.',
    },
  },
});

// The classifier lives in src/facts so the generator rejects exactly what this rule flags.
export { driverPackage };

/** Commands that install or load kernel drivers. */
function driverCommand(cmd: ShellCommand): string | undefined {
  const base = cmd.baseName;
  if (base === 'modprobe' || base === 'insmod') return `'${base}' loads kernel modules: the host kernel's modules are not the image's business`;
  if (base === 'dkms') return "'dkms' builds kernel modules for the build host's kernel, not the cluster's";
  if (base === 'nvidia-installer') return "'nvidia-installer' installs the NVIDIA driver";
  const runfile = [cmd.name, ...((base === 'sh' || base === 'bash') && cmd.args[0] ? [cmd.args[0].text] : [])].map(baseNameOf);
  if (runfile.some((f) => DRIVER_INSTALLER_FILE.test(f))) return 'the NVIDIA-Linux-*.run installer installs the driver';
  const args = base === 'sh' || base === 'bash' ? cmd.args.slice(1) : cmd.args;
  if (runfile.some((f) => /^cuda_.*\.run$/.test(f)) && (hasAnyFlag(args, '--driver') || !hasAnyFlag(args, '--toolkit'))) {
    return 'the CUDA runfile installs the driver unless it is run with --toolkit (and without --driver)';
  }
  if (base === 'amdgpu-install' && !hasAnyFlag(cmd, '--no-dkms')) return "'amdgpu-install' without --no-dkms builds the amdgpu kernel driver";
  return undefined;
}

function replaceWord(start: number, end: number, text: string, description: string): Fix {
  return { description, edits: [{ start, end, text }] };
}
