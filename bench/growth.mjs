#!/usr/bin/env node
// Growth benchmark (run after a build): 10x the input should take about 10x the time. Wall-clock
// ratios are noise on a busy machine, so they live here and not in `npm test`; each ratio is the
// best of 3 runs, and above 14x the shape is flagged SLOW (the exit code stays 0: figures to read).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parse } = await import(join(root, 'dist/src/parse/index.js'));
const { parseShellScripts } = await import(join(root, 'dist/src/lint/shell/index.js'));

async function best(run) {
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - t0));
  }
  return fastest;
}

const parserShapes = {
  stages: (n) => 'Bootstrap: docker\nFrom: alpine\n%post\necho hi\n'.repeat(n),
  sections: (n) => 'Bootstrap: docker\n' + '%post\necho a\n%labels\nA b\n%files\na b\n%runscript\nx\n'.repeat(n),
  'long lines': (n) => 'Bootstrap: docker\n%post\n' + 'a {{ X }} '.repeat(n) + '\n',
  bodies: (n) => 'Bootstrap: docker\n%post\n' + 'echo "{{ X }} # y" %s\n'.repeat(n),
  header: (n) => 'Bootstrap: docker\n' + 'From: x \\\n'.repeat(n) + 'y\n',
};
const shellScript = (n) =>
  `Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n${Array.from({ length: n }, (_, i) => `    echo line${i} && cp "a${i}" /opt/b${i} | tee -a log`).join('\n')}\n`;

const cases = [
  ...Object.entries(parserShapes).map(([name, make]) => ({ name: `parse ${name}`, make, run: (text) => parse(text) })),
  { name: 'shell script', make: shellScript, run: async (text) => parseShellScripts(parse(text)) },
];

for (const { name, make, run } of cases) {
  // Grow the small input until it takes long enough (>= 15 ms) to time without noise.
  let n = 500;
  while (n < 200_000 && (await best(() => run(make(n)))) < 15e6) n *= 2;
  const [smallText, largeText] = [make(n), make(n * 10)];
  await run(largeText); // warm up on the large size too
  const ratio = (await best(() => run(largeText))) / (await best(() => run(smallText)));
  console.log(`growth ${name}: 10x input (n=${n}) takes ${ratio.toFixed(1)}x time: ${ratio <= 14 ? 'OK' : 'SLOW'}`);
}
