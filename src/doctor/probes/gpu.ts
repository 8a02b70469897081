// GPU probes: the NVIDIA driver (`nvidia-smi`, else /proc/driver/nvidia/version) and AMD ROCm
// (/opt/rocm/.info/version, `rocm-smi --showdriverversion`, /sys/module/amdgpu/version, /dev/kfd).
// Login nodes usually have no GPU: the doctor then reports these as unknown, not as failures.
import { found, unknown, type Known, type NvidiaDriver, type RocmInstall } from '../../host/facts.js';
import { probeCommand, type HostAccess } from '../access.js';

/** `550.54.15, NVIDIA A100-SXM4-80GB` lines from `nvidia-smi --query-gpu=driver_version,name --format=csv,noheader`. */
export function parseNvidiaSmiQuery(text: string): NvidiaDriver | undefined {
  const gpus: string[] = [];
  let version: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+\.\d+(?:\.\d+)?)\s*,\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    version ??= m[1];
    gpus.push(m[2]);
  }
  return version ? { version, gpus } : undefined;
}

/** `NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar 5 ...` → 550.54.15. */
export function parseProcNvidiaVersion(text: string): string | undefined {
  return /Kernel Module(?:\s+for\s+\S+)?\s+(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1];
}

export async function probeNvidia(host: HostAccess, timeoutMs: number): Promise<Known<NvidiaDriver>> {
  const smi = await probeCommand(host, ['nvidia-smi', '--query-gpu=driver_version,name', '--format=csv,noheader'], timeoutMs);
  if (smi.ok) {
    const driver = parseNvidiaSmiQuery(smi.stdout);
    if (driver) return found(driver, 'nvidia-smi --query-gpu=driver_version,name');
  }
  const proc = host.readText('/proc/driver/nvidia/version');
  const version = proc ? parseProcNvidiaVersion(proc) : undefined;
  if (version) return found({ version, gpus: [] }, '/proc/driver/nvidia/version');
  return unknown(`${smi.ok ? 'nvidia-smi listed no GPU' : smi.reason}, and /proc/driver/nvidia/version is absent (no NVIDIA driver loaded on this node)`);
}

/** `6.1.1-82` → 6.1.1 (/opt/rocm/.info/version). */
export function parseRocmVersionFile(text: string): string | undefined {
  return /^(\d+\.\d+(?:\.\d+)?)/.exec(text.trim())?.[1];
}

/** `Driver version: 6.7.0` (also in `rocm-smi` tables) → 6.7.0. */
export function parseRocmSmiDriver(text: string): string | undefined {
  return /Driver version:\s*(\S+)/i.exec(text)?.[1];
}

export async function probeRocm(host: HostAccess, timeoutMs: number): Promise<Known<RocmInstall>> {
  const rocmPath = host.env('ROCM_PATH') || '/opt/rocm';
  const fileText = host.readText(`${rocmPath}/.info/version`);
  const version = fileText ? parseRocmVersionFile(fileText) : undefined;
  const smi = await probeCommand(host, ['rocm-smi', '--showdriverversion'], timeoutMs);
  const moduleVersion = host.readText('/sys/module/amdgpu/version')?.trim() || undefined;
  const driverVersion = (smi.ok ? parseRocmSmiDriver(smi.text) : undefined) ?? moduleVersion;
  const kfd = host.exists('/dev/kfd');
  if (!version && !driverVersion && !kfd) {
    return unknown(`no ${rocmPath}/.info/version, ${smi.ok ? 'rocm-smi named no driver' : smi.reason}, no /dev/kfd (no AMD GPU driver on this node)`);
  }
  const sources = [
    version && `${rocmPath}/.info/version`,
    driverVersion && (smi.ok ? 'rocm-smi --showdriverversion' : '/sys/module/amdgpu/version'),
    kfd && '/dev/kfd',
  ].filter(Boolean);
  return found({ version, driverVersion, kfd }, sources.join(', '));
}
