// Host MPI probes: which MPI the host's launcher belongs to (`mpirun --version`, refined by
// `ompi_info --parsable`, `mpichversion` or `mpiname -a`), where it lives (MPI_DIR and the usual
// module variables, else the launcher's prefix) and the ABI of its library (the `libmpi.so.N` in
// that prefix, else the dynamic linker's cache from `ldconfig -p`).
import path from 'node:path';
import { found, unknown, type HostMpi, type HostMpiFamily, type Known, type MpiLibrary } from '../../host/facts.js';
import { abiOfLibrary } from '../facts.js';
import { probeCommand, type HostAccess } from '../access.js';

/** Family and version from `mpirun --version` (Open MPI, Intel MPI, MPICH/MVAPICH2 Hydra). */
export function parseMpirunVersion(text: string): { family: HostMpiFamily; version?: string } | undefined {
  const ompi = /\(Open(?: |\s*)MPI\)\s+v?(\d+\.\d+(?:\.\d+)?\w*)/i.exec(text) ?? /Open MPI\s+v?(\d+\.\d+(?:\.\d+)?)/i.exec(text);
  if (ompi) return { family: 'openmpi', version: ompi[1] };
  const intel = /Intel\(R\) MPI Library[^\n]*?Version\s+(\d+(?:\.\d+)*)/i.exec(text);
  if (intel) return { family: 'intelmpi', version: intel[1] };
  if (/MVAPICH/i.test(text)) return { family: 'mvapich2', version: /MVAPICH2?\s+v?(\d+\.\d+(?:\.\d+)?\w*)/i.exec(text)?.[1] };
  if (/HYDRA build details/i.test(text)) {
    // Hydra's own version follows MPICH's since MPICH 3.3 (it ships in the MPICH tarball).
    return { family: 'mpich', version: /^\s*Version:\s*(\d+\.\d+(?:\.\d+)?\w*)/m.exec(text)?.[1] };
  }
  return undefined;
}

/** `MPICH Version:  4.1.2` → 4.1.2. */
export function parseMpichversion(text: string): string | undefined {
  return /MPICH Version:\s*(\d+\.\d+(?:\.\d+)?\w*)/i.exec(text)?.[1];
}

/** `ompi:version:full:4.1.4` from `ompi_info --parsable`. */
export function parseOmpiInfo(text: string): string | undefined {
  return /^ompi:version:full:(\S+)/m.exec(text)?.[1];
}

/** `MVAPICH2 2.3.7 Wed March 02 22:00:00 EST 2022 ch3:mrail` from `mpiname -a`. */
export function parseMpiname(text: string): string | undefined {
  return /MVAPICH2?\s+(\d+\.\d+(?:\.\d+)?\w*)/i.exec(text)?.[1];
}

/** Environment variables that name an MPI prefix, in order of trust. */
const PREFIX_VARIABLES = ['MPI_DIR', 'MPI_HOME', 'MPI_ROOT', 'I_MPI_ROOT', 'CRAY_MPICH_DIR', 'MPICH_DIR', 'OMPI_DIR', 'MVAPICH2_HOME'];

export async function probeLauncher(host: HostAccess, timeoutMs: number): Promise<Known<HostMpi>> {
  const [mpirun, ompiInfo, mpichversion, mpiname] = await Promise.all([
    probeCommand(host, ['mpirun', '--version'], timeoutMs),
    probeCommand(host, ['ompi_info', '--parsable'], timeoutMs),
    probeCommand(host, ['mpichversion'], timeoutMs),
    probeCommand(host, ['mpiname', '-a'], timeoutMs),
  ]);
  const launcherPath = host.which('mpirun');
  const fromMpirun = mpirun.ok ? parseMpirunVersion(mpirun.text) : undefined;
  const ompiVersion = ompiInfo.ok ? parseOmpiInfo(ompiInfo.text) : undefined;
  const mpichVersion = mpichversion.ok ? parseMpichversion(mpichversion.text) : undefined;
  const mvapichVersion = mpiname.ok ? parseMpiname(mpiname.text) : undefined;
  if (fromMpirun) {
    const mpi: HostMpi = { family: fromMpirun.family, version: fromMpirun.version, tool: 'mpirun --version', path: launcherPath };
    // The dedicated tools know the exact version; use them when they describe the same MPI.
    if (mpi.family === 'openmpi' && ompiVersion) Object.assign(mpi, { version: ompiVersion, tool: 'mpirun --version, ompi_info --parsable' });
    if (mpi.family === 'mpich' && mvapichVersion) Object.assign(mpi, { family: 'mvapich2', version: mvapichVersion, tool: 'mpirun --version, mpiname -a' });
    else if (mpi.family === 'mpich' && mpichVersion) Object.assign(mpi, { version: mpichVersion, tool: 'mpirun --version, mpichversion' });
    return found(mpi, mpi.tool);
  }
  if (ompiVersion) return found({ family: 'openmpi', version: ompiVersion, tool: 'ompi_info --parsable' }, 'ompi_info --parsable');
  if (mvapichVersion) return found({ family: 'mvapich2', version: mvapichVersion, tool: 'mpiname -a' }, 'mpiname -a');
  if (mpichVersion) return found({ family: 'mpich', version: mpichVersion, tool: 'mpichversion' }, 'mpichversion');
  // Cray systems have no mpirun: the cray-mpich module sets CRAY_MPICH_DIR and jobs use srun.
  const cray = host.env('CRAY_MPICH_DIR');
  if (cray) {
    const version = /mpich\/(\d+\.\d+\.\d+)/.exec(cray)?.[1];
    return found({ family: 'cray-mpich', version, tool: 'CRAY_MPICH_DIR' }, `CRAY_MPICH_DIR=${cray}`);
  }
  if (mpirun.ok) return unknown(`mpirun --version did not name a known MPI: ${mpirun.text.trim().split('\n')[0].slice(0, 80)}`);
  return unknown(`${mpirun.reason}; ompi_info, mpichversion and mpiname gave nothing either (load the site's MPI module first?)`);
}

export function probeMpiDir(host: HostAccess, launcher: Known<HostMpi>): Known<string> {
  for (const name of PREFIX_VARIABLES) {
    const value = host.env(name);
    if (value && value.startsWith('/')) return found(value.replace(/\/+$/, '') || '/', `$${name}`);
  }
  const launcherPath = launcher.status === 'found' ? launcher.value.path : undefined;
  if (launcherPath && path.basename(path.dirname(launcherPath)) === 'bin') {
    return found(path.dirname(path.dirname(launcherPath)), `prefix of ${launcherPath}`);
  }
  return unknown(`none of ${PREFIX_VARIABLES.map((v) => `$${v}`).join(', ')} is set and no mpirun is on PATH`);
}

// libmpi.so.N, libmpich.so.N, and Cray MPICH's per-compiler libmpi_gnu_91.so.N (not the Fortran or
// C++ binding libraries such as libmpi_usempif08.so.40 or libmpi_cxx.so.40).
const LIBRARY = /^lib(mpi|mpich|mpi_(?:gnu|cray|intel|nvidia|amd|aocc)[a-z0-9_]*)\.so\.(\d+)$/;

/** Prefers `libmpi.so.N` over `libmpich.so.N` over Cray's `libmpi_<compiler>.so.N`. */
function rank(name: string): number {
  if (name.startsWith('libmpi.so.')) return 0;
  if (name.startsWith('libmpich.so.')) return 1;
  return 2;
}

/** `ldconfig -p` lines: `\tlibmpi.so.40 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libmpi.so.40`. */
export function parseLdconfig(text: string): { soname: string; path: string }[] {
  const out: { soname: string; path: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+\([^)]*\)\s+=>\s+(\S+)/.exec(line);
    if (m && LIBRARY.test(m[1])) out.push({ soname: m[1], path: m[2] });
  }
  return out.sort((a, b) => rank(a.soname) - rank(b.soname));
}

export async function probeMpiLibrary(host: HostAccess, dir: Known<string>, launcher: Known<HostMpi>, timeoutMs: number): Promise<Known<MpiLibrary>> {
  const family = launcher.status === 'found' ? launcher.value.family : undefined;
  const make = (file: string, soname: string, source: string) => found({ path: file, soname, abi: abiOfLibrary(soname, family) }, source);
  if (dir.status === 'found') {
    for (const sub of ['lib', 'lib64', 'lib/release']) {
      const libDir = path.join(dir.value, sub);
      const names = (host.listDir(libDir) ?? []).filter((n) => LIBRARY.test(n)).sort((a, b) => rank(a) - rank(b));
      if (names.length) return make(path.join(libDir, names[0]), names[0], `${libDir}/`);
    }
  }
  // ldconfig lives in /sbin, which is often not on a user's PATH.
  let cache = await probeCommand(host, ['ldconfig', '-p'], timeoutMs);
  if (!cache.ok && !host.which('ldconfig') && host.which('/sbin/ldconfig')) cache = await probeCommand(host, ['/sbin/ldconfig', '-p'], timeoutMs);
  if (cache.ok) {
    const hit = parseLdconfig(cache.text)[0];
    if (hit) return make(hit.path, hit.soname, 'ldconfig -p');
    return unknown(`no libmpi.so.N ${dir.status === 'found' ? `under ${dir.value}/lib or lib64, ` : ''}nor in the linker cache (ldconfig -p)`);
  }
  return unknown(`no libmpi.so.N ${dir.status === 'found' ? `under ${dir.value}/lib or lib64` : 'prefix known'}, and ${cache.reason}`);
}

export async function probeMpi(host: HostAccess, timeoutMs: number) {
  const launcher = await probeLauncher(host, timeoutMs);
  const dir = probeMpiDir(host, launcher);
  const library = await probeMpiLibrary(host, dir, launcher, timeoutMs);
  return { launcher, dir, library };
}
