// Small I/O helpers shared by the commands: reading inputs, atomic writes, usage errors.
import { readFileSync, renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class UsageError extends Error {}

/** Reads a file as text. Invalid UTF-8 is decoded with replacement characters (reported by the parser). */
export function readText(path: string): string {
  if (path === '-') return readFileSync(0, 'utf8');
  return readFileSync(path, 'utf8');
}

/** Writes a file atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw err;
  }
}

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && 'path' in err) {
    const e = err as NodeJS.ErrnoException;
    const what: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
      ENOTDIR: 'not a directory',
    };
    return `${e.path}: ${what[e.code ?? ''] ?? e.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}
