// Packs the working tree as `npm pack` would from a clone: a snapshot of the tracked and untracked
// files (so prepack/postpack never touch the checkout), with the checkout's node_modules for the
// build tools. Returns the tarball's path.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export function packWorkingTree(temp: string): string {
  const snapshot = join(temp, 'project');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((file) => file !== '' && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(snapshot, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(snapshot, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(snapshot, 'node_modules'));
  const packs = join(temp, 'packs');
  mkdirSync(packs);
  execFileSync('npm', ['pack', '--pack-destination', packs], { cwd: snapshot, stdio: 'pipe' });
  return join(packs, `apptainer-gen-${VERSION}.tgz`);
}

/** The environment of a clean shell: npm's own npm_* variables (from `npm run`) removed. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('npm_')) delete env[key];
  delete env.XDG_CACHE_HOME;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * spawnSync's result, asynchronously: a test worker blocked for a minute in spawnSync misses
 * vitest's RPC deadline ("Timeout calling onTaskUpdate") and fails the run.
 */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
