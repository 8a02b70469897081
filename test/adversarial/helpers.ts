// Shared helpers of the adversarial suite: run a CLI command in-process with captured output,
// in a fresh temporary folder.
import { vi } from 'vitest';
import { tempTree } from '../helpers/temp.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command(argv)` with stdout/stderr captured (optionally with `cwd` as working folder). */
export async function runCli(command: (argv: string[]) => Promise<number>, argv: string[], cwd?: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const before = process.cwd();
  try {
    if (cwd) process.chdir(cwd);
    const code = await command(argv);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
    out.mockRestore();
    err.mockRestore();
  }
}

/** A fresh temporary folder with the given files (paths relative to it; Buffers written as bytes), removed after the test. */
export function hostileTree(files: Record<string, string | Buffer> = {}): string {
  return tempTree(files, 'apptainer-adversarial-');
}

export const CLEAN_DEF = ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', '    echo hello', ''].join('\n');
