// NVIDIA HPC-X: how its release tarballs are named and laid out. HPC-X cannot be downloaded or
// built here: every fact below rests on the cited documents, not on a tarball that was unpacked.
//
// Sources:
//   hpcx-docs   NVIDIA HPC-X Software Toolkit Rev 2.22.0, "Installing and Loading HPC-X"
//               (https://docs.nvidia.com/networking/display/hpcx222/Installing+and+Loading+HPC-X):
//               the naming scheme `hpcx-<version>-<compiler>-<doca>-<distro>-<cuda>-<arch>.tbz`,
//               `export HPCX_HOME=$PWD`, `source $HPCX_HOME/hpcx-init.sh; hpcx_load`, and "HPC-X
//               includes Open MPI v4.1.x" (the same text in Rev 2.19.0 and 2.21.3 LTS).
//   hpccm       NVIDIA hpc-container-maker, hpccm/building_blocks/hpcx.py and test/test_hpcx.py at
//               commit 37f7b95a6a3d478ec52b620abf0cd93572ab3e08 (2026-04-17)
//               (https://github.com/NVIDIA/hpc-container-maker/blob/master/hpccm/building_blocks/hpcx.py):
//               the download URL `https://content.mellanox.com/hpc/hpc-x/v<version>/` (`v<version>_<cuda>/`
//               from 2.24), the OFED label (`gcc-doca_ofed` from 2.21, `gcc-mlnx_ofed` 2.16-2.20,
//               `gcc-inbox`), the CUDA label (`cuda12` for 2.17-2.23, chosen from 2.24: `cuda13`
//               default), the OS labels (`ubuntu22.04`, `ubuntu24.04`, `redhat8`, `redhat9`), and the
//               environment that replaces `hpcx-init.sh` (`hpcxinit=False`: HPCX_DIR, OPAL_PREFIX, ...).
import type { Arch, Release } from './distros.js';

/** Which OFED the tarball is built against: DOCA-OFED, MLNX_OFED, or the distribution's rdma-core. */
export type HpcxOfed = 'doca' | 'mlnx' | 'inbox';

export const HPCX_SOURCE = 'NVIDIA HPC-X 2.22 docs, "Installing and Loading HPC-X"; hpccm hpcx building block (NVIDIA/hpc-container-maker@37f7b95)';

/** The first release whose file name has the `<ofed>-<os>-<cuda>-<arch>` shape handled here (hpccm). */
export const HPCX_MIN_VERSION = '2.17';

/** Where NVIDIA publishes the tarballs (hpccm's `baseurl`). */
export const HPCX_BASE_URL = 'https://content.mellanox.com/hpc/hpc-x';

/** The architectures named in HPC-X tarballs that hpccm builds URLs for. */
export const HPCX_ARCHES: readonly Arch[] = ['x86_64', 'aarch64'];

function atLeast(version: string, than: string): boolean {
  const a = version.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** Whether the version is one the naming rules here cover (2.17 or newer, `X.Y` or `X.Y.Z`). */
export function hpcxVersionSupported(version: string): boolean {
  return /^\d+\.\d+(\.\d+)?$/.test(version) && atLeast(version, HPCX_MIN_VERSION);
}

/** The default OFED flavour of a release: DOCA-OFED from 2.21, MLNX_OFED before (hpccm). */
export function hpcxDefaultOfed(version: string): HpcxOfed {
  return atLeast(version, '2.21') ? 'doca' : 'mlnx';
}

/** The OFED part of the file name (hpccm `ofedlabel`, or `gcc-inbox`). */
export function hpcxOfedLabel(ofed: HpcxOfed): string {
  return ofed === 'inbox' ? 'gcc-inbox' : ofed === 'doca' ? 'gcc-doca_ofed' : 'gcc-mlnx_ofed';
}

/** The CUDA label: chosen from 2.24 on (`cuda12`/`cuda13`), `cuda12` for 2.17-2.23 (hpccm `buildlabel`). */
export function hpcxDefaultCuda(version: string, cudaVersion: string | undefined): string {
  if (!atLeast(version, '2.24')) return 'cuda12';
  const major = cudaVersion ? /^(\d+)/.exec(cudaVersion)?.[1] : undefined;
  return major === '12' ? 'cuda12' : 'cuda13';
}

/** Whether a release lets the CUDA label be chosen (2.24 and later publish one tarball per CUDA major). */
export function hpcxCudaChoosable(version: string): boolean {
  return atLeast(version, '2.24');
}

/** NVIDIA's distribution label for a release the facts know (hpccm `oslabel`); undefined otherwise. */
export function hpcxOsLabel(release: Release | undefined): string | undefined {
  if (!release) return undefined;
  if (release.distro === 'ubuntu') return `ubuntu${release.id}`;
  if (release.distro === 'el8') return 'redhat8';
  if (release.distro === 'el9') return 'redhat9';
  return undefined;
}

export interface HpcxTarball {
  /** `hpcx-v2.22.1-gcc-doca_ofed-ubuntu22.04-cuda12-x86_64` (also the tarball's top folder, hpccm). */
  label: string;
  url: string;
}

export function hpcxTarball(t: { version: string; ofed: HpcxOfed; osLabel: string; cuda: string; arch: Arch }): HpcxTarball {
  const label = `hpcx-v${t.version}-${hpcxOfedLabel(t.ofed)}-${t.osLabel}-${t.cuda}-${t.arch}`;
  const dir = hpcxCudaChoosable(t.version) ? `v${t.version}_${t.cuda}` : `v${t.version}`;
  return { label, url: `${HPCX_BASE_URL}/${dir}/${label}.tbz` };
}

/**
 * The components under HPC_X's top folder whose libraries the image's environment lists, in
 * hpcx-init.sh's `hpcx_load` order (hpccm `hpcxinit=False`; `ucc` as in HPC-X 2.11 and later).
 */
export const HPCX_LIBRARY_DIRS = ['ompi/lib', 'hcoll/lib', 'sharp/lib', 'ucx/lib', 'ucx/lib/ucx', 'ucc/lib', 'ucc/lib/ucc', 'nccl_rdma_sharp_plugin/lib'];

/** The components whose programs go on PATH (hpccm `hpcxinit=False`, plus `ucc/bin`). */
export const HPCX_BIN_DIRS = ['ompi/bin', 'ucx/bin', 'ucc/bin', 'hcoll/bin'];
