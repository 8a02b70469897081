// What every command run from the launcher shares: a reader that closes the pipe early ends the run
// quietly, and a crash is reported as one line with exit code 2. Kept apart from main.ts so that
// the `parse` bundle (dist/bundle/parse.js, see scripts/bundle.mjs) needs nothing else of the CLI.
import type { CommandRunner } from './main.js';

/**
 * `apptainer-lint . | head`: when the reader closes the pipe, the rest of the output has nowhere
 * to go. End quietly with the run's own status, as grep or ShellCheck do, not with an EPIPE trace.
 */
export function quietOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.stdout.destroy();
  });
}

/** Runs a command; an exception becomes an "internal error" message and exit code 2. */
export async function runCommand(run: CommandRunner, argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (err) {
    // A crash is a bug, but the user still deserves a clean message and a usage-class exit code.
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`apptainer-gen: internal error: ${message}\n`);
    return 2;
  }
}

/** The `main` of a bundle that holds one command (lint-main.ts, generate-main.ts, parse-main.ts). */
export function commandEntry(run: CommandRunner): CommandRunner {
  return async (argv) => {
    quietOnClosedPipe();
    return runCommand(run, argv);
  };
}
