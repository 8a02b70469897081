// Command-line conventions that users of ESLint, hadolint and ShellCheck expect from
// `apptainer-lint`, each checked through the installed launcher (bin/, the bundles).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../lsp/build.js';
import { tempDir } from '../helpers/temp.js';

const LINT = join(ROOT, 'bin', 'apptainer-lint.js');
const GEN = join(ROOT, 'bin', 'apptainer-gen.js');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

const WARNING_ONLY = 'Bootstrap: docker\nFrom: alpine\n'; // DEF401 from-untagged, a warning
const ERROR = 'Bootstrap: docker\nFrom: alpine:3.19\n\n%postt\n    true\n'; // DEF001, an error

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'lint-conventions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh folder with the given files. */
function folder(files: Record<string, string>): string {
  const path = mkdtempSync(join(dir, 'case-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(path, name, '..'), { recursive: true });
    writeFileSync(join(path, name), text);
  }
  return path;
}

function lint(cwd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, APPTAINER_GEN_NO_CODE_CACHE: '1', ...options.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  if (options.env?.FORCE_COLOR !== undefined) env.FORCE_COLOR = options.env.FORCE_COLOR;
  return spawnSync(process.execPath, [LINT, '--no-shellcheck', ...args], { cwd, env, input: options.input, encoding: 'utf8' });
}

const ruleIds = (stdout: string) => (JSON.parse(stdout) as { file: string; ruleId: string }[]).map((f) => `${f.file} ${f.ruleId}`);

// Each test starts several processes: generous time on a busy 2-core machine.
describe('apptainer-lint conventions', { timeout: 240_000 }, () => {
  it('--version and -v print the package version', () => {
    for (const flag of ['--version', '-v']) {
      const run = lint(dir, [flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
    const viaGen = spawnSync(process.execPath, [GEN, 'lint', '--version'], { encoding: 'utf8' });
    expect(viaGen.stdout).toBe(`${version}\n`);
  });

  it('a closed pipe (`| head`) ends quietly, with the run’s own exit status', () => {
    const files: Record<string, string> = {};
    // Enough output to overflow a pipe's buffer after head has gone.
    for (let i = 0; i < 300; i++) files[`f${i}.def`] = ERROR;
    const cwd = folder(files);
    const script = `set -o pipefail; node ${JSON.stringify(LINT)} --no-shellcheck --format json . 2>${JSON.stringify(join(cwd, 'stderr.txt'))} | head -c 10 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
    const run = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...process.env, APPTAINER_GEN_NO_CODE_CACHE: '1' } });
    expect(run.stdout.trim()).toBe('status=1');
    expect(readFileSync(join(cwd, 'stderr.txt'), 'utf8')).toBe('');
  });

  it('--stdin-filename needs `-` among the operands', () => {
    const cwd = folder({ 'other.def': ERROR });
    const bad = lint(cwd, ['--stdin-filename', 'x.def', '.']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--stdin-filename .*'-'/);
    expect(bad.stdout).toBe('');
    const good = lint(cwd, ['--format', 'json', '--stdin-filename', 'x.def', '-'], { input: WARNING_ONLY });
    expect(good.status).toBe(0);
    expect(ruleIds(good.stdout)).toEqual(['x.def DEF401']);
  });

  it('ignorePatterns in .apptainer-lint.yaml and --ignore-pattern skip files, named ones too', () => {
    const cwd = folder({
      '.apptainer-lint.yaml': 'ignorePatterns:\n  - fixtures/\n',
      'app.def': WARNING_ONLY,
      'fixtures/broken.def': ERROR,
      'more/Singularity.old': ERROR,
    });
    const run = lint(cwd, ['--format', 'json', '.']);
    expect(ruleIds(run.stdout).sort()).toEqual(['app.def DEF401', 'more/Singularity.old DEF001']);
    const withCli = lint(cwd, ['--format', 'json', '--ignore-pattern', 'Singularity.*', '.']);
    expect(withCli.status).toBe(0);
    expect(ruleIds(withCli.stdout)).toEqual(['app.def DEF401']);
    // pre-commit names files: ignored ones are skipped all the same.
    const named = lint(cwd, ['--format', 'json', 'fixtures/broken.def', 'app.def']);
    expect(named.status).toBe(0);
    expect(ruleIds(named.stdout)).toEqual(['app.def DEF401']);
    const badConfig = lint(folder({ '.apptainer-lint.yaml': 'ignorePatterns: fixtures\n', 'a.def': WARNING_ONLY }), ['a.def']);
    expect(badConfig.status).toBe(2);
  });

  it('--max-warnings N fails when there are more than N warnings', () => {
    const cwd = folder({ 'a.def': WARNING_ONLY, 'b.def': WARNING_ONLY });
    expect(lint(cwd, ['.']).status).toBe(0);
    expect(lint(cwd, ['--max-warnings', '2', '.']).status).toBe(0);
    const over = lint(cwd, ['--max-warnings', '1', '.']);
    expect(over.status).toBe(1);
    expect(over.stderr).toContain('too many warnings (2; --max-warnings 1)');
    expect(lint(cwd, ['--max-warnings', 'many', '.']).status).toBe(2);
  });

  it('--init writes a commented, valid .apptainer-lint.yaml once', () => {
    const cwd = folder({ 'a.def': WARNING_ONLY });
    const init = lint(cwd, ['--init']);
    expect(init.status, init.stderr).toBe(0);
    const written = readFileSync(join(cwd, '.apptainer-lint.yaml'), 'utf8');
    expect(written).toMatch(/^# /);
    expect(written).toContain('failOn: error');
    const printed = lint(cwd, ['--print-config', 'a.def']);
    expect(printed.status, printed.stderr).toBe(0);
    expect(JSON.parse(printed.stdout).configFile).toBe(join(cwd, '.apptainer-lint.yaml'));
    const again = lint(cwd, ['--init']);
    expect(again.status).toBe(2);
    expect(readFileSync(join(cwd, '.apptainer-lint.yaml'), 'utf8')).toBe(written);
  });

  it('--help lists --color; FORCE_COLOR=0 turns colour off even on a terminal', () => {
    expect(lint(dir, ['--help']).stdout).toMatch(/--color, --no-color/);
    const cwd = folder({ 'a.def': WARNING_ONLY });
    // `script` gives the command a terminal, where colour is on by default.
    const onTerminal = (force?: string) =>
      spawnSync('script', ['-qec', `node ${JSON.stringify(LINT)} --no-shellcheck a.def`, '/dev/null'], {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, APPTAINER_GEN_NO_CODE_CACHE: '1', NO_COLOR: '', FORCE_COLOR: force },
      }).stdout;
    expect(onTerminal()).toContain('\u001b[');
    expect(onTerminal('0')).toContain('DEF401');
    expect(onTerminal('0')).not.toContain('\u001b[');
    expect(lint(cwd, ['a.def'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    // check-job shares the rule.
    const recipes = join(ROOT, 'fixtures', 'recipes');
    const checkJob = (force?: string) =>
      spawnSync('script', ['-qec', `node ${JSON.stringify(GEN)} check-job openmpi-pmix.job.sh --image mpich-pmi2.def`, '/dev/null'], {
        cwd: recipes,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '', FORCE_COLOR: force },
      }).stdout;
    expect(checkJob()).toContain('\u001b[');
    expect(checkJob('0')).toContain('DEF707');
    expect(checkJob('0')).not.toContain('\u001b[');
  });

  it('JUnit: findings below failOn are passing test cases, at or above it failures', () => {
    const cwd = folder({ 'a.def': WARNING_ONLY, 'b.def': ERROR });
    const below = lint(cwd, ['--format', 'junit', 'a.def']);
    expect(below.status).toBe(0);
    expect(below.stdout).toMatch(/<testsuites [^>]*failures="0"/);
    expect(below.stdout).toContain('<system-out>a.def:2:7: warning:');
    const atThreshold = lint(cwd, ['--format', 'junit', '--fail-on', 'warning', 'a.def', 'b.def']);
    expect(atThreshold.status).toBe(1);
    expect(atThreshold.stdout).toMatch(/<testsuites [^>]*failures="2"/);
    expect(atThreshold.stdout.match(/<failure /g)).toHaveLength(2);
  });

  it('labelSchema accepts a regular expression, as its schema and docs show', () => {
    const config = "labelSchema:\n  org.opencontainers.image.version: '^\\d+\\.\\d+\\.\\d+$'\n  maintainer: email\n";
    const label = (version: string) =>
      `Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    org.opencontainers.image.version ${version}\n    maintainer someone@example.org\n`;
    const cwd = folder({ '.apptainer-lint.yaml': config, 'bad.def': label('1.2'), 'good.def': label('1.2.3') });
    const run = lint(cwd, ['--format', 'json', '.']);
    const findings = JSON.parse(run.stdout) as { file: string; ruleId: string; message: string }[];
    expect(findings.filter((f) => f.ruleId === 'DEF216')).toEqual([
      expect.objectContaining({ file: 'bad.def', message: expect.stringContaining('should match /^\\d+\\.\\d+\\.\\d+$/') }),
    ]);
  });
});

describe('parse --format apptainer-json', () => {
  it("prints the full parser's diagnostics for an accepted file with a byte order mark, and for a rejected file", () => {
    const dir = tempDir('parse-cli-');
    writeFileSync(join(dir, 'bom.def'), '\ufeffOtherURL12: y\\\n%appinstall a\n');
    writeFileSync(join(dir, 'bad.def'), 'Bootstrap: docker\nFrom: x\n%nosuch\n  true\n');
    const accepted = spawnSync(process.execPath, [GEN, 'parse', join(dir, 'bom.def')], { encoding: 'utf8' });
    expect(accepted.status).toBe(0);
    expect(JSON.parse(accepted.stdout).ok).toBe(true);
    expect(accepted.stderr).toContain('bom.def:1:1: error:');
    expect(accepted.stderr).toContain('[DEF014]');
    const rejected = spawnSync(process.execPath, [GEN, 'parse', join(dir, 'bad.def')], { encoding: 'utf8' });
    expect(rejected.status).toBe(1);
    expect(rejected.stderr).toContain('bad.def:3:2: error: unknown section "%nosuch" [DEF001]');
  });
});
