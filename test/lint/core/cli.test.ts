import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseLintArgs, run } from '../../../src/cli/commands/lint.js';
import { run as runRules } from '../../../src/cli/commands/rules.js';
import { run as runExplain } from '../../../src/cli/commands/explain.js';
import { SIMPLE_DEF, tempTree } from './helpers.js';
import { registerTestRules } from './test-rules.js';

let unregister: () => void;
beforeAll(() => {
  unregister = registerTestRules();
});
afterAll(() => unregister());
afterEach(() => vi.restoreAllMocks());

async function cli(command: (argv: string[]) => Promise<number>, argv: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await command(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

const lintCli = (argv: string[]) => cli(run, ['--no-shellcheck', '--no-color', ...argv]);
const jsonRows = (stdout: string) => JSON.parse(stdout) as { file: string; ruleId: string; line: number }[];
const ECHO_DEF = SIMPLE_DEF; // `echo hello` in %post: one DEF997 finding (warning, safe fix)
const MALFORMED = SIMPLE_DEF + '# apptainer-lint bogus\n'; // DEF992 (warning)

describe('lint command', () => {
  it('exit codes: 0 below the threshold, 1 at or above it', async () => {
    const root = tempTree({ 'a.def': MALFORMED });
    const below = await lintCli(['--rule', 'test-echo=off', '--rule', 'test-context=off', join(root, 'a.def')]);
    expect(below.code).toBe(0);
    expect(below.stdout).toContain('DEF992/invalid-pragma');
    const at = await lintCli(['--fail-on', 'warning', '-f', 'json', join(root, 'a.def')]);
    expect(at.code).toBe(1);
    expect(jsonRows(at.stdout).map((row) => row.ruleId)).toEqual(expect.arrayContaining(['DEF992', 'DEF997']));
    const configured = await lintCli(['--rule', 'DEF992=error', '--rule', 'DEF997=off', '-f', 'json', join(root, 'a.def')]);
    expect(configured.code).toBe(1);
  });

  it('exit code 2: missing file, directory without def files, bad option, bad config', async () => {
    const root = tempTree({ 'empty/readme.txt': 'x', 'bad/.apptainer-lint.yaml': 'rules:\n  DEF992: loud\n', 'bad/x.def': SIMPLE_DEF });
    const missing = await lintCli([join(root, 'nope.def')]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('no such file');
    expect((await lintCli([join(root, 'empty')])).code).toBe(2);
    expect((await lintCli(['--frobnicate'])).code).toBe(2);
    expect((await lintCli(['-f', 'xml', join(root, 'bad/x.def')])).code).toBe(2);
    const badConfig = await lintCli([join(root, 'bad/x.def')]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toBe(
      `${join(root, 'bad/.apptainer-lint.yaml')}:2:11: invalid configuration at /rules/DEF992: must be equal to one of the allowed values: error, warning, info, style, off\n`,
    );
  });

  it('searches directories for def files, honouring .gitignore', async () => {
    const root = tempTree({
      '.gitignore': 'build/\nskip.def\n',
      'a.def': SIMPLE_DEF,
      Singularity: SIMPLE_DEF,
      'sub/Apptainer.gpu': SIMPLE_DEF,
      'sub/Singularity.txt': SIMPLE_DEF,
      'sub/notes.md': 'x',
      'skip.def': SIMPLE_DEF,
      'build/out.def': SIMPLE_DEF,
      'node_modules/x/y.def': SIMPLE_DEF,
    });
    const { code, stdout } = await lintCli(['-f', 'json', '--rule', 'DEF997=error', root]);
    expect(code).toBe(1);
    const files = [...new Set(jsonRows(stdout).map((row) => row.file.slice(root.length + 1)))].sort();
    expect(files).toEqual(['Singularity', 'a.def', 'sub/Apptainer.gpu', 'sub/Singularity.txt']);
    // A file named explicitly is linted even when ignored.
    const explicit = await lintCli(['-f', 'json', join(root, 'skip.def')]);
    expect(jsonRows(explicit.stdout).some((row) => row.ruleId === 'DEF997')).toBe(true);
  });

  it('honours the repository .gitignore when linting a subfolder', async () => {
    const root = tempTree({ '.git/HEAD': '', '.gitignore': 'generated/\n', 'sub/a.def': SIMPLE_DEF, 'sub/generated/b.def': SIMPLE_DEF });
    const { stdout } = await lintCli(['-f', 'json', join(root, 'sub')]);
    expect([...new Set(jsonRows(stdout).map((row) => row.file.slice(root.length + 1)))]).toEqual(['sub/a.def']);
  });

  it('one configuration per config file for a directory of files; overrides still per file', async () => {
    // The run resolves a configuration without `overrides` once and shares it: each file must
    // still get its own directory's configuration, and `overrides` must still see each file name.
    const root = tempTree({
      'plain/a.def': ECHO_DEF,
      'plain/b.def': ECHO_DEF,
      'off/.apptainer-lint.yaml': 'rules:\n  DEF997: off\n',
      'off/a.def': ECHO_DEF,
      'off/b.def': ECHO_DEF,
      'over/.apptainer-lint.yaml': 'overrides:\n  - files: "a*.def"\n    rules:\n      DEF997: off\n',
      'over/a.def': ECHO_DEF,
      'over/b.def': ECHO_DEF,
    });
    const { stdout } = await lintCli(['-f', 'json', root]);
    const echoed = jsonRows(stdout)
      .filter((row) => row.ruleId === 'DEF997')
      .map((row) => row.file.split(/[\\/]/).slice(-2).join('/'))
      .sort();
    expect(echoed).toEqual(['over/b.def', 'plain/a.def', 'plain/b.def']);
  });

  it('expands glob operands', async () => {
    const root = tempTree({ 'x/one.def': SIMPLE_DEF, 'x/two.def': SIMPLE_DEF, 'x/three.txt': SIMPLE_DEF });
    const { stdout } = await lintCli(['-f', 'json', join(root, 'x/*.def')]);
    const files = [...new Set(jsonRows(stdout).map((row) => row.file.slice(root.length + 1)))].sort();
    expect(files).toEqual(['x/one.def', 'x/two.def']);
    expect((await lintCli([join(root, 'x/*.none')])).code).toBe(2);
  });

  it('reads stdin with --stdin-filename', async () => {
    Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(MALFORMED)]), configurable: true });
    const { code, stdout } = await lintCli(['-f', 'gnu', '--rule', 'test-context=off', '--stdin-filename', 'from-stdin.def', '-']);
    expect(code).toBe(0);
    expect(stdout).toContain('from-stdin.def:6:1: warning: Malformed pragma');
  });

  it('--print-config prints the effective configuration', async () => {
    const root = tempTree({ '.apptainer-lint.yaml': 'extends: strict\nfailOn: info\nrules:\n  invalid-pragma: style\n', 'x.def': '' });
    const { code, stdout } = await lintCli(['--print-config', join(root, 'x.def'), '--rule', 'DEF990=error']);
    expect(code).toBe(0);
    const config = JSON.parse(stdout);
    expect(config).toMatchObject({ extends: ['strict'], failOn: 'info', configFile: join(root, '.apptainer-lint.yaml') });
    expect(config.rules).toMatchObject({ DEF992: 'style', DEF990: 'error', DEF991: 'warning' });
  });

  it('--fix applies safe fixes in place; --fix-dry-run prints a diff and writes nothing', async () => {
    const root = tempTree({ 'a.def': ECHO_DEF });
    const path = join(root, 'a.def');
    const dry = await lintCli(['--fix-dry-run', path]);
    expect(dry.stdout).toContain('-    echo hello\n+    printf hello\n');
    expect(readFileSync(path, 'utf8')).toBe(ECHO_DEF);
    const fixed = await lintCli(['--fix', '-f', 'json', path]);
    expect(readFileSync(path, 'utf8')).toBe(ECHO_DEF.replace('echo', 'printf'));
    expect(jsonRows(fixed.stdout).some((row) => row.ruleId === 'DEF997')).toBe(false);
    expect(readdirSync(root)).toEqual(['a.def']); // no temporary files left behind
  });

  it('-o writes the report to a file; --build-arg-file and --build-arg feed templates', async () => {
    const root = tempTree({ 'a.def': 'Bootstrap: docker\nFrom: {{ IMAGE }}\n', 'args.txt': 'IMAGE=from-file\n\nbroken line\n' });
    const result = await lintCli(['-f', 'json', '-o', join(root, 'out.json'), '--build-arg-file', join(root, 'args.txt'), join(root, 'a.def')]);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('args.txt:3:1: warning: skipping');
    const rows = JSON.parse(readFileSync(join(root, 'out.json'), 'utf8')) as { ruleId: string; message: string }[];
    expect(rows.find((row) => row.ruleId === 'DEF996')?.message).toBe('from=from-file version=undefined');
    const override = await lintCli(['-f', 'json', '--build-arg-file', join(root, 'args.txt'), '--build-arg', 'IMAGE=cli', join(root, 'a.def')]);
    expect(jsonRows(override.stdout).find((row) => row.ruleId === 'DEF996')).toMatchObject({ message: 'from=cli version=undefined' });
    expect(existsSync(join(root, 'out.json'))).toBe(true);
  });

  it('parses options strictly', () => {
    expect(parseLintArgs(['--format=json', '--rule=DEF990=off', 'a.def'])).toMatchObject({ format: 'json', rules: { DEF990: 'off' }, operands: ['a.def'] });
    expect(() => parseLintArgs(['--rule', 'nonsense=off'])).toThrow(/unknown rule/);
    expect(() => parseLintArgs(['--fail-on', 'fatal'])).toThrow();
    expect(() => parseLintArgs(['--fix', '--fix-dry-run'])).toThrow();
    expect(() => parseLintArgs(['--build-arg', 'novalue'])).toThrow(/KEY=VALUE/);
  });
});

describe('rules and explain commands', () => {
  it('rules lists every rule as a table or JSON', async () => {
    const table = await cli(runRules, []);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^DEF990\s+unused-ignore-pragma\s+pragmas\s+info/m);
    const json = await cli(runRules, ['--format', 'json']);
    const rows = JSON.parse(json.stdout) as { id: string; docs: string }[];
    expect(rows.find((row) => row.id === 'DEF992')?.docs).toBe('https://github.com/apptainer-gen/apptainer-gen/blob/main/docs/rules/DEF992.md');
    expect((await cli(runRules, ['--format', 'yaml'])).code).toBe(2);
  });

  it('explain accepts ids, slugs and ShellCheck codes', async () => {
    const byId = await cli(runExplain, ['DEF990']);
    const bySlug = await cli(runExplain, ['unused-ignore-pragma']);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toBe(bySlug.stdout);
    expect(byId.stdout).toContain('# DEF990 unused-ignore-pragma');
    expect((await cli(runExplain, ['SC2086'])).stdout).toContain('https://www.shellcheck.net/wiki/SC2086');
    // The ShellCheck pass is a registered rule, with its own page.
    const shellCheck = await cli(runExplain, ['DEF300']);
    expect(shellCheck.code).toBe(0);
    expect(shellCheck.stdout).toContain('# DEF300 shellcheck');
    expect(shellCheck.stdout).toContain('docs/rules/DEF300.md');
    const unknown = await cli(runExplain, ['unused-ignore-pragmas']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("did you mean 'unused-ignore-pragma'");
  });
});
