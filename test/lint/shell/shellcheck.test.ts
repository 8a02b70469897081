import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tempDir } from '../../helpers/temp.js';
import { writeFakeShellCheck } from '../../helpers/fake-shellcheck.js';
import { parse } from '../../../src/parse/index.js';
import { parseShellScripts } from '../../../src/lint/shell/index.js';
import { runShellCheck, shellCheckVersion } from '../../../src/lint/shellcheck.js';
import { findRule } from '../../../src/lint/registry.js';

const available = (await shellCheckVersion()) !== undefined;

async function check(text: string, options: Parameters<typeof runShellCheck>[2] = { cacheDir: false }) {
  const file = parse(text);
  return { file, findings: await runShellCheck(file, await parseShellScripts(file), options) };
}

function at(text: string, f: { range: { start: { offset: number }; end: { offset: number } } }): string {
  return text.slice(f.range.start.offset, f.range.end.offset);
}

describe.skipIf(!available)('ShellCheck', () => {
  test('findings land on the exact def-file line and column (tabs, indentation)', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n\techo hi\n\t\tcp $src /opt\n';
    const { findings } = await check(text);
    const sc2086 = findings.find((f) => f.ruleId === 'SC2086')!;
    expect(sc2086).toBeDefined();
    expect(sc2086.slug).toBe('shellcheck');
    expect(sc2086.severity).toBe('info');
    expect(at(text, sc2086)).toBe('$src');
    expect(sc2086.range.start.line).toBe(6);
    expect(sc2086.range.start.column).toBe(6);
    // ShellCheck's own fix becomes a suggestion with def-file offsets.
    const edits = sc2086.suggestions?.[0].edits ?? [];
    expect(edits.map((e) => [text.slice(0, e.start).split('\n').length, e.text])).toEqual([
      [6, '"'],
      [6, '"'],
    ]);
  });

  test('CRLF and placeholders keep columns right', async () => {
    const text = 'Bootstrap: docker\r\nFrom: alpine:3.20\r\n\r\n%arguments\r\n    V=1\r\n\r\n%post\r\n    echo {{ V }} $src\r\n';
    const { findings } = await check(text);
    const f = findings.find((x) => x.ruleId === 'SC2086')!;
    expect(at(text, f)).toBe('$src');
    expect(f.range.start.line).toBe(8);
  });

  test('dialect: [[ ]] is flagged under sh, not under bash', async () => {
    const sh = await check('Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    [[ -d /opt ]] && echo yes\n');
    expect(sh.findings.map((f) => f.ruleId)).toContain('SC3010');
    const bash = await check('Bootstrap: docker\nFrom: alpine:3.20\n\n%post -c /bin/bash\n    [[ -d /opt ]] && echo yes\n');
    expect(bash.findings.map((f) => f.ruleId)).not.toContain('SC3010');
  });

  test('names from %environment and builder variables are declared; other findings stay', async () => {
    const text =
      'Bootstrap: docker\nFrom: alpine:3.20\n\n%environment\n    export app_home=/opt/app\n\n%runscript\n    echo "$app_home" "$other_var" "$SCIF_APPDATA"\n';
    const { findings } = await check(text);
    const unassigned = findings.filter((f) => f.ruleId === 'SC2154').map((f) => at(text, f));
    expect(unassigned).toEqual(['$other_var']);
  });

  test('a top-of-script directive still applies to the whole script', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    # shellcheck disable=SC2086\n    echo $a_var\n    cp $b_var /opt\n';
    const { findings } = await check(text);
    expect(findings.filter((f) => f.ruleId === 'SC2086')).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'SC2154').map((f) => f.range.start.line)).toEqual([6, 7]);
  });

  test('exclude option and on-disk cache', async () => {
    const cacheDir = tempDir('sc-cache-');
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    cp $src_dir/x /opt\n';
    const first = await check(text, { cacheDir, exclude: ['SC2154'] });
    expect(first.findings.map((f) => f.ruleId)).toEqual(['SC2086']);
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.json'))).toHaveLength(1);
    const second = await check(text, { cacheDir, exclude: ['SC2154'] });
    expect(second.findings).toEqual(first.findings);
  });
});

test('without ShellCheck on PATH the pass reports nothing', async () => {
  const file = parse('Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo $x\n');
  expect(await runShellCheck(file, await parseShellScripts(file), { executable: '/nonexistent/shellcheck', cacheDir: false })).toEqual([]);
});

describe.skipIf(!available)('ShellCheck knows how the builder runs a section', () => {
  test('default build sections run with -e: no SC2164 for a bare cd; with -c /bin/bash there is', async () => {
    const withE = await check('Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    cd /opt\n    make\n');
    expect(withE.findings.map((f) => f.ruleId)).not.toContain('SC2164');
    const withoutE = await check('Bootstrap: docker\nFrom: alpine:3.20\n\n%post -c /bin/bash\n    cd /opt\n    make\n');
    expect(withoutE.findings.map((f) => f.ruleId)).toContain('SC2164');
  });

  test('sourcing files that only exist in the image is not reported', async () => {
    const { findings } = await check('Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    . /opt/conda/etc/profile.d/conda.sh\n');
    expect(findings).toEqual([]);
  });
});

describe.skipIf(!available)('def-file idioms ShellCheck misjudges (issue 13)', () => {
  test('an indented `#!` first line of %runscript is the interpreter Apptainer uses: no SC1114', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%runscript\n    #!/bin/sh\n    exec /opt/tool "$@"\n\n%post\n    #!/bin/sh\n    true\n';
    const { findings } = await check(text);
    expect(findings.filter((f) => f.ruleId === 'SC1114').map((f) => f.range.start.line)).toEqual([9]);
  });
});

describe.skipIf(!available)('DEF300 documentation examples', () => {
  test('bad has findings, good has none', async () => {
    const shellCheckMeta = findRule('DEF300')!.meta;
    expect((await check(shellCheckMeta.bad)).findings.length).toBeGreaterThan(0);
    expect((await check(shellCheckMeta.good)).findings).toEqual([]);
  });
});

test('a failing ShellCheck process is reported through onError, not thrown', async () => {
  // A stand-in that answers --version but crashes when asked to check something.
  const dir = tempDir('fake-sc-');
  const fake = join(dir, 'shellcheck');
  writeFileSync(fake, '#!/bin/sh\nif [ "$1" = --version ]; then echo "version: 9.9.9"; exit 0; fi\necho boom >&2\nexit 3\n');
  chmodSync(fake, 0o755);
  const errors: Error[] = [];
  const file = parse('Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo $x\n');
  const findings = await runShellCheck(file, await parseShellScripts(file), { executable: fake, cacheDir: false, onError: (e) => errors.push(e) });
  expect(findings).toEqual([]);
  expect(errors.map((e) => e.message)).toEqual(['shellcheck failed: boom']);
});

test('scripts of many files linted at once share one ShellCheck process, and each finding lands in its own file', async () => {
  // A stand-in that logs each start and reports one SC2086 on line 2 of every script it is given.
  const dir = tempDir('fake-sc-batch-');
  const fake = join(dir, 'shellcheck');
  const log = join(dir, 'starts.log');
  writeFakeShellCheck(fake, { version: '9.9.8', before: [`echo start >> '${log}'`], column: 10, endColumn: 12, level: 'info', code: 2086, message: 'in %s' });
  const texts = Array.from({ length: 20 }, (_, i) => `Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo $v${i}\n`);
  const results = await Promise.all(texts.map((text) => check(text, { executable: fake, cacheDir: false })));
  expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['start']);
  results.forEach(({ findings }, i) => {
    expect(findings).toHaveLength(1);
    expect(at(texts[i], findings[0])).toBe(`$v${i}`.slice(0, 2));
  });
});
