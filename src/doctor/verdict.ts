// Per-model verdicts: does this image fit this host? Each check says fits / warning / does not
// fit / unknown, with the exact reason (naming the probe or label it rests on) and, when it does
// not fit, the fix. Pure functions of the host facts and the image facts.
import { offersPlugin, valueOf, type HostFacts, type SrunMpi } from '../host/facts.js';
import { abiOfFamily, ABI_SONAME, compareVersions, cudaDriverNeed, mpiName, newestCudaFor } from './facts.js';
import type { ImageFacts, ImageMpi } from './image.js';

export type Status = 'fits' | 'warning' | 'does-not-fit' | 'unknown';

export interface Check {
  id: string;
  status: Status;
  reason: string;
  fix?: string;
}

export interface Verdict {
  /** What is judged: `pmi model`, `hybrid model`, `bind model`, `NVIDIA GPU (--nv)`, `job script`... */
  subject: string;
  status: Status;
  checks: Check[];
}

const SEVERITY: Record<Status, number> = { fits: 0, warning: 1, unknown: 2, 'does-not-fit': 3 };

export function worst(statuses: Status[]): Status {
  return statuses.reduce<Status>((w, s) => (SEVERITY[s] > SEVERITY[w] ? s : w), 'fits');
}

export function verdictOf(subject: string, checks: Check[]): Verdict {
  return { subject, status: worst(checks.map((c) => c.status)), checks };
}

/** Options that need the live host (absent when judging against a recorded host.yaml). */
export interface JudgeOptions {
  pathExists?: (path: string) => boolean;
}

// ---- PMI: the image's flavour among srun's plugins -----------------------------------------------

/** PMI-capable plugins of this Slurm, for messages: `pmix and pmi2`, `pmix only`. */
function pmiOffer(srun: SrunMpi): string {
  const pmi = srun.plugins.filter((p) => p === 'pmi2' || p === 'pmix');
  if (pmi.length === 0) return `no PMI plugin (only ${srun.plugins.join(', ') || 'nothing'})`;
  return pmi.length === 1 ? `${pmi[0]} only` : pmi.join(' and ');
}

function describeImageMpi(mpi: ImageMpi): string {
  const pmi = mpi.noPmi ? 'no PMI client' : mpi.pmi.length ? `PMI ${mpi.pmi.join('/')}` : 'an unrecorded PMI';
  return `${mpiName(mpi.impl, mpi.version ?? (mpi.impl ? '(distro)' : undefined))} with ${pmi}`;
}

export function pmiCheck(image: ImageFacts, host: HostFacts): Check {
  const mpi = image.mpi!;
  const srunFact = host.slurm.mpi;
  if (srunFact.status === 'unknown') {
    return {
      id: 'slurm-pmi',
      status: 'unknown',
      reason: `cannot list Slurm's MPI plugins: ${srunFact.reason}`,
      fix: 'run the doctor on a login or compute node of the cluster, where srun works',
    };
  }
  const srun = srunFact.value;
  const slurm = valueOf(host.slurm.version);
  const thisSlurm = `this Slurm${slurm ? ` ${slurm}` : ''}`;
  if (mpi.noPmi || mpi.pmi.length === 0) {
    return {
      id: 'slurm-pmi',
      status: 'does-not-fit',
      reason: `image has ${describeImageMpi(mpi)}, so srun cannot wire up its ranks (${image.evidence})`,
      fix: `regenerate with \`mpi.pmi.interface: ${srun.plugins.includes('pmix') ? 'pmix' : 'pmi2'}\``,
    };
  }
  for (const pmi of mpi.pmi) {
    // Slurm's mpi/pmi2 plugin also answers the PMI-1 wire protocol that simple PMI clients speak.
    const plugin = pmi === 'pmi1' ? 'pmi2' : pmi;
    if (offersPlugin(srun, plugin)) {
      const pmix = plugin === 'pmix' && srun.pmixVersions.length ? ` (${srun.pmixVersions.join(', ')})` : '';
      return {
        id: 'slurm-pmi',
        status: 'fits',
        reason: `image has ${describeImageMpi(mpi)}; ${thisSlurm} offers srun --mpi=${plugin}${pmix} (${srunFact.source})`,
      };
    }
  }
  const alternative =
    srun.plugins.includes('pmix') || srun.plugins.some((p) => /^pmix_v\d+$/.test(p)) ? 'pmix' : srun.plugins.includes('pmi2') ? 'pmi2' : undefined;
  const openMpi5 = mpi.impl === 'openmpi' && mpi.version !== undefined && Number.parseInt(mpi.version, 10) >= 5;
  let fix: string;
  if (!alternative) fix = `ask the site to enable Slurm's mpi/pmix or mpi/pmi2 plugin, or use the hybrid model with the host's mpirun`;
  else if (alternative === 'pmi2' && openMpi5)
    fix = `Open MPI 5 speaks PMIx only: ask the site for Slurm's mpi/pmix plugin, or regenerate with \`mpi.version: 4.1.6\` and \`mpi.pmi.interface: pmi2\``;
  else if (alternative === 'pmix' && (mpi.impl === 'mvapich2' || mpi.impl === 'intelmpi'))
    fix = `${mpiName(mpi.impl)} uses PMI-2 under srun: ask the site to enable Slurm's mpi/pmi2 plugin, or switch to \`mpi.impl: openmpi\` with \`mpi.pmi.interface: pmix\``;
  else fix = `regenerate with \`mpi.pmi.interface: ${alternative}\` (or \`host: host.yaml\` from \`apptainer-gen doctor --write-host host.yaml\`)`;
  return {
    id: 'slurm-pmi',
    status: 'does-not-fit',
    reason: `image has ${describeImageMpi(mpi)}; ${thisSlurm} offers ${pmiOffer(srun)} (${srunFact.source}; image: ${image.evidence}): every rank would start alone as rank 0 of 1`,
    fix,
  };
}

// ---- Hybrid: the host's mpirun starts the image's MPI ---------------------------------------------

export function hybridChecks(image: ImageFacts, host: HostFacts): Check[] {
  const mpi = image.mpi!;
  const launcherFact = host.mpi.launcher;
  if (launcherFact.status === 'unknown') {
    return [
      {
        id: 'host-mpi',
        status: 'unknown',
        reason: `no host MPI found: ${launcherFact.reason}`,
        fix: 'load the MPI module the site uses with containers (module load ...) and run the doctor again',
      },
    ];
  }
  const hostMpi = launcherFact.value;
  const hostName = mpiName(hostMpi.family, hostMpi.version);
  const imageName = mpiName(mpi.impl, mpi.version);
  const regenerate = `regenerate with \`mpi.impl: ${hostMpi.family === 'cray-mpich' ? 'mpich' : hostMpi.family}\`${hostMpi.version ? ` and \`mpi.version: ${hostMpi.version}\`` : ''} (or \`host: host.yaml\`), or use the pmi model`;
  if (!mpi.impl) return [{ id: 'host-mpi', status: 'unknown', reason: `the image does not record its MPI (${image.evidence}); host mpirun is ${hostName}` }];
  if (mpi.impl !== hostMpi.family) {
    return [
      {
        id: 'host-mpi',
        status: 'does-not-fit',
        reason: `image has ${imageName}; the host's mpirun is ${hostName} (${launcherFact.source}): a launcher of another MPI cannot wire up the image's ranks`,
        fix: regenerate,
      },
    ];
  }
  if (!mpi.version || !hostMpi.version) {
    return [
      {
        id: 'host-mpi',
        status: 'warning',
        reason: `same MPI family (${mpiName(mpi.impl)}); the ${mpi.version ? 'host' : "image's"} version is not known${mpi.version ? '' : ' (distro packages)'}, host has ${hostName}: identical versions are the safe choice`,
      },
    ];
  }
  const [im, iu] = mpi.version.split('.');
  const [hm, hu] = hostMpi.version.split('.');
  if (im !== hm) {
    const status = mpi.impl === 'openmpi' ? 'does-not-fit' : 'warning';
    const why = mpi.impl === 'openmpi' ? ' (Open MPI 5 replaced the ORTE runtime with PRRTE, so 4.x and 5.x launchers and ranks do not interoperate)' : '';
    return [
      {
        id: 'host-mpi',
        status,
        reason: `image has ${imageName}; host mpirun is ${hostName} (${launcherFact.source}): different major versions${why}`,
        fix: regenerate,
      },
    ];
  }
  if (iu !== hu)
    return [
      {
        id: 'host-mpi',
        status: 'warning',
        reason: `image has ${imageName}, host ${hostName}: same major version; identical versions are the safe choice`,
        fix: regenerate,
      },
    ];
  return [{ id: 'host-mpi', status: 'fits', reason: `image has ${imageName}; host mpirun is ${hostName} (${launcherFact.source})` }];
}

// ---- Bind: a host MPI with the image's ABI is bound in ----------------------------------------------

export function bindChecks(image: ImageFacts, host: HostFacts, opts: JudgeOptions): Check[] {
  const mpi = image.mpi!;
  const checks: Check[] = [];
  const abi = mpi.abi ?? (mpi.impl ? abiOfFamily(mpi.impl) : undefined);
  const lib = host.mpi.library;
  const launcherFact = host.mpi.launcher;
  const hostMpi = valueOf(launcherFact);
  const hostAbi = lib.status === 'found' ? lib.value.abi : hostMpi ? abiOfFamily(hostMpi.family) : undefined;
  const hostWhat =
    lib.status === 'found'
      ? `${lib.value.soname} at ${lib.value.path} (${lib.source})`
      : launcherFact.status === 'found'
        ? `${mpiName(launcherFact.value.family, launcherFact.value.version)} (${launcherFact.source})`
        : undefined;
  if (!abi) checks.push({ id: 'mpi-abi', status: 'unknown', reason: `the image does not record the MPI ABI it was compiled against (${image.evidence})` });
  else if (!hostWhat || !hostAbi) {
    checks.push({
      id: 'mpi-abi',
      status: 'unknown',
      reason: `no host MPI library found (${lib.status === 'unknown' ? lib.reason : 'unrecognised library name'})`,
      fix: `set MPI_DIR to the host MPI prefix (its lib/ must hold ${ABI_SONAME[abi]}) and run the doctor again`,
    });
  } else if (hostAbi !== abi) {
    checks.push({
      id: 'mpi-abi',
      status: 'does-not-fit',
      reason: `image was compiled against the ${abi === 'mpich' ? 'MPICH' : 'Open MPI'} ABI (${ABI_SONAME[abi]}); the host MPI is ${hostWhat}, ${hostAbi === 'mpich' ? 'MPICH' : 'Open MPI'} ABI`,
      fix: `regenerate with \`mpi.impl: ${hostAbi === 'openmpi' ? 'openmpi' : 'mpich'}\`, or point MPI_DIR at a host MPI with the ${abi} ABI`,
    });
  } else {
    checks.push({
      id: 'mpi-abi',
      status: 'fits',
      reason: `image compiled against the ${abi === 'mpich' ? 'MPICH' : 'Open MPI'} ABI; host MPI library ${hostWhat}`,
    });
  }
  checks.push(mpiDirCheck(image, host, opts));
  if (mpi.launcher === 'srun' && (mpi.pmi.length > 0 || mpi.noPmi)) checks.push(pmiCheck(image, host));
  else if (!hostMpi)
    checks.push({
      id: 'host-mpi',
      status: 'unknown',
      reason: `the job launches with the host's mpirun, but none was found: ${host.mpi.launcher.status === 'unknown' ? host.mpi.launcher.reason : ''}`,
      fix: 'load the host MPI module and run the doctor again',
    });
  return checks;
}

function mpiDirCheck(image: ImageFacts, host: HostFacts, opts: JudgeOptions): Check {
  const dir = host.mpi.dir;
  if (dir.status === 'found' && dir.source === '$MPI_DIR')
    return { id: 'mpi-dir', status: 'fits', reason: `MPI_DIR=${dir.value} is set; the job binds it into the image` };
  const fallback = image.mpiDirDefault;
  if (!fallback) {
    return {
      id: 'mpi-dir',
      status: 'does-not-fit',
      reason: 'MPI_DIR is not set and the image has no default for it: the job would bind nothing',
      fix: `export MPI_DIR=${dir.status === 'found' ? dir.value : '<host MPI prefix>'} before sbatch`,
    };
  }
  if (!opts.pathExists)
    return { id: 'mpi-dir', status: 'unknown', reason: `MPI_DIR is not set; the image's default ${fallback} cannot be checked against a recorded host` };
  if (opts.pathExists(fallback)) return { id: 'mpi-dir', status: 'fits', reason: `MPI_DIR is not set; the image's default ${fallback} exists on this host` };
  return {
    id: 'mpi-dir',
    status: 'does-not-fit',
    reason: `MPI_DIR is not set and the image's default ${fallback} does not exist on this host`,
    fix: `export MPI_DIR=${dir.status === 'found' ? dir.value : '<host MPI prefix>'} (the host MPI prefix) before sbatch`,
  };
}

// ---- GPUs --------------------------------------------------------------------------------------------

export function nvidiaCheck(image: ImageFacts, host: HostFacts): Check {
  const cuda = image.gpu!.cuda;
  const driverFact = host.gpu.nvidia;
  if (driverFact.status === 'unknown') {
    return {
      id: 'nvidia-driver',
      status: 'unknown',
      reason: `no NVIDIA driver found: ${driverFact.reason}`,
      fix: 'run the doctor on a GPU compute node (srun --gpus=1 apptainer-gen doctor ...)',
    };
  }
  const driver = driverFact.value.version;
  const newest = newestCudaFor(driver);
  if (!cuda)
    return {
      id: 'nvidia-driver',
      status: 'warning',
      reason: `the image does not record its CUDA version (${image.gpu!.evidence}); driver ${driver} supports CUDA up to ${newest ?? 'an unknown release'}`,
    };
  const need = cudaDriverNeed(cuda);
  if (!need)
    return { id: 'nvidia-driver', status: 'unknown', reason: `CUDA ${cuda} is not in the driver table (NVIDIA CUDA release notes); host driver ${driver}` };
  const source = `${driverFact.source}; CUDA ${need.row} needs driver >= ${need.full} per NVIDIA's CUDA Toolkit release notes`;
  if (compareVersions(driver, need.full) >= 0)
    return { id: 'nvidia-driver', status: 'fits', reason: `image has CUDA ${cuda}; host driver ${driver} (${source})` };
  const fix = `upgrade the host driver to >= ${need.full}, or regenerate with \`gpu.cuda.version\` <= ${newest ?? '(none: the driver predates the table)'}`;
  if (need.minorCompat && compareVersions(driver, need.minorCompat) >= 0) {
    return {
      id: 'nvidia-driver',
      status: 'warning',
      reason: `image has CUDA ${cuda}; host driver ${driver} is older than ${need.full} but runs it through CUDA minor version compatibility (>= ${need.minorCompat}): no JIT of newer PTX, some new APIs fail (${source})`,
      fix,
    };
  }
  return {
    id: 'nvidia-driver',
    status: 'does-not-fit',
    reason: `image has CUDA ${cuda}; host driver ${driver} is too old (${source}${need.minorCompat ? `; minor version compatibility needs >= ${need.minorCompat}` : ''}): CUDA calls fail with "driver version is insufficient"`,
    fix,
  };
}

export function rocmCheck(image: ImageFacts, host: HostFacts): Check {
  const rocm = image.gpu!.rocm;
  const fact = host.gpu.rocm;
  if (fact.status === 'unknown')
    return { id: 'rocm', status: 'unknown', reason: `no AMD GPU stack found: ${fact.reason}`, fix: 'run the doctor on a GPU compute node' };
  const host_ = fact.value;
  if (!host_.kfd)
    return {
      id: 'rocm',
      status: 'does-not-fit',
      reason: `/dev/kfd is missing on this node (amdgpu kernel driver not loaded), so --rocm exposes no GPU (${fact.source})`,
      fix: 'run on a node with AMD GPUs, or ask the site to load the amdgpu driver',
    };
  if (rocm && host_.version && rocm.split('.')[0] !== host_.version.split('.')[0]) {
    return {
      id: 'rocm',
      status: 'warning',
      reason: `image has ROCm ${rocm}; the host's ROCm is ${host_.version} (${fact.source}): --rocm binds host ROCm libraries, which may not match the image's across major releases (AMD's user/kernel-space support matrix decides)`,
      fix: `regenerate with \`gpu.rocm.version: ${host_.version}\``,
    };
  }
  return {
    id: 'rocm',
    status: 'fits',
    reason: `image has ROCm ${rocm ?? '(version not recorded)'}; host has /dev/kfd${host_.version ? `, ROCm ${host_.version}` : ''}${host_.driverVersion ? `, amdgpu ${host_.driverVersion}` : ''} (${fact.source})`,
  };
}

// ---- Interconnect -----------------------------------------------------------------------------------

export function fabricCheck(mpi: ImageMpi, host: HostFacts): Check | undefined {
  const rdma = mpi.fabric.filter((t) => t === 'ucx' || t === 'verbs' || t === 'psm2' || t === 'ofi');
  if (rdma.length === 0) return undefined;
  const ib = host.fabric.infiniband;
  if (ib.status === 'unknown') return { id: 'fabric', status: 'unknown', reason: `cannot tell whether this node has RDMA devices: ${ib.reason}` };
  if (ib.value.length === 0) {
    return {
      id: 'fabric',
      status: 'warning',
      reason: `image uses ${rdma.join(', ')}, but this node has no RDMA devices (${ib.source}): MPI falls back to TCP and shared memory (fine on one node, slow across nodes)`,
    };
  }
  const ucx = valueOf(host.fabric.ucx);
  return { id: 'fabric', status: 'fits', reason: `image uses ${rdma.join(', ')}; RDMA devices ${ib.value.join(', ')}${ucx ? `, host UCX ${ucx}` : ''}` };
}
