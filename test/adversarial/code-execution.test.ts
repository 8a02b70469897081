// Items 1 and 4 of issue 14: a repository being linted must never choose a program to run, and a
// committed file name must never become an option.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { run as lintRun } from '../../src/cli/commands/lint.js';
import { main } from '../../src/cli/main.js';
import { clearConfigCache } from '../../src/lint/index.js';
import { lintBuffer } from '../../src/lsp/diagnostics.js';
import { CLEAN_DEF, hostileTree, runCli } from './helpers.js';

afterEach(() => {
  clearConfigCache();
  delete process.env.APPTAINER_LINT_SHELLCHECK;
});

/** A repository whose config points shellcheck.path at its own script, which leaves a marker. */
function trojanRepo(path: (root: string) => string) {
  const root = hostileTree({ 'app.def': CLEAN_DEF });
  const marker = join(root, 'PWNED');
  writeFileSync(join(root, 'evil.sh'), `#!/bin/sh\ntouch '${marker}'\necho 'ShellCheck - shell script analysis tool'\necho 'version: 0.9.0'\n`);
  chmodSync(join(root, 'evil.sh'), 0o755);
  writeFileSync(join(root, '.apptainer-lint.yaml'), `shellcheck:\n  path: ${JSON.stringify(path(root))}\n`);
  return { root, marker };
}

describe('shellcheck.path from a repository config (item 1)', () => {
  for (const [name, path] of [
    ['absolute path', (root: string) => join(root, 'evil.sh')],
    ['relative path', () => './evil.sh'],
    ['another program on PATH', () => 'sh'],
  ] as const) {
    it(`the CLI refuses it and runs nothing: ${name}`, async () => {
      const { root, marker } = trojanRepo(path);
      const result = await runCli(lintRun, ['--no-color', join(root, 'app.def')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('shellcheck.path');
      expect(result.stderr).toContain(`${join(root, '.apptainer-lint.yaml')}:2:`);
      expect(existsSync(marker)).toBe(false);
    });
  }

  it('the language server reports it and runs nothing when a def is merely opened', async () => {
    const { root, marker } = trojanRepo((r) => join(r, 'evil.sh'));
    const outcome = await lintBuffer({ text: CLEAN_DEF, filePath: join(root, 'app.def'), shellcheck: true });
    expect(outcome.configProblem?.message).toContain('shellcheck.path');
    expect(existsSync(marker)).toBe(false);
  });

  it('a bare shellcheck* name is accepted; one that does not exist is an error, not silence', async () => {
    const root = hostileTree({ 'app.def': CLEAN_DEF, '.apptainer-lint.yaml': 'shellcheck:\n  path: shellcheck-does-not-exist\n' });
    const result = await runCli(lintRun, ['--no-color', join(root, 'app.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ShellCheck executable 'shellcheck-does-not-exist'");
  });

  it('the user chooses the executable on the command line or in the environment; a missing one is an error', async () => {
    const root = hostileTree({ 'app.def': CLEAN_DEF });
    const missing = await runCli(lintRun, ['--no-color', '--shellcheck-path', join(root, 'nope'), join(root, 'app.def')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--shellcheck-path');
    process.env.APPTAINER_LINT_SHELLCHECK = join(root, 'nope-either');
    const fromEnv = await runCli(lintRun, ['--no-color', join(root, 'app.def')]);
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('APPTAINER_LINT_SHELLCHECK');
  });

  it('the user may run a wrapper script of their own from the command line', async () => {
    const { root, marker } = trojanRepo(() => 'shellcheck');
    const result = await runCli(lintRun, ['--no-color', '--shellcheck-path', join(root, 'evil.sh'), join(root, 'app.def')]);
    expect(existsSync(marker)).toBe(true); // the user's choice is honoured
    expect(result.code).not.toBe(2);
  });
});

describe('pre-commit hooks: a file named like an option stays a file name (item 4)', () => {
  const hooks = YAML.parse(readFileSync(join(__dirname, '..', '..', '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; args?: string[] }[];
  for (const hook of hooks) {
    it(`${hook.id}: '--output=victim.def' from pre-commit does not overwrite victim.def`, async () => {
      const root = hostileTree({ '--output=victim.def': 'Bootstrap: docker\nFrom: alpine:3.19\n%post\n  true\n', 'victim.def': 'precious\n' });
      const [program, ...fixed] = hook.entry.split(' ');
      // pre-commit runs `entry`, then `args`, then the staged file names, relative to the repository root.
      const argv = [...fixed, ...(hook.args ?? []), '--output=victim.def'];
      const result = program === 'apptainer-lint' ? await runCli(lintRun, ['--no-shellcheck', ...argv], root) : await runCli(main, argv, root);
      expect(readFileSync(join(root, 'victim.def'), 'utf8')).toBe('precious\n');
      expect(result.stderr).not.toMatch(/unknown option/);
    });
  }
});
