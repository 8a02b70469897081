#!/usr/bin/env node
// Whole-process benchmark (run after a build; issue "Speed where users feel it"): every figure is
// a fresh `node bin/...` process on real files, run several times, with a bare `node -e 0` measured
// in the same run so that figures compare across machines as ratios.
//   node bench/whole-process.mjs [--runs N]
// Figures are CPU time (user + system), as the goals were set: on a busy machine wall time says
// more about the neighbours than about the tool. CPU time and peak memory come from the child
// itself (a preloaded hook writes process.resourceUsage() at exit); ShellCheck runs in
// grandchildren, so its cold/warm figures use wall time.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.CORPUS ?? join(root, '../shared/corpus/files');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
// Apptainer's own parser (parser.All plus JSON output, built from source with Go) measured as a
// whole process on a 2-core machine: about 13 MB/s (recorded in the issue that set these goals;
// there is no Go toolchain here to re-measure it).
const GO_PARSER_MB_S = 13;

const work = mkdtempSync(join(tmpdir(), 'apptainer-gen-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const hook = join(work, 'usage-hook.cjs');
writeFileSync(
  hook,
  "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1000, rss: u.maxRSS / 1024 })); });\n",
);

/** Runs `node ARGS` RUNS times (or `runs`); returns wall ms, child CPU ms and peak RSS MiB per run. */
function measure(args, { env = {}, unset = [], before, runs = RUNS } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    // After before(): it may set variables for this run (the ShellCheck cache folder).
    const childEnv = { ...process.env, ...env };
    for (const name of unset) delete childEnv[name];
    const usageFile = join(work, `usage-${i}.json`);
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--require', hook, ...args], {
      cwd: work,
      env: { ...childEnv, BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const wall = performance.now() - start;
    if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    const usage = JSON.parse(readFileSync(usageFile, 'utf8'));
    samples.push({ wall, cpu: usage.cpu, rss: usage.rss });
  }
  return samples;
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}
const fmt = (s, unit = 'ms', digits = 0) => `median ${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
const verdict = (ok) => (ok ? 'OK' : 'NOT MET');

const bare = measure(['-e', '0']);
const bareCpu = stats(bare.map((s) => s.cpu));
const bareWall = stats(bare.map((s) => s.wall));
const bareRss = stats(bare.map((s) => s.rss));
console.log(`node -e 0: wall ${fmt(bareWall)}, CPU ${fmt(bareCpu)}, peak ${bareRss.median.toFixed(0)} MiB; ${RUNS} runs each below`);

// ---- cold start, one small file -----------------------------------------------------------------
const small = join(work, 'small.def');
writeFileSync(
  small,
  'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update && apt-get install -y --no-install-recommends curl\n\n%runscript\n    exec curl "$@"\n',
);
const coldStarts = [
  ['parse', [join(root, 'bin/apptainer-gen.js'), 'parse', small], 1.6],
  ['lint (no ShellCheck)', [join(root, 'bin/apptainer-lint.js'), '--no-shellcheck', small], 2.2],
  ['generate', [join(root, 'bin/apptainer-gen.js'), join(root, 'fixtures/recipes/openmpi-pmix.yaml')], 2.5],
];
// The lint code cache is written by the first run; measure with it, as users run it.
execFileSync(process.execPath, [join(root, 'bin/apptainer-lint.js'), '--no-shellcheck', small], { stdio: 'ignore', cwd: work });
// Node 20 parses the file NODE_EXTRA_CA_CERTS names at every start, before any JavaScript runs
// (on the build machine a 220 KB bundle: most of a bare node's CPU). It inflates the bare-node
// baseline as much as the tool's, so a ratio measured with it flatters the tool: the cold starts
// are measured again without it, and both ratios are printed with the time above bare node.
const environments = [['this environment', []]];
if (process.env.NODE_EXTRA_CA_CERTS) environments.push(['without NODE_EXTRA_CA_CERTS', ['NODE_EXTRA_CA_CERTS']]);
for (const [label, unset] of environments) {
  const baseline = stats(measure(['-e', '0'], { unset }).map((s) => s.cpu));
  console.log(`cold starts, ${label}: node -e 0 CPU ${fmt(baseline)}`);
  for (const [name, args, goal] of coldStarts) {
    const samples = measure(args, { unset });
    const wall = stats(samples.map((s) => s.wall));
    const cpu = stats(samples.map((s) => s.cpu));
    const ratio = cpu.median / baseline.median;
    const above = cpu.median - baseline.median;
    console.log(
      `cold start, ${name}, ${label}: CPU ${fmt(cpu)} = ${ratio.toFixed(2)}x node -e 0, ${above.toFixed(0)} ms above it (goal ≤ ${goal}x: ${verdict(ratio <= goal)}); wall ${fmt(wall)}`,
    );
  }
}

if (!existsSync(corpus)) {
  console.log(`corpus figures skipped: ${corpus} not found`);
  process.exit(0);
}
const corpusNames = readdirSync(corpus).filter((name) => name.endsWith('.def'));

// ---- parse throughput: the corpus copied 8 times (≈ 6.5 MB, 3,552 files) ---------------------------
const parseSet = join(work, 'parse-set');
mkdirSync(parseSet);
let parseBytes = 0;
for (let copy = 0; copy < 8; copy++) {
  for (const name of corpusNames) {
    copyFileSync(join(corpus, name), join(parseSet, `${copy}-${name}`));
    parseBytes += statSync(join(corpus, name)).size;
  }
}
const parseFiles = readdirSync(parseSet).map((name) => join('parse-set', name));
const parseArgs = [join(root, 'bin/apptainer-gen.js'), 'parse', '--format', 'apptainer-json', ...parseFiles];
const rssGoal = (3 * parseBytes) / 2 ** 20 + bareRss.median;
// As for the cold starts: measured in this environment and, when it names a certificate bundle,
// again without it (Node reads that bundle at every start, ~55 ms of CPU on the build machine;
// the Go parser's recorded figure paid nothing like it).
for (const [label, unset] of environments) {
  const parseRuns = measure(parseArgs, { unset });
  const parseWall = stats(parseRuns.map((s) => s.wall));
  const parseCpu = stats(parseRuns.map((s) => s.cpu));
  const mbs = parseBytes / 1e6 / (parseCpu.median / 1000);
  const rss = stats(parseRuns.map((s) => s.rss));
  console.log(
    `parse --format apptainer-json, ${parseFiles.length} files, ${(parseBytes / 1e6).toFixed(2)} MB, whole process, ${label}: CPU ${fmt(parseCpu)}, wall ${fmt(parseWall)}; ` +
      `${mbs.toFixed(1)} MB/s of CPU time = ${(mbs / GO_PARSER_MB_S).toFixed(2)}x Apptainer's Go parser (~${GO_PARSER_MB_S} MB/s recorded; goal ≥ 18 MB/s: ${verdict(mbs >= 18)}); ` +
      `peak ${rss.median.toFixed(0)} MiB (goal < ${rssGoal.toFixed(0)} MiB = 3x input + bare node: ${verdict(rss.median < rssGoal)})`,
  );
}

// ---- lint: 600 real files ----------------------------------------------------------------------------
const lintSet = join(work, 'lint-set');
mkdirSync(lintSet);
for (let i = 0; i < 600; i++) copyFileSync(join(corpus, corpusNames[i % corpusNames.length]), join(lintSet, `${i}.def`));
const lintRuns = measure([join(root, 'bin/apptainer-lint.js'), '--no-shellcheck', '--format', 'json', lintSet]);
const lintWall = stats(lintRuns.map((s) => s.wall));
const lintCpu = stats(lintRuns.map((s) => s.cpu));
console.log(`lint, 600 files, no ShellCheck, whole process: CPU ${fmt(lintCpu)} (goal < 1000 ms: ${verdict(lintCpu.median < 1000)}), wall ${fmt(lintWall)}`);

// ---- lint with ShellCheck: cold cache against warm cache (the corpus, once each) --------------------
const hasShellCheck = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasShellCheck) {
  const corpusArgs = [join(root, 'bin/apptainer-lint.js'), '--format', 'json', corpus];
  let cache = '';
  // Three runs each: a cold run takes about a minute on a busy 2-core machine.
  const cold = measure(corpusArgs, {
    runs: 3,
    before: () => {
      cache = mkdtempSync(join(work, 'sc-cache-'));
      process.env.XDG_CACHE_HOME = cache;
    },
  });
  const warm = measure(corpusArgs, { runs: 3 });
  delete process.env.XDG_CACHE_HOME;
  const coldWall = stats(cold.map((s) => s.wall));
  const warmWall = stats(warm.map((s) => s.wall));
  const ratio = coldWall.median / warmWall.median;
  console.log(
    `lint with ShellCheck, ${corpusNames.length} corpus files: cold cache wall ${fmt(coldWall)}, warm ${fmt(warmWall)}: ` +
      `cold = ${ratio.toFixed(2)}x warm (goal ≤ 3x: ${verdict(ratio <= 3)})`,
  );
} else {
  console.log('lint with ShellCheck: skipped (shellcheck not on PATH)');
}
