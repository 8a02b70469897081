// How ShellCheck's work is shared out: one check per distinct script, the largest scripts first,
// batches that shrink as the queue does; and the preamble declaring only names that can matter.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { writeFakeShellCheck } from '../../helpers/fake-shellcheck.js';
import { parse } from '../../../src/parse/index.js';
import { parseShellScripts } from '../../../src/lint/shell/index.js';
import { MIN_BATCH_WEIGHT, runShellCheck, shellCheckVersion, ShellCheckPool, type BatchRunner, type Job } from '../../../src/lint/shellcheck.js';

/** A stand-in for a prepared script: what the pool reads of one. */
function item(key: string, length: number, dialect = 'sh') {
  return { key, text: 'x'.repeat(length), exclude: [], preambleRow: -1, script: { dialect } } as unknown as Job['item'];
}

/** A batch runner that records each batch and answers only when told to. */
function recordingRunner() {
  const batches: { keys: string[]; weights: number[]; finish: (error?: Error) => void }[] = [];
  const runner: BatchRunner = (batch) =>
    new Promise((resolve, reject) => {
      batches.push({
        keys: batch.map((job) => job.item.key),
        weights: batch.map((job) => job.weight),
        finish: (error) => (error ? reject(error) : resolve(new Map(batch.map((job) => [job, [{ code: 1000, message: job.item.key } as never]])))),
      });
    });
  return { batches, runner };
}

const idle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('ShellCheckPool', () => {
  test('a script queued or being checked is not checked again: its callers share the answer', async () => {
    const { batches, runner } = recordingRunner();
    const pool = new ShellCheckPool(2, runner);
    const answers = [
      pool.check('sc', item('a', 10), 1000, undefined),
      pool.check('sc', item('b', 10), 1000, undefined),
      pool.check('sc', item('a', 10), 1000, undefined),
    ];
    await idle();
    const late = pool.check('sc', item('a', 10), 1000, undefined);
    expect(batches.flatMap((b) => b.keys).sort()).toEqual(['a', 'b']);
    batches[0].finish();
    const [first, second, third, fourth] = await Promise.all([...answers, late]);
    expect(first).toEqual([{ code: 1000, message: 'a' }]);
    expect(second).toEqual([{ code: 1000, message: 'b' }]);
    expect(third).toBe(first);
    expect(fourth).toBe(first);
    // Once answered, the same script is checked again when asked (the caches above the pool keep answers).
    void pool.check('sc', item('a', 10), 1000, undefined);
    await idle();
    expect(batches).toHaveLength(2);
    expect(batches[1].keys).toEqual(['a']);
  });

  test('a failed process is reported once to each caller waiting for its scripts, and answers nothing', async () => {
    const { batches, runner } = recordingRunner();
    const pool = new ShellCheckPool(1, runner);
    const errors: string[] = [];
    const one = (e: Error) => errors.push(`one: ${e.message}`);
    const two = (e: Error) => errors.push(`two: ${e.message}`);
    const answers = Promise.all([
      pool.check('sc', item('a', 10), 1000, one),
      pool.check('sc', item('b', 10), 1000, one),
      pool.check('sc', item('a', 10), 1000, two),
    ]);
    await idle();
    batches[0].finish(new Error('boom'));
    expect(await answers).toEqual([undefined, undefined, undefined]);
    expect(errors).toEqual(['one: boom', 'two: boom']);
  });

  test('processes take the largest scripts first, in batches that shrink with the queue, each script once', async () => {
    const { batches, runner } = recordingRunner();
    const pool = new ShellCheckPool(2, runner);
    // Two large scripts keep both cores busy while the rest is queued.
    const blockers = [pool.check('sc', item('big1', MIN_BATCH_WEIGHT), 1000, undefined), pool.check('sc', item('big2', MIN_BATCH_WEIGHT), 1000, undefined)];
    expect(batches.map((b) => b.keys)).toEqual([['big1'], ['big2']]);
    const sizes = Array.from({ length: 60 }, (_, i) => 500 + ((i * 7919) % 60) * 200);
    const rest = sizes.map((size, i) => pool.check('sc', item(`s${i}`, size), 1000, undefined));
    await idle();
    expect(batches).toHaveLength(2);
    // Free a core at a time, as processes end, until the queue is empty.
    for (let next = 0; next < batches.length; next++) {
      batches[next].finish();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...blockers, ...rest]);
    const later = batches.slice(2);
    const order = later.flatMap((b) => b.weights);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(later.flatMap((b) => b.keys).sort()).toEqual(sizes.map((_, i) => `s${i}`).sort());
    const queued = order.reduce((sum, w) => sum + w, 0);
    const firstWeight = later[0].weights.reduce((sum, w) => sum + w, 0);
    // The first share is a quarter of the queue (half of it over two cores), not the whole queue.
    expect(firstWeight).toBeGreaterThanOrEqual(queued / 4);
    expect(firstWeight).toBeLessThan(queued / 4 + Math.max(...order));
    expect(later.length).toBeGreaterThanOrEqual(4);
  });
});

/** A stand-in ShellCheck that copies every script it is given into `dir`, and reports nothing. */
function recordingShellCheck(version: string) {
  const dir = tempDir('fake-sc-record-');
  const seen = join(dir, 'seen');
  const fake = join(dir, 'shellcheck');
  writeFakeShellCheck(fake, {
    version,
    before: [`mkdir -p '${seen}'`, `for f in "$@"; do case "$f" in -*) ;; *) cp "$f" "$(mktemp '${seen}/s.XXXXXX')" ;; esac; done`],
    column: 1,
    endColumn: 2,
    level: 'info',
    code: 2086,
    message: 'in %s',
  });
  return { fake, scripts: () => readdirSync(seen).map((name) => readFileSync(join(seen, name), 'utf8')) };
}

async function check(text: string, options: Parameters<typeof runShellCheck>[2]) {
  const file = parse(text);
  return runShellCheck(file, await parseShellScripts(file), options);
}

describe('what ShellCheck is sent', () => {
  test('the same section in many files linted at once is sent once, and every file gets its findings', async () => {
    const { fake, scripts } = recordingShellCheck('9.9.7-once');
    const texts = Array.from(
      { length: 12 },
      (_, i) => `Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    apt-get update\n    apt-get install -y curl\n\n%runscript\n    exec tool${i} "$@"\n`,
    );
    const results = await Promise.all(texts.map((text) => check(text, { executable: fake, cacheDir: false })));
    const sent = scripts();
    expect(sent.filter((s) => s.includes('apt-get install -y curl'))).toHaveLength(1);
    expect(sent).toHaveLength(13);
    for (const findings of results) expect(findings.map((f) => f.range.start.line)).toEqual([5, 9]);
  });

  test('the preamble declares only the names the script could be told about', async () => {
    const { fake, scripts } = recordingShellCheck('9.9.7-preamble');
    const text =
      'Bootstrap: docker\nFrom: alpine:3.20\n\n%environment\n    export app_home=/opt/app MY_UNUSED=1\n\n' +
      '%runscript\n    echo "$app_home" "$SCIF_APPBN"\n\n%test\n    true\n';
    await check(text, { executable: fake, cacheDir: false });
    const sent = scripts();
    expect(sent).toHaveLength(3);
    const preamble = (mark: string) => {
      const script = sent.find((s) => s.includes(mark))!;
      return script
        .split('\n')
        .find((line) => line.startsWith('export'))!
        .split(' ')
        .slice(1);
    };
    const [environment, runscript, test] = [preamble('MY_UNUSED=1'), preamble('$SCIF_APPBN'), preamble('true')];
    // %environment's own text mentions its names; the runscript: app_home exactly, SCIF_APPBIN as
    // what SCIF_APPBN may be a misspelling of (and the other SCIF_ names, sharing a piece).
    expect(environment).toEqual(expect.arrayContaining(['MY_UNUSED', 'app_home']));
    expect(runscript).toEqual(expect.arrayContaining(['SCIF_APPBIN', 'app_home']));
    for (const name of ['MY_UNUSED', 'SINGULARITY_ROOTFS', 'APPTAINER_LABELS']) expect(runscript).not.toContain(name);
    expect(test).toEqual([]);
  });
});

describe.skipIf((await shellCheckVersion()) === undefined)('the shorter preamble changes no finding', () => {
  test('misspellings of declared names are still pointed out, with the name meant', async () => {
    const text =
      'Bootstrap: docker\nFrom: alpine:3.20\n\n%environment\n    export app_home=/opt/app\n\n' +
      '%runscript\n    echo "$app_hom" "$SCIF_APPBN" "$SINGULARITY_NAME"\n';
    const findings = await check(text, { cacheDir: false });
    const messages = findings.map((f) => `${f.ruleId} ${f.message}`);
    expect(messages.find((m) => m.startsWith('SC2154'))).toContain("'app_home'");
    expect(messages.find((m) => m.startsWith('SC2153'))).toContain('SCIF_APPBIN');
    expect(messages.join('\n')).not.toContain('SINGULARITY_NAME');
  });
});
