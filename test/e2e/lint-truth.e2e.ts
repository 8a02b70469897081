// Issue 4, proof 4: lint rules that predict a failed or silently wrong build tell the truth.
// For each rule, the linter flags the bad fixture and not the fixed one, and the harness
// shows the predicted behaviour for the bad fixture and not for the fixed one.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { buildDefinition, execImage, type BuildResult } from './harness/build.js';
import { buildSkipReason } from './harness/rootfs.js';
import { FIXTURES, removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

interface Case {
  rule: string;
  fixture: string;
  /** What the bad build really does. */
  showsBehaviour(build: BuildResult): Promise<void> | void;
  /** What the fixed build does instead. */
  fixed(build: BuildResult): Promise<void> | void;
}

const inRoot = (build: BuildResult, file: string) => path.join(build.image, file);
const HIDDEN_PAYLOAD = '/tmp/apptainer-gen-e2e-payload.txt';

const CASES: Case[] = [
  {
    rule: 'DEF302', // errexit-lost-with-custom-shell
    fixture: 'errexit-lost',
    showsBehaviour(build) {
      // The copy failed, yet the build went on and succeeded.
      expect(build.log).toMatch(/cp: cannot stat '\/no\/such\/file'/);
      expect(build.ok, build.log).toBe(true);
      expect(existsSync(inRoot(build, 'opt/carried-on'))).toBe(true);
    },
    fixed(build) {
      expect(build.ok).toBe(false);
      expect(build.failedStep).toMatch(/^%post/);
      expect(existsSync(inRoot(build, 'opt/carried-on'))).toBe(false);
    },
  },
  {
    rule: 'DEF305', // apt-get-without-yes
    fixture: 'apt-without-yes',
    showsBehaviour(build) {
      expect(build.ok).toBe(false);
      expect(build.failedStep).toMatch(/^%post/);
      expect(build.log).toMatch(/Do you want to continue\? \[Y\/n\] Abort\./);
    },
    fixed(build) {
      expect(build.ok, build.log).toBe(true);
      expect(existsSync(inRoot(build, 'usr/bin/file'))).toBe(true);
    },
  },
  {
    rule: 'DEF301', // bashism-in-sh: set -o pipefail under dash
    fixture: 'pipefail-under-dash',
    showsBehaviour(build) {
      expect(build.ok).toBe(false);
      expect(build.failedStep).toMatch(/^%post/);
      expect(build.log).toMatch(/Illegal option -o pipefail/);
      expect(existsSync(inRoot(build, 'opt/pipefail-ok'))).toBe(false);
    },
    fixed(build) {
      expect(build.ok, build.log).toBe(true);
      expect(readFileSync(inRoot(build, 'opt/pipefail-ok'), 'utf8')).toContain('bash accepted pipefail');
    },
  },
  {
    rule: 'DEF202', // files-dest-in-bound-dir
    fixture: 'files-to-tmp',
    async showsBehaviour(build) {
      // %files did copy the file into the root's /tmp ...
      expect(existsSync(inRoot(build, HIDDEN_PAYLOAD))).toBe(true);
      // ... but %post sees the host's /tmp there, so the file is missing for it,
      expect(build.ok).toBe(false);
      expect(build.failedStep).toMatch(/^%post/);
      expect(build.log).toMatch(/cannot stat '\/tmp\/apptainer-gen-e2e-payload\.txt'/);
      // and so does every command run from the image later.
      const atRunTime = await execImage(build.image, ['cat', HIDDEN_PAYLOAD]);
      expect(atRunTime.code).not.toBe(0);
    },
    fixed(build) {
      expect(build.ok, build.log).toBe(true);
      expect(readFileSync(inRoot(build, 'opt/payload-seen-in-post.txt'), 'utf8')).toContain('payload copied by %files');
    },
  },
];

const fixture = (name: string, kind: 'bad' | 'good') => path.join(FIXTURES, 'lint', `${name}.${kind}.def`);

async function ruleIds(file: string): Promise<string[]> {
  const findings = await lint(readFileSync(file, 'utf8'), { filename: file, shellcheck: false });
  return findings.filter((f) => !f.suppressed).map((f) => f.ruleId);
}

describe('the linter flags each bad fixture and not its fix', () => {
  for (const c of CASES) {
    test(`${c.rule}: ${c.fixture}`, async () => {
      expect(await ruleIds(fixture(c.fixture, 'bad'))).toContain(c.rule);
      expect(await ruleIds(fixture(c.fixture, 'good'))).not.toContain(c.rule);
    });
  }
});

const skipReason = skipOrFail(await buildSkipReason());

describe.skipIf(skipReason !== null)(`the harness shows what each rule predicts${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let work: string;
  beforeAll(() => {
    work = scratchDir('lint');
    // The DEF202 proof needs the host's /tmp not to hold the payload by accident.
    rmSync(HIDDEN_PAYLOAD, { force: true });
  });
  afterAll(() => removeScratch(work));

  for (const c of CASES) {
    test(`${c.rule}: the bad fixture misbehaves, the fixed one does not`, async () => {
      const bad = await buildDefinition(fixture(c.fixture, 'bad'), { workDir: path.join(work, `${c.fixture}-bad`) });
      await c.showsBehaviour(bad);
      const good = await buildDefinition(fixture(c.fixture, 'good'), { workDir: path.join(work, `${c.fixture}-good`) });
      await c.fixed(good);
    });
  }
});
