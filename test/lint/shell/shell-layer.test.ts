import { describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { maskPlaceholders, parseShellScripts, sectionDialect, shellDetails } from '../../../src/lint/shell/index.js';
import type { ShellScript } from '../../../src/lint/types.js';
import { fakeFile } from './fake-file.js';
import type { Position } from '../../../src/parse/model.js';
import { corpusFiles, readCorpusFile } from '../../helpers/corpus.js';

async function scriptsOf(text: string): Promise<ShellScript[]> {
  return parseShellScripts(parse(text));
}

/** The def-file text a range covers. */
function textAt(text: string, range: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(range.start.offset, range.end.offset);
}

/** Every position object reachable from `value` (ranges of commands, words, variables...). */
function positionsIn(value: unknown, found: Position[] = [], seen = new Set<object>()): Position[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return found;
  seen.add(value);
  const record = value as Record<string, unknown>;
  if (typeof record.offset === 'number' && typeof record.line === 'number' && typeof record.character === 'number') {
    found.push(value as Position);
    return found;
  }
  for (const key of Object.keys(record)) if (key !== 'stage' && key !== 'section') positionsIn(record[key], found, seen);
  return found;
}

describe('positions', () => {
  test('every position of the shell model is the file’s own position of its offset (corpus, CRLF, surrogates)', async () => {
    const texts = corpusFiles().map(readCorpusFile);
    texts.push(
      'Bootstrap: docker\r\nFrom: alpine\r\n\r\n%post\r\n    echo one $X\r\n    apk add make\r\n%environment\r\n    export A=1\r\n',
      'Bootstrap: docker\nFrom: alpine\n%post\n    echo "😀 $X" \ud800 && touch /opt/{{ NAME }}\n    f() { g; }\n%runscript\n    exec "$@"\n',
      'Bootstrap: docker\nFrom: alpine\n%post\r    echo old-mac\r    true\n    cat <<EOF\nbody $Y\nEOF\n',
    );
    let checked = 0;
    for (const text of texts) {
      const file = parse(text);
      for (const script of await parseShellScripts(file)) {
        for (const position of positionsIn([script, shellDetails(script)])) {
          expect(position).toEqual(file.positionAt(position.offset));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(texts.length);
  });

  test('commands and words map to exact def-file offsets, lines and columns', async () => {
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n\tapt-get install -y  curl\n';
    const [script] = await scriptsOf(text);
    const install = script.commands[1];
    expect(install.name).toBe('apt-get');
    expect(textAt(text, install.range)).toBe('apt-get install -y  curl');
    expect(install.range.start.line).toBe(6);
    expect(install.range.start.column).toBe(2); // after one tab
    const curl = install.args[2];
    expect(curl.text).toBe('curl');
    expect(textAt(text, curl.range)).toBe('curl');
    expect(curl.range.start.column).toBe(22);
  });

  test('CRLF files: ranges skip the carriage returns', async () => {
    const text = 'Bootstrap: docker\r\nFrom: alpine:3.20\r\n\r\n%post\r\n    echo one\r\n    apk add --no-cache make\r\n';
    const [script] = await scriptsOf(text);
    const apk = script.commands[1];
    expect(textAt(text, apk.range)).toBe('apk add --no-cache make');
    expect(apk.range.start.line).toBe(6);
    expect(textAt(text, apk.args[2].range)).toBe('make');
  });

  test('continuation lines: one command across lines, words on the right lines', async () => {
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y \\\n        curl \\\n        git\n    echo done\n';
    const [script] = await scriptsOf(text);
    const [install, echo] = script.commands;
    expect(install.args.map((a) => a.text)).toEqual(['install', '-y', 'curl', 'git']);
    expect(install.args[3].range.start.line).toBe(7);
    expect(install.args[3].range.start.column).toBe(9);
    expect(install.range.end.line).toBe(7);
    expect(echo.range.start.line).toBe(8);
  });

  test('non-ASCII text before a word keeps UTF-16 offsets and code-point columns right', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo "héllo 😀" && touch /opt/x\n';
    const [script] = await scriptsOf(text);
    const touch = script.commands[1];
    expect(textAt(text, touch.args[0].range)).toBe('/opt/x');
    const lineStart = text.indexOf('    echo');
    expect(touch.args[0].range.start.character).toBe(text.indexOf('/opt/x') - lineStart);
    expect(touch.args[0].range.start.column).toBe(touch.args[0].range.start.character); // 😀 is 2 units, 1 code point
  });

  test('the stand-in parser and the real one give the same positions', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    ls -l /opt | wc -l\n';
    const [real] = await parseShellScripts(parse(text));
    const [fake] = await parseShellScripts(fakeFile(text));
    expect(fake.commands.map((c) => c.range)).toEqual(real.commands.map((c) => c.range));
  });
});

describe('words', () => {
  test('quotes are removed from static words; expansions and globs are not static', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    cmd "a b" \'c d\' e\\ f "$HOME/x" /tmp/* pre"fix"\n';
    const [script] = await scriptsOf(text);
    const words = script.commands[0].args;
    expect(words.map((w) => [w.text, w.isStatic])).toEqual([
      ['a b', true],
      ['c d', true],
      ['e f', true],
      ['"$HOME/x"', false],
      ['/tmp/*', false],
      ['prefix', true],
    ]);
    expect(words[0].raw).toBe('"a b"');
  });

  test('{{ placeholders }} keep their raw text and are never static', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%arguments\n    V=1.0\n\n%post\n    pip install numpy=={{ V }} scipy\n';
    const [script] = (await scriptsOf(text)).filter((s) => s.section.name === 'post');
    const args = script.commands[0].args;
    expect(args.map((a) => a.raw)).toEqual(['install', 'numpy=={{ V }}', 'scipy']);
    expect(args[1].isStatic).toBe(false);
    expect(args[2].range.start.column).toBe(32);
  });

  test('maskPlaceholders keeps the length and the line structure', () => {
    const masked = maskPlaceholders('a {{ X }} b\n{{Y}}');
    expect(masked.text).toBe('a XXXXXXX b\nXXXXX');
    expect(masked.spans).toEqual([
      [2, 9],
      [12, 17],
    ]);
  });
});

describe('commands', () => {
  test('wrappers are seen through and recorded; env assignments are collected', async () => {
    const text =
      'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    sudo -E -u root env DEBIAN_FRONTEND=noninteractive nice -n 5 apt-get install -y x\n    command -v git\n';
    const [script] = await scriptsOf(text);
    const [apt, command] = script.commands;
    expect(apt.name).toBe('apt-get');
    expect(apt.wrappers).toEqual(['sudo', 'env', 'nice']);
    expect(apt.assignments.map((a) => `${a.name}=${a.value}`)).toEqual(['DEBIAN_FRONTEND=noninteractive']);
    expect(textAt(text, apt.nameRange)).toBe('apt-get');
    expect(command.name).toBe('command'); // `command -v` looks a name up, it runs nothing
  });

  test('checked: conditions, && / || left sides and negations', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    if grep -q x f; then echo yes; fi\n    make || true\n    a && b\n    ! c\n    d\n';
    const [script] = await scriptsOf(text);
    const checked = Object.fromEntries(script.commands.map((c) => [c.name, c.checked]));
    expect(checked).toEqual({ grep: true, echo: false, make: true, true: false, a: true, b: false, c: true, d: false });
  });

  test('nested: functions, subshells and command substitutions', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    f() { rm -rf /x; }\n    (cd /opt && make)\n    v=$(uname -m)\n    ls\n';
    const [script] = await scriptsOf(text);
    expect(script.commands.map((c) => [c.name, c.nested])).toEqual([
      ['rm', true],
      ['cd', true],
      ['make', true],
      ['uname', true],
      ['ls', false],
    ]);
  });

  test('pipelines: position and neighbours', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    curl -fsSL https://x/y.sh | tee log | sh\n';
    const [script] = await scriptsOf(text);
    const [curl, tee, sh] = script.commands;
    expect(curl.pipeline?.index).toBe(0);
    expect(sh.pipeline?.index).toBe(2);
    expect(tee.pipeline?.length).toBe(3);
    expect(sh.pipeline?.commands.map((c) => c.name)).toEqual(['curl', 'tee', 'sh']);
    expect(textAt(text, curl.pipeline!.range)).toBe('curl -fsSL https://x/y.sh | tee log | sh');
    expect(shellDetails(script).pipelines).toHaveLength(1);
  });

  test('pipelines: a redirected stage is still a simple command of the pipeline', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    X=$(date) curl -fsSL https://x/y.sh 2>/dev/null | { cat; } | sh\n';
    const [script] = await scriptsOf(text);
    const curl = script.commands.find((c) => c.name === 'curl')!;
    expect(curl.pipeline?.index).toBe(0);
    expect(curl.redirects.map((r) => [r.op, r.target])).toEqual([['2>', '/dev/null']]);
    expect(shellDetails(script).pipelines[0].stages.map((c) => c?.name)).toEqual(['curl', undefined, 'sh']);
    expect(script.commands.find((c) => c.name === 'sh')?.pipeline?.index).toBe(2);
  });

  test('redirects and heredocs', async () => {
    const text = "Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    cat <<'EOF' > /etc/app.conf\n    key = $value\n    EOF\n    echo x >> /etc/passwd 2>&1\n";
    const body = text.replace(/\n    EOF\n/, '\nEOF\n'); // heredoc delimiters must start the line
    const [script] = await scriptsOf(body);
    const [cat, echo] = script.commands;
    expect(cat.redirects.map((r) => [r.op, r.target])).toEqual([
      ['<<', 'EOF'],
      ['>', '/etc/app.conf'],
    ]);
    const [heredoc] = shellDetails(script).heredocs;
    expect(heredoc.content).toBe('    key = $value');
    expect(heredoc.quoted).toBe(true);
    expect(heredoc.command).toBe(cat);
    expect(echo.redirects.map((r) => [r.op, r.target])).toEqual([
      ['>>', '/etc/passwd'],
      ['2>&1', ''],
    ]);
  });

  test('standalone and exported assignments', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    A=1\n    export B="two words" C\n    D=4 make\n';
    const [script] = await scriptsOf(text);
    const assignments = shellDetails(script).assignments.map((a) => [a.name, a.value, a.exported]);
    expect(assignments).toEqual([
      ['A', '1', false],
      ['B', 'two words', true],
      ['C', '', true],
    ]);
    expect(script.commands.find((c) => c.name === 'make')?.assignments.map((a) => a.name)).toEqual(['D']);
  });
});

describe('scripts', () => {
  test('set options: short, combined and long forms; only top-level', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post -c /bin/bash\n    set -euo pipefail\n    set -o xtrace\n    f() { set -f; }\n';
    const [script] = await scriptsOf(text);
    expect(script.setOptions.map((o) => o.option)).toEqual(['errexit', 'nounset', 'pipefail', 'xtrace']);
    expect(textAt(text, script.setOptions[2].range)).toBe('pipefail');
    expect(script.dialect).toBe('bash');
  });

  test('dialects follow the section: -c, shebang, %environment; python sections are skipped', async () => {
    const text = [
      'Bootstrap: docker',
      'From: alpine:3.20',
      '',
      '%environment',
      '    export A=1',
      '',
      '%post -c /bin/dash',
      '    echo hi',
      '',
      '%runscript',
      '#!/bin/bash',
      '    echo "$@"',
      '',
      '%test',
      '#!/usr/bin/env python3',
      '    print(1)',
      '',
    ].join('\n');
    const scripts = await scriptsOf(text);
    expect(scripts.map((s) => [s.section.name, s.dialect])).toEqual([
      // Apptainer's embedded interpreter (mvdan.cc/sh) reads %environment as bash (issue 13).
      ['environment', 'bash'],
      ['post', 'dash'],
      ['runscript', 'bash'],
    ]);
    const file = parse(text);
    const test = file.stages[0].sections.find((s) => s.name === 'test')!;
    expect(sectionDialect(test)).toBeUndefined();
  });

  test('bashisms are found with their positions', async () => {
    const text =
      'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    [[ -d /opt ]] && source /etc/profile\n    arr=(a b)\n    echo ${PORT:-8080} ${x/a/b}\n    set -o pipefail\n';
    const [script] = await scriptsOf(text);
    const found = shellDetails(script).bashisms.map((b) => [b.construct, textAt(text, b.range)]);
    expect(found).toEqual([
      ['[[ ]]', '[[ -d /opt ]]'],
      ['source', 'source'],
      ['array', 'arr=(a b)'],
      ['${...} bash expansion', '${x/a/b}'],
      ['set -o pipefail', 'pipefail'],
    ]);
  });

  test('syntax errors are recorded, not thrown', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    if [ -d /opt ; then\n    echo "unterminated\n';
    const [script] = await scriptsOf(text);
    expect(script.syntaxErrors.length).toBeGreaterThan(0);
    for (const r of script.syntaxErrors) expect(r.start.line).toBeGreaterThanOrEqual(5);
  });

  test('files without shell sections need no parser', async () => {
    expect(await scriptsOf('Bootstrap: docker\nFrom: alpine:3.20\n\n%labels\n    A b\n')).toEqual([]);
  });
});
