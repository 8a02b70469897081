// How the doctor touches the host: running a command (always with a time limit), reading the
// environment, listing folders, reading small files. Probes receive a HostAccess, so unit tests
// replay recorded outputs (test/doctor/fixtures/) and the real host is used only by the CLI.
import { execFile } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export type CommandOutcome =
  | { kind: 'ran'; code: number; stdout: string; stderr: string }
  /** The program is not on PATH (or not executable). */
  | { kind: 'missing' }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'failed'; message: string };

export interface HostAccess {
  run(argv: string[], timeoutMs: number): Promise<CommandOutcome>;
  env(name: string): string | undefined;
  /** Absolute path of an executable on PATH, or undefined. */
  which(name: string): string | undefined;
  /** Entry names of a folder, or undefined when it does not exist or cannot be read. */
  listDir(dir: string): string[] | undefined;
  /** A small text file, or undefined. */
  readText(file: string): string | undefined;
  exists(file: string): boolean;
}

/** Largest output kept from a probe: real probes print a few KB; anything bigger is cut. */
const MAX_OUTPUT = 4 * 1024 * 1024;

export function realHost(environment: NodeJS.ProcessEnv = process.env): HostAccess {
  const which = (name: string): string | undefined => {
    if (name.includes('/')) return isExecutable(name) ? name : undefined;
    for (const dir of (environment.PATH ?? '').split(':')) {
      if (!dir) continue;
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
    return undefined;
  };
  return {
    which,
    env: (name) => environment[name],
    run: (argv, timeoutMs) =>
      new Promise((resolve) => {
        const program = which(argv[0]);
        if (!program) return resolve({ kind: 'missing' });
        // LC_ALL=C: parsers expect the tools' untranslated output.
        const child = execFile(
          program,
          argv.slice(1),
          { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT, env: { ...environment, LC_ALL: 'C' }, windowsHide: true },
          (err, stdout, stderr) => {
            if (!err) return resolve({ kind: 'ran', code: 0, stdout, stderr });
            const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown; signal?: string };
            if (e.killed && e.signal === 'SIGKILL') return resolve({ kind: 'timeout', afterMs: timeoutMs });
            if (e.code === 'ENOENT' || e.code === 'EACCES') return resolve({ kind: 'missing' });
            if (typeof e.code === 'number') return resolve({ kind: 'ran', code: e.code, stdout, stderr });
            resolve({ kind: 'failed', message: e.message.split('\n')[0] });
          },
        );
        child.stdin?.end();
      }),
    listDir: (dir) => {
      try {
        return readdirSync(dir).sort();
      } catch {
        return undefined;
      }
    },
    readText: (file) => {
      try {
        if (statSync(file).size > MAX_OUTPUT) return undefined;
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (file) => {
      try {
        statSync(file);
        return true;
      } catch {
        return false;
      }
    },
  };
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A probe's command result as text, or why there is none (for `unknown` facts). */
export type ProbeText = { ok: true; text: string; stdout: string } | { ok: false; reason: string };

/** Runs one probe command; a non-zero exit, a missing tool and a timeout all become reasons. */
export async function probeCommand(host: HostAccess, argv: string[], timeoutMs: number): Promise<ProbeText> {
  const shown = argv.join(' ');
  const outcome = await host.run(argv, timeoutMs);
  switch (outcome.kind) {
    case 'missing':
      return { ok: false, reason: `${argv[0]} not found on PATH` };
    case 'timeout':
      return { ok: false, reason: `${shown} gave no answer within ${Math.round(outcome.afterMs / 1000)} s` };
    case 'failed':
      return { ok: false, reason: `${shown} could not run: ${outcome.message}` };
    case 'ran': {
      const text = `${outcome.stdout}${outcome.stderr ? `\n${outcome.stderr}` : ''}`;
      if (outcome.code !== 0) {
        const last = lastLine(outcome.stderr) ?? lastLine(outcome.stdout) ?? '';
        return { ok: false, reason: `${shown} exited with status ${outcome.code}${last ? `: ${last}` : ''}` };
      }
      return { ok: true, text, stdout: outcome.stdout };
    }
  }
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? lines[lines.length - 1] : undefined;
}
