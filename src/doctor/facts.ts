// Compatibility facts the doctor judges with, each with its source. Kept in one file so they can
// move to a shared facts module (src/facts/, issue 10) without touching the verdict code.

// ---- NVIDIA: minimum driver per CUDA toolkit --------------------------------------------------------
//
// Source: NVIDIA CUDA Toolkit Release Notes, table "CUDA Toolkit and Corresponding Driver Versions"
// (Linux x86_64 column, "Toolkit Driver Version"), https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/
// and its archived per-release copies (docs.nvidia.com/cuda/archive/<version>/cuda-toolkit-release-notes).
// Keys are toolkit versions `major.minor.update` as NVIDIA tags them (12.4.1 = 12.4 Update 1).

export const CUDA_TOOLKIT_DRIVER: readonly (readonly [string, string])[] = [
  ['10.0.130', '410.48'],
  ['10.1.105', '418.39'],
  ['10.2.89', '440.33'],
  ['11.0.2', '450.51.05'],
  ['11.0.3', '450.51.06'],
  ['11.1.0', '455.23'],
  ['11.1.1', '455.32'],
  ['11.2.0', '460.27.03'],
  ['11.2.1', '460.32.03'],
  ['11.2.2', '460.32.03'],
  ['11.3.0', '465.19.01'],
  ['11.3.1', '465.19.01'],
  ['11.4.0', '470.42.01'],
  ['11.4.1', '470.57.02'],
  ['11.4.2', '470.57.02'],
  ['11.4.3', '470.82.01'],
  ['11.4.4', '470.82.01'],
  ['11.5.0', '495.29.05'],
  ['11.5.1', '495.29.05'],
  ['11.5.2', '495.29.05'],
  ['11.6.0', '510.39.01'],
  ['11.6.1', '510.47.03'],
  ['11.6.2', '510.47.03'],
  ['11.7.0', '515.43.04'],
  ['11.7.1', '515.48.07'],
  ['11.8.0', '520.61.05'],
  ['12.0.0', '525.60.13'],
  ['12.0.1', '525.85.12'],
  ['12.1.0', '530.30.02'],
  ['12.1.1', '530.30.02'],
  ['12.2.0', '535.54.03'],
  ['12.2.1', '535.86.09'],
  ['12.2.2', '535.104.05'],
  ['12.3.0', '545.23.06'],
  ['12.3.1', '545.23.08'],
  ['12.3.2', '545.23.08'],
  ['12.4.0', '550.54.14'],
  ['12.4.1', '550.54.15'],
  ['12.5.0', '555.42.02'],
  ['12.5.1', '555.42.06'],
  ['12.6.0', '560.28.03'],
  ['12.6.1', '560.35.03'],
  ['12.6.2', '560.35.03'],
  ['12.6.3', '560.35.05'],
  ['12.8.0', '570.26'],
  ['12.8.1', '570.124.06'],
  ['12.9.0', '575.51.03'],
  ['12.9.1', '575.57.08'],
  ['13.0.0', '580.65.06'],
];

// Source: NVIDIA "CUDA Compatibility", section "Minor Version Compatibility", table "CUDA Toolkit
// 11.x, 12.x, and 13.x Driver Version Ranges" (https://docs.nvidia.com/deploy/cuda-compatibility/
// minor-version-compatibility.html): from CUDA 11 on, an application built with any toolkit of a
// major family runs, with a limited feature set (no JIT of newer PTX), on a driver at least this
// new. CUDA 11.x needs 450.80.02 for the whole family (the note under that table).
export const CUDA_MINOR_COMPAT_DRIVER: Readonly<Record<number, string>> = { 11: '450.80.02', 12: '525.60.13', 13: '580' };

/** Compares dotted numeric versions (`550.54.15` vs `550.54.14`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `12.4` → `12.4.0`; `12.4.1` stays. */
function toolkitKey(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return m ? `${m[1]}.${m[2]}.${m[3] ?? '0'}` : undefined;
}

export interface CudaDriverNeed {
  /** The driver this toolkit release was published with (full support). */
  full: string;
  /** The table row used (the nearest release at or below the image's). */
  row: string;
  /** The family minimum under minor version compatibility, when the family has one. */
  minorCompat?: string;
}

/** Driver needed by a CUDA toolkit version, or undefined when the table does not know it. */
export function cudaDriverNeed(cuda: string): CudaDriverNeed | undefined {
  const key = toolkitKey(cuda);
  if (!key) return undefined;
  const [major, minor] = key.split('.').map(Number);
  // The nearest published release of the same major.minor at or below the image's update.
  const rows = CUDA_TOOLKIT_DRIVER.filter(([v]) => {
    const [ma, mi] = v.split('.').map(Number);
    return ma === major && mi === minor && compareVersions(v, key) <= 0;
  });
  const sameMinor = CUDA_TOOLKIT_DRIVER.filter(([v]) => v.startsWith(`${major}.${minor}.`));
  const row = rows.length ? rows[rows.length - 1] : sameMinor[0];
  if (!row) return undefined;
  return { full: row[1], row: row[0], minorCompat: CUDA_MINOR_COMPAT_DRIVER[major] };
}

/** The newest CUDA release (`12.4.1`) this driver fully supports, per the table. */
export function newestCudaFor(driver: string): string | undefined {
  let best: string | undefined;
  for (const [cuda, need] of CUDA_TOOLKIT_DRIVER) if (compareVersions(driver, need) >= 0) best = cuda;
  return best;
}

// ---- MPI ABI and sonames -----------------------------------------------------------------------------
//
// Open MPI: libmpi.so.40 from 3.0 through 5.x, libmpi.so.20 in 2.x, libmpi.so.12 in 1.10 (Open MPI's
// "Version numbers and binary compatibility" docs page, https://docs.open-mpi.org/en/main/version-numbering.html,
// and the shared-library versions in each release's VERSION file).
// MPICH ABI: MPICH >= 3.1, Intel MPI >= 5.0, MVAPICH2 >= 2.0 and Cray MPICH share libmpi.so.12
// (MPICH ABI Compatibility Initiative, https://www.mpich.org/abi/); MPICH installs it as
// libmpich.so.12 with libmpi.so.12 next to it; Cray MPICH as libmpi_<compiler>.so.12.

export type Abi = 'openmpi' | 'mpich';

/** ABI of an MPI library file name, using the host MPI's family to split the one ambiguous case. */
export function abiOfLibrary(soname: string, family?: string): Abi | undefined {
  const m = /^lib(mpi|mpich|mpi_(?:gnu|cray|intel|nvidia|amd|aocc)[a-z0-9_]*)\.so\.(\d+)$/.exec(soname);
  if (!m) return undefined;
  const [, name, major] = m;
  if (name === 'mpich' || name.startsWith('mpi_')) return major === '12' ? 'mpich' : undefined;
  if (major === '40' || major === '20') return 'openmpi';
  if (major === '12') return family === 'openmpi' ? 'openmpi' : 'mpich'; // Open MPI 1.10 also used .12
  return undefined;
}

export function abiOfFamily(family: string): Abi | undefined {
  if (family === 'openmpi') return 'openmpi';
  if (family === 'mpich' || family === 'mvapich2' || family === 'intelmpi' || family === 'cray-mpich') return 'mpich';
  return undefined;
}

/** The library a binary compiled against this ABI looks for. */
export const ABI_SONAME: Readonly<Record<Abi, string>> = { openmpi: 'libmpi.so.40', mpich: 'libmpi.so.12' };

// ---- Hybrid model: host launcher vs image MPI ----------------------------------------------------------
//
// Apptainer's MPI guide (apptainer.org/docs/user/main/mpi.html, "Hybrid model"): the MPI in the image
// must be compatible with the host's, identical versions are the safe choice, and the launcher and the
// image MPI must speak the same process-management interface. Open MPI 5 replaced its ORTE runtime by
// PRRTE (Open MPI 5.0 release notes), so a 4.x mpirun cannot start 5.x ranks and vice versa: a
// different Open MPI major is a mismatch, a different minor a warning.

export const MPI_NAMES: Readonly<Record<string, string>> = {
  openmpi: 'Open MPI',
  mpich: 'MPICH',
  mvapich2: 'MVAPICH2',
  intelmpi: 'Intel MPI',
  'cray-mpich': 'Cray MPICH',
};

export function mpiName(family: string | undefined, version?: string): string {
  const name = (family && MPI_NAMES[family]) ?? family ?? 'an unknown MPI';
  return version ? `${name} ${version}` : name;
}
