#!/usr/bin/env node
// Parser benchmark (run after a build): throughput over the corpus, repeated to at least 20 MB in
// one process, parse plus Apptainer-shaped JSON output (what Apptainer's own figure includes);
// and the cold start of `apptainer-gen parse` on one small file next to a bare `node -e 0`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = process.env.CORPUS ?? join(root, '../shared/corpus/files');
const { parse } = await import(join(root, 'dist/src/parse/index.js'));

// Apptainer's Go parser (parser.All plus JSON marshalling) measured here at about 12 MB/s.
const GO_PARSER_MB_S = 12;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (existsSync(corpus)) {
  const texts = readdirSync(corpus).map((name) => readFileSync(join(corpus, name), 'utf8'));
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
  for (const t of texts) JSON.stringify(parse(t).apptainer); // warm up
  const rounds = [];
  for (let round = 0; round < 3; round++) {
    let done = 0;
    let files = 0;
    const start = performance.now();
    while (done < 20e6) {
      for (const t of texts) {
        JSON.stringify(parse(t).apptainer);
        files++;
      }
      done += bytes;
    }
    const seconds = (performance.now() - start) / 1000;
    rounds.push({ mbs: done / 1e6 / seconds, fps: files / seconds });
  }
  const best = rounds.reduce((a, b) => (b.mbs > a.mbs ? b : a));
  const target = GO_PARSER_MB_S * 1.5;
  console.log(
    `parse throughput: ${best.mbs.toFixed(1)} MB/s, ${best.fps.toFixed(0)} files/s ` +
      `(corpus ${texts.length} files, ${(bytes / 1e6).toFixed(2)} MB, repeated to 20 MB; best of 3) ` +
      `— target ${target} MB/s (1.5x Apptainer's ~${GO_PARSER_MB_S} MB/s): ${best.mbs >= target ? 'OK' : 'SLOW'}`,
  );
} else {
  console.log(`parse throughput: skipped, corpus not found at ${corpus}`);
}

const dir = mkdtempSync(join(tmpdir(), 'apptainer-gen-bench-'));
const small = join(dir, 'small.def');
writeFileSync(small, 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apk add --no-cache curl\n');
function coldStart(args) {
  const times = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  return median(times);
}
const bare = coldStart(['-e', '0']);
const cli = coldStart([join(root, 'bin/apptainer-gen.js'), 'parse', small]);
console.log(
  `cold start: apptainer-gen parse ${cli.toFixed(0)} ms, node -e 0 ${bare.toFixed(0)} ms ` +
    `(${(cli / bare).toFixed(2)}x; target ≤ 2x: ${cli / bare <= 2 ? 'OK' : 'SLOW'}; median of 15)`,
);
