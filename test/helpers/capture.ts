// Output of in-process CLI commands, captured per test: what they wrote to stdout and stderr,
// plus a fresh temporary folder, all reset before each test of the calling suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';

export interface CapturedCli {
  /** A temporary folder, new for each test and removed after it. */
  dir: string;
  /** What the command wrote to stdout (assignable, to start over within a test). */
  out: string;
  /** What the command wrote to stderr. */
  err: string;
}

/** Registers beforeEach/afterEach hooks in the calling suite; read the fields inside tests. */
export function captureCli(prefix = 'apptainer-gen-cli-'): CapturedCli {
  const cli: CapturedCli = { dir: '', out: '', err: '' };
  beforeEach(() => {
    cli.dir = mkdtempSync(join(tmpdir(), prefix));
    cli.out = '';
    cli.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      cli.out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      cli.err += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(cli.dir, { recursive: true, force: true });
  });
  return cli;
}
