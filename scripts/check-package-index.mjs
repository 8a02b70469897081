#!/usr/bin/env node
// Checks every Debian-family package name the generator can emit (src/facts, per release and role)
// against the real package index of each Debian release the facts table supports, and the
// release's default gcc against the index's `gcc` package. Run by CI (`npm run check:packages`).
//
// The index is fetched with apt itself into a private directory (the machine's apt state is not
// touched), from the Debian mirror this machine's apt is configured with (or $DEBIAN_MIRROR).
// Anything that stops the check (no apt, no mirror, a failed download) fails loudly: exit 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELEASES, aptNamesFor } from '../dist/src/facts/index.js';

const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const ARCH = process.env.DEBIAN_ARCH ?? 'amd64';

function fail(message) {
  console.error(`check-package-index: ${message}`);
  process.exit(2);
}

/** The Debian archive URI this machine's apt uses (a plain suite such as bookworm, not -security). */
function debianMirror() {
  if (process.env.DEBIAN_MIRROR) return process.env.DEBIAN_MIRROR;
  let out = '';
  try {
    out = execFileSync('apt-get', ['indextargets', '--format', '$(REPO_URI) $(RELEASE) $(IDENTIFIER)'], { encoding: 'utf8' });
  } catch (e) {
    fail(`cannot ask apt for its sources (${e.message}); set DEBIAN_MIRROR`);
  }
  for (const line of out.split('\n')) {
    const [uri, release, id] = line.split(' ');
    if (id === 'Packages' && /^[a-z]+$/.test(release ?? '') && !/security/.test(uri)) return uri.replace(/\/$/, '');
  }
  return fail('no Debian mirror in apt sources; set DEBIAN_MIRROR');
}

/** Fetches one release's `main` Packages index into `dir` and returns its real package names and gcc version. */
function fetchIndex(mirror, release, dir) {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['lists/partial', 'cache/archives/partial', 'etc']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, 'etc/sources.list'), `deb [signed-by=${KEYRING}] ${mirror} ${release} main\n`);
  const options = [
    `Dir::State::Lists=${join(dir, 'lists')}`,
    `Dir::Etc::SourceList=${join(dir, 'etc/sources.list')}`,
    `Dir::Etc::SourceParts=${join(dir, 'etc/none')}`,
    `Dir::Cache=${join(dir, 'cache')}`,
    `APT::Architectures::=${ARCH}`,
    'Acquire::Languages=none',
    'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false',
  ].flatMap((o) => ['-o', o]);
  const update = spawnSync('apt-get', [...options, '-q', 'update'], { encoding: 'utf8' });
  const lists = existsSync(join(dir, 'lists')) ? readdirSync(join(dir, 'lists')).filter((f) => f.includes('_Packages')) : [];
  if (update.status !== 0 || /^(W|E): /m.test(update.stderr) || lists.length === 0) {
    fail(`could not fetch the ${release} index from ${mirror}:\n${update.stdout}${update.stderr}`);
  }
  const names = new Set();
  let gcc;
  for (const list of lists) {
    const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', join(dir, 'lists', list)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    let current = '';
    for (const line of text.split('\n')) {
      if (line.startsWith('Package: ')) names.add((current = line.slice(9).trim()));
      else if (current === 'gcc' && line.startsWith('Version: ')) gcc ??= line.slice(9).trim();
    }
  }
  return { names, gcc };
}

const mirror = debianMirror();
const root = join(process.env.TMPDIR ?? tmpdir(), 'apptainer-gen-package-index');
const releases = RELEASES.filter((r) => r.distro === 'debian' && r.checkedInCi);
if (releases.length === 0) fail('the facts table names no Debian release to check');
let problems = 0;
let checked = 0;
for (const release of releases) {
  const { names, gcc } = fetchIndex(mirror, release.id, join(root, release.id));
  if (names.size < 10000) fail(`the ${release.id} index has only ${names.size} packages: the download is incomplete`);
  for (const [name, components] of aptNamesFor(release)) {
    checked++;
    if (!names.has(name)) {
      problems++;
      console.error(`${release.id}: '${name}' (${components.join(', ')}) is not in Debian ${release.id} main (${ARCH})`);
    }
  }
  const major = Number(/^(?:\d+:)?(\d+)/.exec(gcc ?? '')?.[1]);
  if (major !== release.gccMajor) {
    problems++;
    console.error(`${release.id}: the facts say gcc ${release.gccMajor}, the index has gcc ${gcc ?? '(none)'}`);
  }
  console.log(`${release.id}: ${aptNamesFor(release).size} package names and gcc ${major} checked against ${names.size} packages`);
}
rmSync(root, { recursive: true, force: true });
console.log(`${checked - problems} passed, ${problems} failed`);
process.exit(problems ? 1 : 0);
