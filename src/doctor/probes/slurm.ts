// Slurm probes: the version (`srun --version`) and the MPI plugins srun offers (`srun --mpi=list`).
// Both run where users run the doctor: a login or compute node with the Slurm client configured.
import { found, unknown, type Known, type SrunMpi } from '../../host/facts.js';
import { probeCommand, type HostAccess } from '../access.js';

/** `slurm 23.11.4`, `slurm-wlm 22.05.8` → the version. */
export function parseSlurmVersion(text: string): string | undefined {
  return /\bslurm(?:-wlm)?\s+v?(\d+\.\d+(?:\.\d+)?(?:-\w+)?)/i.exec(text)?.[1];
}

/**
 * Plugins from `srun --mpi=list`. Slurm 21.08 and later print a header and tab-indented names on
 * stdout plus a `specific pmix plugin versions available:` line; older releases printed
 * `srun: MPI types are...` and one `srun: NAME` line per plugin on stderr. Both are accepted.
 */
export function parseMpiList(text: string): SrunMpi | undefined {
  const plugins: string[] = [];
  const pmixVersions: string[] = [];
  let sawHeader = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^srun:\s*/, '').trim();
    if (!line) continue;
    if (/mpi (plugin )?types are/i.test(line)) {
      sawHeader = true;
      continue;
    }
    const versions = /pmix plugin versions available:\s*(.*)$/i.exec(line);
    if (versions) {
      for (const v of versions[1].split(/[\s,]+/)) if (/^pmix_v\d+$/.test(v)) pmixVersions.push(v);
      continue;
    }
    if (/^[a-z][a-z0-9_]*$/i.test(line) && sawHeader) {
      const name = line.toLowerCase();
      if (/^pmix_v\d+$/.test(name)) {
        if (!pmixVersions.includes(name)) pmixVersions.push(name);
      }
      if (!plugins.includes(name)) plugins.push(name);
    }
  }
  return sawHeader ? { plugins, pmixVersions } : undefined;
}

export async function probeSlurm(host: HostAccess, timeoutMs: number): Promise<{ version: Known<string>; mpi: Known<SrunMpi> }> {
  const [versionOut, listOut] = await Promise.all([
    probeCommand(host, ['srun', '--version'], timeoutMs),
    probeCommand(host, ['srun', '--mpi=list'], timeoutMs),
  ]);
  let version: Known<string>;
  if (!versionOut.ok) version = unknown(versionOut.reason);
  else {
    const v = parseSlurmVersion(versionOut.text);
    version = v ? found(v, 'srun --version') : unknown(`srun --version printed no version: ${versionOut.text.trim().slice(0, 80)}`);
  }
  let mpi: Known<SrunMpi>;
  if (!listOut.ok) mpi = unknown(listOut.reason);
  else {
    const list = parseMpiList(listOut.text);
    mpi = list ? found(list, 'srun --mpi=list') : unknown(`srun --mpi=list printed no plugin list: ${listOut.text.trim().slice(0, 80)}`);
  }
  return { version, mpi };
}
