// Debootstrapped base roots, cached as tarballs outside the repo, and the checks that decide
// whether the e2e suite can run at all on this machine.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, runChecked } from './process.js';

/** Where cached base tarballs live: `$APPTAINER_E2E_CACHE`, else the XDG cache folder. */
export function cacheDir(): string {
  const base = process.env.APPTAINER_E2E_CACHE ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'apptainer-gen-e2e');
  mkdirSync(base, { recursive: true });
  return base;
}

export interface DebootstrapSpec {
  suite: string;
  mirror: string;
  /** Extra packages from the `Include:` header (Apptainer always adds `apt`). */
  include: string[];
}

/** The debootstrap command line Apptainer's debootstrap agent runs (conveyorPacker_debootstrap.go). */
export function debootstrapArgs(spec: DebootstrapSpec, target: string): string[] {
  const include = ['apt', ...spec.include].join(',');
  return [
    'debootstrap',
    '--variant=minbase',
    '--exclude=openssl,udev,debconf-i18n,e2fsprogs',
    `--include=${include}`,
    '--arch=amd64',
    spec.suite,
    target,
    spec.mirror,
  ];
}

function cacheKey(spec: DebootstrapSpec): string {
  const include = [...new Set(spec.include)].sort();
  const digest = createHash('sha256')
    .update(JSON.stringify([spec.suite, spec.mirror, include]))
    .digest('hex')
    .slice(0, 16);
  return `debootstrap-${spec.suite.replace(/[^\w.-]/g, '_')}-${digest}.tar`;
}

const creating = new Map<string, Promise<string>>();

/**
 * Path of the cached base tarball, debootstrapping it first when it is missing. Concurrent
 * builds in this process share one debootstrap; other processes wait on a file lock.
 */
export function baseTarball(spec: DebootstrapSpec): Promise<string> {
  const tarball = path.join(cacheDir(), cacheKey(spec));
  let pending = creating.get(tarball);
  if (!pending) {
    pending = createBaseTarball(spec, tarball);
    creating.set(tarball, pending);
    pending.catch(() => creating.delete(tarball));
  }
  return pending;
}

async function createBaseTarball(spec: DebootstrapSpec, tarball: string): Promise<string> {
  if (existsSync(tarball)) return tarball;
  // Built beside the final name and renamed, so an interrupted run never leaves a bad cache.
  const rootDir = `${tarball}.partial-root`;
  await runChecked(
    [
      'flock',
      `${tarball}.lock`,
      'sh',
      '-c',
      [
        'set -eu',
        'tarball="$1"; root="$2"; shift 2',
        '[ -e "$tarball" ] && exit 0',
        'rm -rf "$root" "$tarball.partial"',
        '"$@"',
        'tar --numeric-owner --xattrs -C "$root" -cf "$tarball.partial" .',
        'mv "$tarball.partial" "$tarball"',
        'rm -rf "$root"',
      ].join('\n'),
      'sh',
      tarball,
      rootDir,
      ...debootstrapArgs(spec, rootDir),
    ],
    { timeoutMs: 20 * 60_000 },
  );
  return tarball;
}

export async function unpackBase(spec: DebootstrapSpec, root: string): Promise<void> {
  const tarball = await baseTarball(spec);
  mkdirSync(root, { recursive: true });
  await runChecked(['tar', '--numeric-owner', '--xattrs', '-C', root, '-xf', tarball]);
}

export const DEBIAN_MIRROR = process.env.APPTAINER_E2E_MIRROR ?? 'http://deb.debian.org/debian';

async function hasCommand(name: string): Promise<boolean> {
  return (await run(['sh', '-c', `command -v ${name}`])).code === 0;
}

let cachedReason: Promise<string | null> | undefined;

/**
 * Why the e2e build tests cannot run here, or null when they can: they need root (chroot,
 * mounts, debootstrap), the tools, and the Debian mirror (debootstrap and `apt-get` in %post).
 */
export function buildSkipReason(): Promise<string | null> {
  cachedReason ??= (async () => {
    if (process.platform !== 'linux') return 'the e2e harness needs Linux';
    if (process.getuid?.() !== 0) return 'the e2e harness needs root (chroot, mount namespaces, debootstrap)';
    for (const tool of ['debootstrap', 'unshare', 'chroot', 'mount', 'tar']) {
      if (!(await hasCommand(tool))) return `${tool} is not installed (apt-get install debootstrap)`;
    }
    try {
      const response = await fetch(`${DEBIAN_MIRROR}/dists/bookworm/Release`, {
        method: 'HEAD',
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) return `the Debian mirror ${DEBIAN_MIRROR} answered ${response.status}`;
    } catch (err) {
      return `no network access to the Debian mirror ${DEBIAN_MIRROR} (${(err as Error).message})`;
    }
    return null;
  })();
  return cachedReason;
}
