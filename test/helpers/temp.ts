// Temporary folders for tests, removed when the test that made them finishes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh empty folder under the system temp folder, deleted when the current test finishes. */
export function tempDir(prefix = 'apptainer-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh temporary folder holding the given files (paths relative to it; Buffers written as bytes). */
export function tempTree(files: Record<string, string | Buffer>, prefix?: string): string {
  const root = tempDir(prefix);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
