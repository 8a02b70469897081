// Tests that run the real CLI need dist/ up to date: build once (under a lock, since several
// test files may ask at the same time) when any source file is newer than the last build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'apptainer-gen.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  // The CLI and the language server run from the bundles (dist/bundle), the library from dist/src:
  // both must be newer than every source file.
  const markers = [join(ROOT, 'dist', 'src', 'cli', 'main.js'), join(ROOT, 'dist', 'bundle', 'main.js'), join(ROOT, 'dist', 'bundle', 'cli.cjs')];
  const sources = Math.max(newestMtime(join(ROOT, 'src')), existsSync(join(ROOT, 'grammar')) ? newestMtime(join(ROOT, 'grammar')) : 0);
  if (markers.every((marker) => existsSync(marker) && statSync(marker).mtimeMs >= sources)) return;
  // tsc still emits when other parts of the tree have type errors; those are not ours to fail on.
  // The bundler must succeed, though: a stale bundle would test old code.
  execFileSync(
    'flock',
    ['/tmp/apptainer-gen-tsc.lock', 'sh', '-c', 'npx tsc -p tsconfig.json >/dev/null 2>&1; node scripts/bundle.mjs && touch dist/src/cli/main.js'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 240_000 },
  );
}
