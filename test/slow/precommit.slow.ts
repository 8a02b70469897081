// The pre-commit hooks, through the real `pre-commit` (Debian package `pre-commit`): it installs
// this project as a node hook (npm install + `prepare` build) and runs it on a temporary repo.
// The project's current working tree is snapshotted into a throwaway git repo first, so the
// test sees uncommitted work exactly as it is (try-repo on the real repo ignores untracked files).
// Slow suite: a missing `pre-commit` fails here, it is not skipped. The first run starts from
// empty pre-commit and npm caches, as on a fresh machine; its time is printed, not asserted (the
// goal, under a minute, is checked by `npm run bench`: on a machine busy with other work the
// same install takes twice as long).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

it('pre-commit is installed (apt-get install pre-commit)', () => {
  expect(spawnSync('pre-commit', ['--version']).status).toBe(0);
});

const GOOD = `Bootstrap: docker
From: alpine:3.19

%post
    apk add --no-cache curl

%runscript
    exec curl "$@"
`;

const BAD = `Bootstrap: docker
From: alpine:3.19

%postt
    apk add --no-cache curl
`;

describe('pre-commit with the real hooks (node install)', () => {
  let temp: string;
  let snapshot: string;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, stdio: 'pipe' }).toString();
  // Asynchronous, so the test worker stays responsive during the minutes an install can take.
  const preCommit = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn('pre-commit', args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += String(chunk)));
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'apptainer-precommit-'));
    env = {
      ...process.env,
      PRE_COMMIT_HOME: join(temp, 'pre-commit-home'),
      npm_config_cache: join(temp, 'npm-cache'),
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.org',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.org',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    snapshot = join(temp, 'project');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT })
      .toString()
      .split('\0')
      .filter((file) => file !== '');
    for (const file of files) {
      mkdirSync(dirname(join(snapshot, file)), { recursive: true });
      try {
        copyFileSync(join(ROOT, file), join(snapshot, file));
      } catch {
        // deleted in the working tree but still in the index
      }
    }
    git(snapshot, 'init', '-q');
    git(snapshot, 'add', '-A');
    git(snapshot, 'commit', '-q', '-m', 'snapshot');
    work = join(temp, 'work');
    mkdirSync(work);
    git(work, 'init', '-q');
  }, 120_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  // try-repo installs the hook into a throwaway store every time (a full npm install and
  // build), so it is used once; the other checks share one install through a config file.
  it('try-repo: apptainer-lint fails on a bad def file', async () => {
    writeFileSync(join(work, 'good.def'), GOOD);
    writeFileSync(join(work, 'Singularity.broken'), BAD);
    writeFileSync(join(work, 'notes.txt'), BAD); // not a def file: never linted
    git(work, 'add', '-A');
    const started = performance.now();
    const failing = await preCommit('try-repo', snapshot, 'apptainer-lint', '--all-files');
    const seconds = (performance.now() - started) / 1000;
    console.log(`pre-commit first run (install from empty caches + lint): ${seconds.toFixed(1)} s`);
    const output = failing.stdout + failing.stderr;
    expect(failing.status, output).toBe(1);
    expect(output).toContain('Singularity.broken');
    expect(output).toContain('DEF001');
    expect(output).not.toContain('notes.txt');
  }, 600_000);

  it('run: the README configuration; apptainer-lint passes on good files and fails on warnings; apptainer-fmt rewrites once, then passes', async () => {
    const rev = git(snapshot, 'rev-parse', 'HEAD').trim();
    // The README's configuration, pointed at the snapshot.
    const documented = /```yaml\n(repos:[\s\S]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1];
    expect(documented).toBeDefined();
    const config = YAML.parse(documented!) as { repos: { repo: string; rev: string; hooks: { id: string; args?: string[] }[] }[] };
    expect(config.repos[0].hooks.find((hook) => hook.id === 'apptainer-lint')?.args).toEqual(['--fail-on', 'warning', '--']);
    // The documented rev is a real commit of this repository, with both hooks.
    const documentedRev = config.repos[0].rev;
    expect(documentedRev).toMatch(/^[0-9a-f]{40}$/);
    expect(spawnSync('git', ['merge-base', '--is-ancestor', documentedRev, 'HEAD'], { cwd: ROOT }).status, `${documentedRev} is not in HEAD's history`).toBe(0);
    expect(execFileSync('git', ['show', `${documentedRev}:.pre-commit-hooks.yaml`], { cwd: ROOT }).toString()).toContain('id: apptainer-fmt');
    config.repos[0].repo = snapshot;
    config.repos[0].rev = rev;
    writeFileSync(join(work, '.pre-commit-config.yaml'), YAML.stringify(config));
    git(work, 'rm', '-q', '-f', 'Singularity.broken');
    git(work, 'add', '-A');
    const lintPasses = await preCommit('run', 'apptainer-lint', '--all-files');
    expect(lintPasses.status, lintPasses.stdout + lintPasses.stderr).toBe(0);
    writeFileSync(join(work, 'warned.def'), 'Bootstrap: docker\nFrom: alpine\n'); // DEF401, a warning
    git(work, 'add', '-A');
    const warned = await preCommit('run', 'apptainer-lint', '--all-files');
    expect(warned.status, warned.stdout + warned.stderr).toBe(1);
    expect(warned.stdout + warned.stderr).toContain('DEF401');
    git(work, 'rm', '-q', '-f', 'warned.def');

    writeFileSync(join(work, 'Apptainer'), 'BootStrap:docker\nfrom:   alpine:3.19\n%labels\n  Author me   \n');
    git(work, 'add', '-A');
    const first = await preCommit('run', 'apptainer-fmt', '--all-files');
    expect(first.status, first.stdout + first.stderr).toBe(1);
    expect(first.stdout + first.stderr).toMatch(/files were modified by this hook/);
    expect(readFileSync(join(work, 'Apptainer'), 'utf8')).toBe('Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n  Author me\n');
    expect(readFileSync(join(work, 'good.def'), 'utf8')).toBe(GOOD);
    git(work, 'add', '-A');
    const second = await preCommit('run', 'apptainer-fmt', '--all-files');
    expect(second.status, second.stdout + second.stderr).toBe(0);
  }, 600_000);
});
