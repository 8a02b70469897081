// Upstream release tarballs from Debian's source archive, for the source-build proofs: the
// `.orig.tar.*` file of a source package is the upstream release (or, for some packages, a
// snapshot of the upstream tree without `configure`). They are fetched with `apt-get source
// --download-only` into a private apt state (the machine's apt sources are not touched; apt
// checks every file against the signed Sources index), and kept under the e2e cache as a
// directory mirror for `apptainer-gen --source-mirror DIR`.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, runChecked, tail } from './process.js';
import { DEBIAN_MIRROR, cacheDir } from './rootfs.js';

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export interface OrigTarball {
  /** Source package and Debian release (`openmpi`, `bookworm`). */
  pkg: string;
  release: string;
  /** The file `apt-get source` downloads, e.g. `openmpi_4.1.4.orig.tar.xz`. */
  file: string;
  /** Its SHA-256, as pinned in the recipe. */
  sha256: string;
}

function aptOptions(dir: string): string[] {
  return [
    '-o',
    `Dir::State::Lists=${path.join(dir, 'lists')}`,
    '-o',
    `Dir::Etc::SourceList=${path.join(dir, 'sources.list')}`,
    '-o',
    `Dir::Etc::SourceParts=${path.join(dir, 'none')}`,
    '-o',
    `Dir::Cache=${path.join(dir, 'cache')}`,
    '-o',
    'Dir::State::status=/dev/null',
    '-o',
    'APT::Sandbox::User=root',
  ];
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The mirror directory holding the tarballs (created on demand). */
export function sourcesMirrorDir(): string {
  const dir = path.join(cacheDir(), 'debian-sources');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Makes sure every tarball is in the mirror directory with its pinned checksum, downloading the
 * missing ones with `apt-get source --download-only` (one apt state per release, refreshed only
 * when something is missing). Returns the directory.
 */
export async function debianSources(wanted: OrigTarball[]): Promise<string> {
  const mirror = sourcesMirrorDir();
  const missing = wanted.filter((t) => !existsSync(path.join(mirror, t.file)) || sha256Of(path.join(mirror, t.file)) !== t.sha256);
  for (const release of new Set(missing.map((t) => t.release))) {
    const state = path.join(cacheDir(), 'apt-src', release);
    for (const sub of ['lists/partial', 'cache/archives/partial', 'none']) mkdirSync(path.join(state, sub), { recursive: true });
    writeFileSync(path.join(state, 'sources.list'), `deb-src [signed-by=${KEYRING}] ${DEBIAN_MIRROR} ${release} main\n`);
    const options = aptOptions(state);
    await runChecked(['apt-get', ...options, '-q', 'update']);
    for (const t of missing.filter((m) => m.release === release)) {
      // `apt-get source` downloads into the current directory: the .dsc, the .orig and the Debian diff.
      const fetched = await run(['apt-get', ...options, '-q', 'source', '--download-only', `${t.pkg}/${release}`], { cwd: mirror });
      if (fetched.code !== 0 && !onlyPackagingMissing(fetched.output, t)) {
        throw new Error(`apt-get source ${t.pkg}/${release} exited with ${fetched.code}\n${tail(fetched.output)}`);
      }
    }
  }
  for (const t of wanted) {
    const file = path.join(mirror, t.file);
    if (!existsSync(file)) {
      throw new Error(`apt-get source did not produce ${t.file} (have: ${readdirSync(mirror).join(', ')})`);
    }
    const sum = sha256Of(file);
    if (sum !== t.sha256) throw new Error(`${t.file}: SHA-256 ${sum}, the recipe pins ${t.sha256}`);
  }
  return mirror;
}

/**
 * True when `apt-get source` failed only on the packaging files (.dsc, Debian diff) and got the
 * upstream tarball. Seen on trixie: the Sources index names libfabric_2.1.0-1.1.dsc while the pool
 * has moved on (404), but the .orig file is still there; its pinned SHA-256 is checked below.
 */
export function onlyPackagingMissing(output: string, t: OrigTarball): boolean {
  const failed = [...output.matchAll(/^E: Failed to fetch (\S+)/gm)].map((m) => path.basename(m[1]));
  if (failed.length === 0 || failed.some((file) => file === t.file || file.includes('.orig.'))) return false;
  return existsSync(path.join(sourcesMirrorDir(), t.file));
}
