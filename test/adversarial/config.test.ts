// Item 14 of issue 14 (and the config side of item 13): a hostile `.apptainer-lint.yaml` gets a
// clean error, bounded work, and never has its content echoed beyond a short excerpt.
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run as lintRun } from '../../src/cli/commands/lint.js';
import { clearConfigCache } from '../../src/lint/index.js';
import { hostPattern } from '../../src/lint/vocab/security-registries.js';
import { lintBuffer } from '../../src/lsp/diagnostics.js';
import { CLEAN_DEF, hostileTree, runCli } from './helpers.js';

afterEach(() => clearConfigCache());
const lint = (argv: string[]) => runCli(lintRun, ['--no-shellcheck', '--no-color', ...argv]);

const BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '',
].join('\n');

describe('hostile configuration files (item 14)', () => {
  it('a YAML alias bomb is a clean configuration error, not a stack trace', async () => {
    const root = hostileTree({ '.apptainer-lint.yaml': BOMB, 'a.def': CLEAN_DEF });
    const result = await lint([join(root, 'a.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.apptainer-lint\.yaml:1:1: invalid YAML: .*alias/i);
    expect(result.stderr).not.toMatch(/\bat \w+ \(/); // no stack frames
  });

  it('a config symlinked to a secret file echoes no more than a short excerpt', async () => {
    const secret = 'sk_live_0123456789abcdefghijklmnopqrstuvwxyz';
    const root = hostileTree({ 'secret.txt': `${secret}: 1\n`, 'a.def': CLEAN_DEF, 'other/secret2.txt': `rules:\n  ${secret}: error\n` });
    symlinkSync(join(root, 'secret.txt'), join(root, '.apptainer-lint.yaml'));
    const result = await lint([join(root, 'a.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown key');
    expect(result.stderr).not.toContain(secret);
    symlinkSync(join(root, 'other', 'secret2.txt'), join(root, 'other', '.apptainer-lint.yaml'));
    writeFileSync(join(root, 'other', 'a.def'), CLEAN_DEF);
    const rules = await lint([join(root, 'other', 'a.def')]);
    expect(rules.stderr).toContain('unknown rule');
    expect(rules.stderr).not.toContain(secret);
  });

  it('a config that is a symlink to /dev/zero is refused at once (CLI and language server)', async () => {
    const root = hostileTree({ 'a.def': CLEAN_DEF });
    symlinkSync('/dev/zero', join(root, '.apptainer-lint.yaml'));
    const result = await lint([join(root, 'a.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not a regular file');
    // The language server only considers regular files as configs: it lints with the defaults.
    const outcome = await lintBuffer({ text: CLEAN_DEF, filePath: join(root, 'a.def'), shellcheck: false });
    expect(outcome.configProblem).toBeUndefined();
    expect(Array.isArray(outcome.findings)).toBe(true);
  });

  it('trustedRegistries globs with many ** match in linear steps, with the same meaning', () => {
    const evil = hostPattern('**a'.repeat(40) + 'b');
    expect(evil('a'.repeat(200))).toBe(false); // a backtracking regular expression never returns here
    expect(evil('a'.repeat(40) + 'b')).toBe(true);
    expect(hostPattern('*.example.org')('registry.example.org')).toBe(true);
    expect(hostPattern('*.example.org')('a/b.example.org')).toBe(false);
    expect(hostPattern('ghcr.io/**')('ghcr.io/org/team/img')).toBe(true);
    expect(hostPattern('ghcr.io/*')('ghcr.io/org/team')).toBe(false);
    expect(hostPattern('docker.i?')('docker.io')).toBe(true);
    expect(hostPattern('docker.io')('docker.iox')).toBe(false);
  });

  it('the registry rule with such a glob from a config still lints', async () => {
    const root = hostileTree({
      '.apptainer-lint.yaml': `trustedRegistries: ["${'**a'.repeat(40)}b"]\n`,
      'a.def': 'Bootstrap: docker\nFrom: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.io/x:1\n',
    });
    const result = await lint(['-f', 'json', join(root, 'a.def')]);
    expect(JSON.parse(result.stdout).map((row: { ruleId: string }) => row.ruleId)).toContain('DEF509');
  });
});
