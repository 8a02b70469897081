// docs/ci.md's GitHub Actions and GitLab CI jobs, run as written: every `run:` step (with
// GitHub's $GITHUB_PATH) / the whole `script:` in one shell, with the documented APPTAINER_GEN
// pointed at the packed tarball and an empty HOME, first on a clean repository, then with a
// broken def file. Hosted actions (`uses:`) cannot run here; the test checks that they read the files the
// commands write. Slow suite (`npm run test:slow`).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { cleanEnv, packWorkingTree, ROOT, run } from './pack.js';

const DOC = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => YAML.parse(match[1]) as Record<string, unknown>);

interface GitHubStep {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, string>;
}
const github = blocks.find((block) => 'jobs' in block) as { env: Record<string, string>; jobs: Record<string, { steps: GitHubStep[] }> };
const gitlab = blocks.find((block) => 'apptainer-lint' in block)?.['apptainer-lint'] as {
  variables: Record<string, string>;
  script: string[];
  artifacts: { when: string; reports: Record<string, string> };
};

const GOOD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apk add --no-cache curl\n\n%runscript\n    exec curl "$@"\n';
const BAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n%postt\n    apk add --no-cache curl\n';

interface StepRun {
  command: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

let temp: string;
let tarball: string;

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'apptainer-ci-'));
  tarball = packWorkingTree(temp);
}, 600_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

/** A repository with one clean def file, and an empty home for the job's install. */
function workspace(name: string): { work: string; env: NodeJS.ProcessEnv } {
  const work = join(temp, name, 'repo');
  mkdirSync(work, { recursive: true });
  mkdirSync(join(temp, name, 'home'));
  writeFileSync(join(work, 'app.def'), GOOD);
  const env = cleanEnv({
    APPTAINER_GEN: tarball,
    npm_config_cache: join(temp, name, 'npm-cache'),
    npm_config_update_notifier: 'false',
    HOME: join(temp, name, 'home'),
  });
  return { work, env };
}

async function shell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<StepRun> {
  // GitHub runs `run:` with `bash --noprofile --norc -eo pipefail`; GitLab's shell stops at a failing line.
  const result = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], { cwd, env });
  return { command, ...result };
}

/**
 * GitHub's rules: after a failed step, only steps with `if: always()` run; lines a step appends
 * to the file named by $GITHUB_PATH are put in front of PATH for the steps after it.
 */
async function runGitHubJob(work: string, env: NodeJS.ProcessEnv): Promise<StepRun[]> {
  const runs: StepRun[] = [];
  const githubPath = join(work, '..', 'github-path');
  writeFileSync(githubPath, '');
  let failed = false;
  for (const step of Object.values(github.jobs)[0].steps) {
    if (!step.run) continue;
    if (failed && !step.if?.includes('always()')) continue;
    const added = readFileSync(githubPath, 'utf8').split('\n').filter(Boolean).reverse();
    const result = await shell(step.run, work, {
      ...env,
      ...github.env,
      APPTAINER_GEN: env.APPTAINER_GEN,
      GITHUB_PATH: githubPath,
      PATH: [...added, process.env.PATH].join(':'),
    });
    runs.push(result);
    if (result.status !== 0) failed = true;
  }
  return runs;
}

/** GitLab runs the whole script in one shell and stops at the first failing command. */
function runGitLabJob(work: string, env: NodeJS.ProcessEnv): Promise<StepRun> {
  return shell(gitlab.script.join('\n'), work, { ...env, PATH: process.env.PATH });
}

const describeRuns = (runs: StepRun[]) => runs.map((run) => `$ ${run.command} -> ${run.status}\n${run.stdout}${run.stderr}`).join('\n');

describe('docs/ci.md', () => {
  it('has both jobs, installing from APPTAINER_GEN pinned to a commit of this repository', () => {
    expect(github).toBeDefined();
    expect(gitlab).toBeDefined();
    for (const source of [github.env.APPTAINER_GEN, gitlab.variables.APPTAINER_GEN]) {
      const rev = /#([0-9a-f]{40})$/.exec(source)?.[1];
      expect(rev, source).toBeDefined();
      // The pinned commit is in this branch's history (a shallow clone may lack it: fetch it) and has the package.
      expect(spawnSync('git', ['merge-base', '--is-ancestor', rev!, 'HEAD'], { cwd: ROOT }).status, `${rev} is not in HEAD's history`).toBe(0);
      expect(execFileSync('git', ['show', `${rev}:package.json`], { cwd: ROOT }).toString()).toContain('"apptainer-lint"');
    }
  });

  it('GitHub Actions: passes on a clean repository, annotates and fails on a broken file, uploads SARIF either way', async () => {
    const { work, env } = workspace('github');
    const clean = await runGitHubJob(work, env);
    expect(
      clean.map((run) => run.status),
      describeRuns(clean),
    ).toEqual(clean.map(() => 0));
    expect(clean.length).toBe(3);

    writeFileSync(join(work, 'Singularity.broken'), BAD);
    const broken = await runGitHubJob(work, env);
    const [install, lint, sarif] = broken;
    expect(install.status, describeRuns(broken)).toBe(0);
    expect(lint.status, describeRuns(broken)).toBe(1);
    expect(lint.stdout).toMatch(/^::error file=Singularity\.broken,line=4,col=2,.*DEF001/m);
    expect(lint.stdout).not.toContain('app.def');
    expect(sarif.status, describeRuns(broken)).toBe(0);
    const upload = Object.values(github.jobs)[0].steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'));
    expect(upload?.if).toContain('always()');
    const report = JSON.parse(readFileSync(join(work, upload!.with!.sarif_file), 'utf8'));
    expect(report.version).toBe('2.1.0');
    expect(report.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toContain('DEF001');
  });

  it('GitLab CI: Code Quality and JUnit reports, the job failing on errors only', async () => {
    const { work, env } = workspace('gitlab');
    writeFileSync(join(work, 'warned.def'), 'Bootstrap: docker\nFrom: alpine\n'); // DEF401 warning only
    const clean = await runGitLabJob(work, env);
    expect(clean.status, describeRuns([clean])).toBe(0);
    const junitClean = readFileSync(join(work, gitlab.artifacts.reports.junit), 'utf8');
    expect(junitClean).toMatch(/<testsuites [^>]*failures="0"/);
    expect(junitClean).toContain('DEF401');

    writeFileSync(join(work, 'Singularity.broken'), BAD);
    rmSync(join(work, gitlab.artifacts.reports.junit));
    const broken = await runGitLabJob(work, env);
    // The JUnit line, last, fails the job; both reports are written first.
    expect(broken.status, describeRuns([broken])).toBe(1);
    expect(gitlab.artifacts.when).toBe('always');
    const quality = JSON.parse(readFileSync(join(work, gitlab.artifacts.reports.codequality), 'utf8')) as {
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    const error = quality.find((issue) => issue.check_name.startsWith('DEF001'));
    expect(error).toMatchObject({ severity: 'major', location: { path: 'Singularity.broken', lines: { begin: 4 } } });
    expect(new Set(quality.map((issue) => issue.fingerprint)).size).toBe(quality.length);
    const junit = readFileSync(join(work, gitlab.artifacts.reports.junit), 'utf8');
    expect(junit).toMatch(/<testsuites [^>]*failures="1"/);
    expect(existsSync(join(work, gitlab.artifacts.reports.junit))).toBe(true);
  });
});
