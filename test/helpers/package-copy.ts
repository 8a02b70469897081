// A copy of the built package holding only the launchers and the build files a test names: a run
// from it fails if a launcher or a bundle reaches for any other file of the build.
import { cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LAUNCHERS = ['bin/apptainer-gen.js', 'bin/apptainer-lint.js', 'bin/load-cli.js', 'bin/package.json', 'package.json'];

/** A temporary package folder (deleted when the test finishes) with the launchers and `buildPaths` (files or folders, relative to the package). */
export function packageCopyWith(buildPaths: string[], prefix = 'package-copy-'): string {
  const pkg = tempDir(prefix);
  for (const path of [...LAUNCHERS, ...buildPaths]) cpSync(join(ROOT, path), join(pkg, path), { recursive: true });
  return pkg;
}
