#!/usr/bin/env node
// Lint benchmark (run after a build): the whole corpus in one process without ShellCheck, and
// the cold start of `node bin/apptainer-lint.js x.def` against a bare `node -e 0`.
//   node bench/lint.mjs [--rules] [--no-cache]
//     --rules also prints the slowest rules; --no-cache turns off the per-section shell analysis
//     cache (rounds after the first re-lint the same texts, so they are mostly cache hits otherwise)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.CORPUS ?? join(root, '../shared/corpus/files');
const { lint, resolveConfig, allRules } = await import(join(root, 'dist/src/lint/index.js'));
if (process.argv.includes('--no-cache')) (await import(join(root, 'dist/src/lint/shell/index.js'))).setShellCacheEnabled(false);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const perRule = new Map();
if (process.argv.includes('--rules')) {
  for (const rule of allRules) {
    const check = rule.check.bind(rule);
    rule.check = (ctx) => {
      const start = performance.now();
      try {
        return check(ctx);
      } finally {
        perRule.set(rule.meta.id, (perRule.get(rule.meta.id) ?? 0) + performance.now() - start);
      }
    };
  }
}

if (existsSync(corpus)) {
  const texts = readdirSync(corpus)
    .filter((name) => name.endsWith('.def'))
    .map((name) => [name, readFileSync(join(corpus, name), 'utf8')]);
  const bytes = texts.reduce((sum, [, text]) => sum + text.length, 0);
  for (const preset of ['recommended', 'strict']) {
    const config = resolveConfig({ extends: preset });
    const times = [];
    let findings = 0;
    for (let round = 0; round < 3; round++) {
      const start = performance.now();
      findings = 0;
      for (const [name, text] of texts) findings += (await lint(text, { filename: name, config, shellcheck: false })).length;
      times.push(performance.now() - start);
    }
    console.log(
      `corpus lint (${preset}, no ShellCheck): ${texts.length} files, ${(bytes / 1024).toFixed(0)} KiB, ${findings} findings: ` +
        `first ${times[0].toFixed(0)} ms, median ${median(times).toFixed(0)} ms (target < 1000 ms)`,
    );
  }
  if (perRule.size > 0) {
    const slowest = [...perRule].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.log('slowest rules (all rounds):');
    for (const [id, ms] of slowest) console.log(`  ${id}  ${ms.toFixed(0)} ms`);
  }
} else {
  console.log(`corpus lint: skipped (${corpus} not found)`);
}

// Cold start: a fresh process per run, median of several.
const dir = mkdtempSync(join(tmpdir(), 'lint-bench-'));
const file = join(dir, 'x.def');
writeFileSync(
  file,
  'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update && apt-get install -y --no-install-recommends curl\n\n%runscript\n    exec curl "$@"\n',
);
const time = (args) => {
  const runs = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    try {
      execFileSync(process.execPath, args, { cwd: dir, stdio: 'ignore' });
    } catch {
      // Exit code 1 (findings) is fine here.
    }
    runs.push(performance.now() - start);
  }
  return median(runs);
};
const bare = time(['-e', '0']);
const cold = time([join(root, 'bin/apptainer-lint.js'), '--no-shellcheck', file]);
const withShellCheck = time([join(root, 'bin/apptainer-lint.js'), file]);
console.log(
  `cold start: node -e 0 ${bare.toFixed(0)} ms, apptainer-lint x.def ${cold.toFixed(0)} ms (${(cold / bare).toFixed(2)}x, target <= 2.5x), with ShellCheck ${withShellCheck.toFixed(0)} ms`,
);
