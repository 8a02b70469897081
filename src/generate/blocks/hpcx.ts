// NVIDIA HPC-X: the vendor's binary release (Open MPI 4.1.x with UCX, UCC, HCOLL and SHARP),
// unpacked from its tarball, never built. The environment is set explicitly as hpccm does with
// `hpcxinit=False`: NVIDIA's `hpcx-init.sh` is a bash script with a `hpcx_load` function, which
// %environment (run by /bin/sh) cannot call and `apptainer exec` would never reach from a bashrc.
// %test still runs NVIDIA's loader, so a tarball whose layout differs fails the build.
import { HPCX_BIN_DIRS, HPCX_LIBRARY_DIRS, hpcxTarball } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { emptyBlock, fetchSource, outputMustMention, prepend, type Block } from './block.js';
import { mpiCompatEnv, packagesOf } from './mpi-common.js';
import { openmpiTests } from './openmpi.js';

/** The HPC-X tarball of a plan (the OS label is a placeholder when unknown: the recipe rules reject that). */
export function hpcxTarballOf(plan: Plan) {
  const h = plan.hpcx!;
  return hpcxTarball({ version: h.version, ofed: h.ofed, osLabel: h.osLabel ?? 'unknown-os', cuda: h.cuda, arch: plan.arch });
}

/** CUDA libraries HPC-X's CUDA components (UCX's cuda transports) link; absent in an image without CUDA. */
const CUDA_LIBRARIES = ['libcuda[.]so', 'libcudart[.]so', 'libnvidia-ml[.]so'];

export function hpcx(plan: Plan): Block {
  const h = plan.hpcx!;
  const p = plan.mpiPrefix;
  const block = emptyBlock('hpcx', 'mpi', `NVIDIA HPC-X ${h.version} (release tarball: Open MPI 4.1.x, UCX, UCC, HCOLL)`);
  block.after = ['toolchain', 'rdma-core', 'cuda', 'gdrcopy'];
  // hpccm's hpcx block installs libnuma and an ssh client next to the tarball.
  block.buildPackages = packagesOf(plan, 'build', 'numa', 'ssh-client');
  block.runtimePackages = packagesOf(plan, 'runtime', 'numa', 'ssh-client');
  block.build = [
    ...fetchSource(block, plan, 'hpcx', hpcxTarballOf(plan).url),
    // A relocatable binary tree: copied as it is (hpccm: `cp -a`), nothing is configured or compiled.
    `mkdir -p ${p}`,
    `cp -a . ${p}/`,
  ];
  const ompi = `${p}/ompi`;
  block.env = [
    ['HPCX_HOME', p],
    ['HPCX_DIR', p],
    ['HPCX_MPI_DIR', ompi],
    ['HPCX_UCX_DIR', `${p}/ucx`],
    ['HPCX_UCC_DIR', `${p}/ucc`],
    ['HPCX_HCOLL_DIR', `${p}/hcoll`],
    ['HPCX_SHARP_DIR', `${p}/sharp`],
    ['HPCX_NCCL_RDMA_SHARP_PLUGIN_DIR', `${p}/nccl_rdma_sharp_plugin`],
    ['OMPI_HOME', ompi],
    ['MPI_HOME', ompi],
    // The Open MPI inside was built for another prefix: OPAL_PREFIX relocates it (hpccm, hpcx-init.sh).
    ['OPAL_PREFIX', ompi],
  ];
  for (const dir of [...HPCX_BIN_DIRS].reverse()) block.env.push(prepend('PATH', `${p}/${dir}`));
  for (const dir of [...HPCX_LIBRARY_DIRS].reverse()) block.env.push(prepend('LD_LIBRARY_PATH', `${p}/${dir}`));
  block.env.push(...mpiCompatEnv(plan));
  block.copies = [p];
  // The MPI and its transport: their ELF files must resolve (HPC-X's tools and plugins for other
  // hardware, such as clusterkit or the NCCL plugin, are not part of the check).
  block.lddRoots = [ompi, `${p}/ucx`];
  if (plan.gpu !== 'nvidia') block.hostLibraries = CUDA_LIBRARIES;
  block.tests = [
    `test -x ${ompi}/bin/ompi_info`,
    `test -f ${p}/hpcx-init.sh`,
    // NVIDIA's own loader (HPC-X docs: source hpcx-init.sh; hpcx_load) finds the bundled mpirun.
    ...outputMustMention(
      `bash -c '. ${p}/hpcx-init.sh && hpcx_load && command -v mpirun'`,
      `${ompi}/bin/mpirun`,
      `HPC-X ${h.version} loader (hpcx-init.sh, hpcx_load)`,
    ),
    ...openmpiTests(plan, `${ompi}/bin/ompi_info`, `${ompi}/lib/libmpi.so`),
  ];
  return block;
}
