// `apptainer-lint --init`: writes a commented starting configuration in the current folder.
// Never overwrites: an existing configuration is a usage error (exit 2).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const INITIAL_CONFIG = `# apptainer-lint configuration (docs/linting.md; JSON Schema: schemas/lint-config.schema.json).
# Applies to definition files in this folder and below, unless a nearer one exists.

# Presets, applied in order: recommended (default), strict, hpc, security.
extends: [recommended]

# Exit status 1 for findings at or above this severity: error (default), warning, info, style,
# or none. pre-commit shows a hook's output only when it fails, so pick what must block a commit.
failOn: error

# Per-rule severities (error, warning, info, style, off), by id or slug; ShellCheck codes too.
# rules:
#   DEF214: warning          # missing-help: every image documents itself
#   SC2086: info
rules: {}

# Rules for some files only (globs relative to this file's folder).
# overrides:
#   - files: "legacy/**"
#     rules: { DEF401: off }
overrides: []

# Files not to lint at all, in .gitignore syntax (relative to this file's folder).
# ignorePatterns: [test/fixtures/]
ignorePatterns: []

# Registries base images may come from, labels every final stage must set, label formats
# (semver, url, email, spdx, rfc3339, githash or a regular expression).
# trustedRegistries: [docker.io, ghcr.io]
# requiredLabels: [org.opencontainers.image.authors]
# labelSchema:
#   org.opencontainers.image.version: '^\\d+\\.\\d+\\.\\d+$'

# Run ShellCheck on script sections when it is installed.
shellcheck: true
`;

export function writeInitialConfig(folder: string): number {
  for (const name of ['.apptainer-lint.yaml', '.apptainer-lint.yml']) {
    if (existsSync(join(folder, name))) {
      process.stderr.write(`apptainer-lint: ${name} already exists; not overwriting it\n`);
      return 2;
    }
  }
  const target = join(folder, '.apptainer-lint.yaml');
  try {
    writeFileSync(target, INITIAL_CONFIG, { flag: 'wx' });
  } catch (err) {
    process.stderr.write(`apptainer-lint: cannot write ${target} (${(err as NodeJS.ErrnoException).code ?? String(err)})\n`);
    return 2;
  }
  process.stdout.write(`apptainer-lint: wrote ${target}\n`);
  return 0;
}
