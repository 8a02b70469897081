// A stand-in ShellCheck for tests: a shell script that answers `--version` and reports one finding
// on the same line of every script file it is given, in ShellCheck's json1 format.
import { chmodSync, writeFileSync } from 'node:fs';

export interface FakeShellCheck {
  /** What `--version` prints after `version: ` (a version of its own keeps real cached results out). */
  version: string;
  /** Shell lines run before answering (log a start, wait for a gate file...). */
  before: string[];
  /** The finding's columns, level, code, and message (a printf format; `%s` is the file). */
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

/** Writes the stand-in to `path`, executable. */
export function writeFakeShellCheck(path: string, fake: FakeShellCheck): void {
  const finding = `{"file":"%s","line":2,"endLine":2,"column":${fake.column},"endColumn":${fake.endColumn},"level":"${fake.level}","code":${fake.code},"message":"${fake.message}","fix":null}`;
  const messageArgs = fake.message.includes('%s') ? ' "$f"' : '';
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      `if [ "$1" = --version ]; then echo "version: ${fake.version}"; exit 0; fi`,
      ...fake.before,
      'printf \'{"comments":[\'',
      'sep=""',
      'for f in "$@"; do case "$f" in -*) continue ;; esac',
      `  printf '%s${finding}' "$sep" "$f"${messageArgs}`,
      '  sep=,',
      'done',
      "printf ']}'",
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
}
