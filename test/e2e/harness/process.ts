// Running commands for the e2e harness: output is captured (and echoed when
// APPTAINER_E2E_VERBOSE is set) so a failing step can show what happened.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const E2E_BIN = fileURLToPath(new URL('../bin/', import.meta.url));
export const REPO_ROOT = path.resolve(E2E_BIN, '../../..');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  output: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text fed on stdin; by default stdin is closed (/dev/null), as in a batch build. */
  input?: string;
  timeoutMs?: number;
}

export function run(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    const verbose = !!process.env.APPTAINER_E2E_VERBOSE;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d;
      output += d;
      if (verbose) process.stderr.write(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d;
      output += d;
      if (verbose) process.stderr.write(d);
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, output });
    });
  });
}

/** Like `run`, but a non-zero exit becomes an error that carries the command's output. */
export async function runChecked(argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const result = await run(argv, opts);
  if (result.code !== 0) {
    throw new Error(`${argv.join(' ')} exited with ${result.code}\n${tail(result.output)}`);
  }
  return result;
}

/** The last lines of a long output, enough to see why something failed. */
export function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** `rm -rf` in a child process: deleting a root synchronously would block the test worker. */
export async function removeTree(dir: string): Promise<void> {
  await runChecked(['rm', '-rf', '--one-file-system', '--', dir]);
}
