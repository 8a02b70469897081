// Probes the whole host: every probe runs concurrently and each command has its own time limit,
// so the doctor answers within about one timeout even when a tool hangs (e.g. srun with an
// unreachable controller).
import type { HostFacts } from '../host/facts.js';
import type { HostAccess } from './access.js';
import { probeFabric } from './probes/fabric.js';
import { probeNvidia, probeRocm } from './probes/gpu.js';
import { probeMpi } from './probes/mpi.js';
import { probeSlurm } from './probes/slurm.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

export async function probeHost(host: HostAccess, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS): Promise<HostFacts> {
  const [slurm, mpi, nvidia, rocm, fabric] = await Promise.all([
    probeSlurm(host, timeoutMs),
    probeMpi(host, timeoutMs),
    probeNvidia(host, timeoutMs),
    probeRocm(host, timeoutMs),
    probeFabric(host, timeoutMs),
  ]);
  return { slurm, mpi, gpu: { nvidia, rocm }, fabric };
}
