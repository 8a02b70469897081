// A "host MPI installed under a prefix" for the bind model: Debian's Open MPI packages and the
// libraries they need beyond a minimal Debian root, unpacked with `dpkg -x`, the way a site
// installs an MPI under /opt. Layout: PREFIX/root (the unpacked tree), PREFIX/bin and a flat
// PREFIX/lib of links into it, so `$MPI_DIR/bin` and `$MPI_DIR/lib` work as the generated
// %environment expects. Cached next to the base tarballs.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from './rootfs.js';
import { removeTree, run, runChecked } from './process.js';

const MPI_PACKAGES = ['libopenmpi3', 'openmpi-bin', 'openmpi-common'];
const MULTIARCH = 'x86_64-linux-gnu';

/** Packages installed in a root (from its dpkg status file). */
async function installedIn(root: string): Promise<Set<string>> {
  const res = await runChecked(['dpkg-query', `--admindir=${root}/var/lib/dpkg`, '-W', '-f', '${Package}\n']);
  return new Set(res.stdout.split('\n').filter(Boolean));
}

export interface HostMpi {
  /** What the job's MPI_DIR must be. */
  prefix: string;
  /** Open MPI's relocation variable, as a site module would set it. */
  opalPrefix: string;
}

/** Builds (once) an Open MPI prefix for images based on roots like `imageRoot`. */
export async function hostMpiPrefix(imageRoot: string): Promise<HostMpi> {
  const prefix = path.join(cacheDir(), 'hostmpi-openmpi-bookworm');
  const result = { prefix, opalPrefix: path.join(prefix, 'root/usr') };
  if (existsSync(path.join(prefix, 'lib', 'libmpi.so.40'))) return result;
  const closure = await runChecked([
    'apt-cache',
    'depends',
    '--recurse',
    '--no-recommends',
    '--no-suggests',
    '--no-conflicts',
    '--no-breaks',
    '--no-replaces',
    '--no-enhances',
    ...MPI_PACKAGES,
  ]);
  const inImage = await installedIn(imageRoot);
  const wanted = [
    ...new Set(
      closure.stdout
        .split('\n')
        .filter((l) => /^[a-z0-9]/.test(l))
        .map((l) => l.trim()),
    ),
  ].filter((pkg) => !inImage.has(pkg));
  const scratch = `${prefix}.partial-${process.pid}`;
  await removeTree(scratch);
  const debs = path.join(scratch, 'debs');
  mkdirSync(debs, { recursive: true });
  try {
    await runChecked(['apt-get', 'download', ...wanted], { cwd: debs, timeoutMs: 10 * 60_000 });
    for (const deb of readdirSync(debs)) {
      await runChecked(['dpkg', '-x', path.join(debs, deb), path.join(scratch, 'root')]);
    }
    rmSync(debs, { recursive: true, force: true });
    symlinkSync('root/usr/bin', path.join(scratch, 'bin'));
    // Bookworm packages put libraries in both /lib/<triplet> and /usr/lib/<triplet>.
    mkdirSync(path.join(scratch, 'lib'));
    for (const dir of [`root/lib/${MULTIARCH}`, `root/usr/lib/${MULTIARCH}`]) {
      if (!existsSync(path.join(scratch, dir))) continue;
      for (const entry of readdirSync(path.join(scratch, dir))) {
        const link = path.join(scratch, 'lib', entry);
        if (!existsSync(link)) symlinkSync(path.join('..', dir, entry), link);
      }
    }
    await removeTree(prefix);
    renameSync(scratch, prefix);
  } finally {
    await removeTree(scratch);
  }
  return result;
}

/** MPI libraries in a root (the bind model's image must have none). */
export async function findLibMpi(root: string): Promise<string[]> {
  const res = await run(['find', root, '-xdev', '-name', 'libmpi*.so*']);
  return res.stdout.split('\n').filter(Boolean);
}
