// Interconnect hints: RDMA devices in /sys/class/infiniband (InfiniBand, RoCE, Omni-Path via hfi1),
// libfabric's version and providers (`fi_info --version`, `fi_info -l`) and UCX's version
// (`ucx_info -v`). They explain slow or failing transports; they never decide a verdict alone.
import { found, unknown, type Known, type Libfabric } from '../../host/facts.js';
import { probeCommand, type HostAccess } from '../access.js';

/** `# Library version: 1.16.0` (ucx_info -v) → 1.16.0. */
export function parseUcxVersion(text: string): string | undefined {
  return /Library version:\s*(\d+\.\d+(?:\.\d+)?)/i.exec(text)?.[1] ?? /UCT version=(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1];
}

/** `libfabric: 1.18.0` (fi_info --version) → 1.18.0. */
export function parseFiVersion(text: string): string | undefined {
  return /^libfabric:\s*(\d+\.\d+(?:\.\d+)?)/m.exec(text)?.[1];
}

/** Provider names from `fi_info -l`: lines `psm3:` at column 0, followed by indented `version:` lines. */
export function parseFiProviders(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_;]+):\s*$/.exec(line);
    if (m && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

export async function probeFabric(host: HostAccess, timeoutMs: number) {
  const devices = host.listDir('/sys/class/infiniband');
  const infiniband: Known<string[]> = devices
    ? found(devices, '/sys/class/infiniband')
    : host.exists('/sys/class')
      ? found([], '/sys/class/infiniband is absent')
      : unknown('/sys/class is not readable');
  const [fiVersion, fiList, ucxOut] = await Promise.all([
    probeCommand(host, ['fi_info', '--version'], timeoutMs),
    probeCommand(host, ['fi_info', '-l'], timeoutMs),
    probeCommand(host, ['ucx_info', '-v'], timeoutMs),
  ]);
  let libfabric: Known<Libfabric>;
  if (fiVersion.ok || fiList.ok) {
    libfabric = found(
      { version: fiVersion.ok ? parseFiVersion(fiVersion.text) : undefined, providers: fiList.ok ? parseFiProviders(fiList.stdout) : [] },
      'fi_info --version, fi_info -l',
    );
  } else libfabric = unknown(fiVersion.reason);
  const ucxVersion = ucxOut.ok ? parseUcxVersion(ucxOut.text) : undefined;
  const ucx: Known<string> = ucxVersion ? found(ucxVersion, 'ucx_info -v') : unknown(ucxOut.ok ? 'ucx_info -v printed no version' : ucxOut.reason);
  return { infiniband, libfabric, ucx };
}
