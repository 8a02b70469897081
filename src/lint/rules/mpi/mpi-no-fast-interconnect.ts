// DEF705: MPI built with no high-speed interconnect support (TCP fallback).
import type { ShellScript } from '../../types.js';
import type { Stage } from '../../../parse/model.js';
import { configureRuns, lintConfigureRuns, hasOpaqueArgs, packageInstalls, splitFlag, isNegativeValue, baseNameOf } from '../../vocab/mpi.js';
import { defineRule } from '../../define-rule.js';

export const mpiNoFastInterconnect = defineRule({
  check(ctx) {
    const fabricByStage = new Map<Stage, boolean>();
    for (const run of lintConfigureRuns(ctx.scripts)) {
      if (!run.family || run.family === 'mvapich') continue; // MVAPICH2's default device (ch3:mrail) is verbs
      if (hasOpaqueArgs(run.args) || run.args.some((a) => enablesFabric(a.text))) continue;
      const stage = run.script.stage;
      if (!fabricByStage.has(stage)) fabricByStage.set(stage, stageHasFabric(stage, ctx.scripts));
      if (fabricByStage.get(stage)) continue;
      ctx.report({
        messageId: 'builtWithoutFastInterconnect',
        data: { mpi: run.family === 'openmpi' ? 'Open MPI' : 'MPICH' },
        range: run.configureRange,
      });
    }
  },
  meta: {
    id: 'DEF705',
    slug: 'mpi-no-fast-interconnect',
    group: 'mpi',
    defaultSeverity: 'info',
    presets: ['recommended', 'hpc'],
    summary: 'MPI built without UCX/OFI/verbs/PSM2 support: it falls back to TCP on InfiniBand, Omni-Path or Slingshot.',
    description: `An MPI inside a container only uses the cluster's high-speed network if it was built with the
user-space library for it: UCX or verbs (InfiniBand, RoCE), OFI/libfabric (Omni-Path, Slingshot, EFA), PSM2
(Omni-Path). Without them it silently runs over TCP, often ten times slower, and nothing fails.

The rule fires for an Open MPI, MPICH or MVAPICH \`./configure\` (followed through \`cd\`) that has no fabric
option (\`--with-ucx\`, \`--with-ofi\`/\`--with-libfabric\`, \`--with-verbs\`, \`--with-psm2\`,
\`--with-device=ch4:ofi|ch4:ucx\`...) when the same stage also installs no fabric packages
(\`rdma-core\`, \`libibverbs-dev\`, \`libucx-dev\`, \`libfabric-dev\`, \`libpsm2-dev\`...) and builds no UCX or
libfabric from source: with those present, the MPI's configure finds them on its own.`,
    bad: `Bootstrap: docker
From: rockylinux:9

%post
    dnf install -y gcc gcc-c++ make wget bzip2 pmix-devel
    wget -q https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.6.tar.bz2
    tar xf openmpi-4.1.6.tar.bz2
    cd openmpi-4.1.6
    ./configure --prefix=/opt/ompi --with-pmix=/usr
    make -j4 install
`,
    good: `Bootstrap: docker
From: rockylinux:9

%post
    dnf install -y gcc gcc-c++ make wget bzip2 pmix-devel ucx-devel rdma-core-devel
    wget -q https://download.open-mpi.org/release/open-mpi/v4.1/openmpi-4.1.6.tar.bz2
    tar xf openmpi-4.1.6.tar.bz2
    cd openmpi-4.1.6
    ./configure --prefix=/opt/ompi --with-pmix=/usr --with-ucx=/usr
    make -j4 install
`,
    source: 'Apptainer user guide "MPI" (interconnects); IMTEK-Simulation/code-snippets README (PSM2 vs UCX)',
    needsShell: true,
    messages: {
      builtWithoutFastInterconnect:
        '{{ mpi }} is built without a fast interconnect (no --with-ucx/--with-ofi/--with-verbs, no rdma-core/UCX/libfabric packages): it will fall back to TCP.',
    },
  },
});

/** Configure flags that enable a fabric transport. */
function enablesFabric(flag: string): boolean {
  const { name, value } = splitFlag(flag);
  if (isNegativeValue(value)) return false;
  if (/^--with-(ucx|ofi|libfabric|verbs|psm|psm2|psm3|mxm|ugni|portals4|hcoll|ucc|cray-xpmem|ib|mlx|ibverbs|rdma|gni|cxi)$/.test(name)) return true;
  // MPICH/MVAPICH device: ch4:ofi, ch4:ucx, ch3:nemesis:ofi|ib|mxm, ch3:mrail, ch3:psm.
  if (name === '--with-device') return value !== undefined && /(ofi|ucx|mrail|psm|ib|mxm|portals|llc)/.test(value);
  return false;
}

/** User-space fabric packages; when present at configure time the MPI picks them up by itself. */
const FABRIC_PACKAGE =
  /^(rdma-core.*|libibverbs.*|librdmacm.*|ibverbs-providers|libfabric.*|ucx.*|libucx.*|libpsm2.*|libpsm-infinipath.*|libpsm3.*|opa-.*|mlnx-.*|mlnx_ofed.*|doca-.*|infiniband-diags|libmlx[45].*|libcxi.*|.*-ohpc)$/;

/** Source trees of fabric libraries (`ucx-1.16.0`, `libfabric-1.21.0`, `rdma-core-50.0`). */
const FABRIC_SOURCE = /^(ucx|libfabric|rdma-core|opa-psm2|psm2|libpsm2)([-_.]|$)/i;

function stageHasFabric(stage: Stage, scripts: readonly ShellScript[]): boolean {
  const inStage = scripts.filter((s) => s.stage === stage);
  for (const { install } of packageInstalls(inStage)) {
    if (install.packages.some((p) => FABRIC_PACKAGE.test(p.name))) return true;
  }
  for (const run of configureRuns(inStage)) {
    const dir = run.dir[run.dir.length - 1];
    if (dir && FABRIC_SOURCE.test(dir)) return true;
  }
  // Vendor OFED installers (`./mlnxofedinstall --user-space-only`).
  return inStage.some((s) => s.commands.some((c) => /^mlnxofedinstall|^doca-ofed/.test(baseNameOf(c.name))));
}
