// Apptainer's parser quirks, one small input each (deffile-format.md §3–§13).
import { describe, expect, it } from 'vitest';
import { parse, parseForBuild } from '../../src/parse/index.js';
import type { ApptainerDefinition } from '../../src/parse/model.js';

function defs(text: string): ApptainerDefinition[] {
  const r = parse(text).apptainer;
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.defs;
}
function error(text: string): string {
  const r = parse(text).apptainer;
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('lines and sections', () => {
  it('CRLF parses like LF and scripts hold no CR', () => {
    const [d] = defs('Bootstrap: docker\r\nFrom: alpine\r\n%post\r\n  echo hi\r\n');
    expect(d.header).toEqual({ bootstrap: 'docker', from: 'alpine' });
    expect(d.buildData.buildScripts.post.script).toBe('  echo hi\n');
  });

  it('a last line without newline still ends with a newline in the script', () => {
    expect(defs('Bootstrap: docker\n%post\necho a')[0].buildData.buildScripts.post.script).toBe('echo a\n');
  });

  it('any line whose first word starts with % starts a section, even in a heredoc', () => {
    expect(error('Bootstrap: docker\n%post\ncat <<EOF\n%define x 1\nEOF\n')).toBe('invalid section(s) specified: define');
    // `date +%Y` does not (first word is date)
    expect(defs('Bootstrap: docker\n%post\n  date +%Y\n')[0].buildData.buildScripts.post.script).toBe('  date +%Y\n');
  });

  it('a headerless file starting with a section is trimmed', () => {
    const [d] = defs('  %post\n  echo a\n\n');
    expect(d.header).toBeNull();
    expect(d.buildData.buildScripts.post.script).toBe('  echo a');
    expect(error('%post\n   \n')).toBe('section %post: could not be split into section name and body');
  });

  it('blank lines before the first section: no header, body not trimmed', () => {
    const [d] = defs('\n\n%post -x\n');
    expect(d.header).toBeNull();
    expect(d.buildData.buildScripts.post).toEqual({ args: '-x', script: '' });
  });

  it('section names: leading %s stripped, case folded, cut at the first space only', () => {
    expect(defs('Bootstrap: docker\n%%POST -c /bin/bash extra #c\nx\n')[0].buildData.buildScripts.post).toEqual({
      args: '-c /bin/bash extra #c',
      script: 'x\n',
    });
    expect(error('Bootstrap: docker\n%post\t-c /bin/bash\nx\n')).toBe('invalid section(s) specified: post\t-c');
    expect(error('Bootstrap: docker\n%post\nx\n  %runscript\n')).toBe('invalid section(s) specified: ');
  });

  it('duplicate sections concatenate; the last args given with a space win', () => {
    const [d] = defs('Bootstrap: docker\n%post -c /bin/bash\na\n%post\nb\n');
    expect(d.buildData.buildScripts.post).toEqual({ args: '-c /bin/bash', script: 'a\nb\n' });
    expect(defs('Bootstrap: docker\n%post -x\na\n%post \nb\n')[0].buildData.buildScripts.post.args).toBe('');
  });

  it('reports all invalid sections, sorted', () => {
    const r = parse('Bootstrap: docker\n%foo\n%bar\n').apptainer;
    expect(r).toMatchObject({ ok: false, invalidSections: ['bar', 'foo'] });
    expect(parse('Bootstrap: docker\n%foo\n%bar\n').diagnostics.map((d) => d.code)).toEqual(['DEF001', 'DEF001']);
  });

  it('%test fills both test slots', () => {
    const [d] = defs('Bootstrap: docker\n%test\nexit 0\n');
    expect(d.imageData.imageScripts.test).toEqual(d.buildData.buildScripts.test);
  });

  it('empty definitions', () => {
    expect(error('')).toBe('no stages found in definition file');
    expect(error('# only a comment\n\n')).toBe('no stages found in definition file');
    expect(error('%labels\n\n')).toBe('section %labels: could not be split into section name and body');
    expect(defs('Bootstrap: docker\n%files\n')[0].buildData.files).toEqual([{ args: '', files: null }]);
  });
});

describe('header', () => {
  it('keys are case-insensitive, values keep case, # cuts the rest', () => {
    expect(defs('BOOTSTRAP: Docker # c\nFrom: http://x/y#frag\n')[0].header).toEqual({
      bootstrap: 'Docker',
      from: 'http://x/y',
    });
  });

  it('a line without colon and unknown keys', () => {
    expect(error('Bootstrap docker\n')).toBe('failed to parse deffile header: header key Bootstrap docker had no val');
    expect(error('Bootstrap: docker\nMaintainer: me\n')).toBe('failed to parse deffile header: invalid header keyword found: maintainer');
    expect(defs('Bootstrap: zypper\nOtherURL007: x\n')[0].header).toEqual({ bootstrap: 'zypper', otherurl007: 'x' });
    expect(error('Bootstrap: zypper\nOtherURL: x\n')).toContain('invalid header keyword found: otherurl');
  });

  it('continuations join with no separator; a trailing one is dropped', () => {
    expect(defs('Bootstrap: docker \\\nFrom: ubuntu\n%post\nx\n')[0].header).toEqual({ bootstrap: 'docker From: ubuntu' });
    expect(defs('Bootstrap: docker\nFrom: ubuntu \\\n%post\nx\n')[0].header).toEqual({ bootstrap: 'docker' });
    expect(defs('Bootstrap: zypper\nProductPGP: a\\n\\\nb\n')[0].header?.productpgp).toBe('a\nb');
  });

  it('a continuation followed by a blank line crashes Apptainer: we give a diagnostic', () => {
    const parsed = parse('Bootstrap: docker\nFrom: ubuntu \\\n\nStage: x\n%post\nx\n');
    expect(parsed.apptainer).toMatchObject({ ok: false, panic: true });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'DEF015', range: { start: { line: 2, column: 1 } } });
  });

  it('a BOM becomes part of the first key', () => {
    const parsed = parse('\ufeffBootstrap: docker\n');
    expect(parsed.apptainer).toMatchObject({ error: 'failed to parse deffile header: invalid header keyword found: \ufeffbootstrap' });
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(['DEF014']);
  });
});

describe('stages', () => {
  it('splits at ^bootstrap: in any case, even inside bodies', () => {
    const d = defs('Bootstrap: docker\nFrom: a\n%help\nbootstrap: this is help\n');
    expect(d).toHaveLength(2);
    expect(d[1].header).toEqual({ bootstrap: 'this is help' });
  });

  it('an indented or spaced Bootstrap does not start a stage', () => {
    expect(defs('Bootstrap: docker\n%post\nx\n Bootstrap: docker\n')).toHaveLength(1);
  });

  it('keys before Bootstrap form their own stage', () => {
    const d = defs('From: x\nBootstrap: docker\n');
    expect(d.map((x) => x.header)).toEqual([{ from: 'x' }, { bootstrap: 'docker' }]);
  });
});

describe('%files, %labels, apps', () => {
  it('files fields: quotes, extra fields, broken single quotes, placeholders', () => {
    const [d] = defs(`Bootstrap: docker\n%files\n"a b" /c\nx y z\n'a b' c\n/p/{{ a }}/x{{b}}.txt /d\nsrc # comment\n`);
    expect(d.buildData.files[0].files).toEqual([
      { source: 'a b', destination: '/c' },
      { source: 'x', destination: 'y' },
      { source: "'a b", destination: "' c" },
      { source: '/p/{{ a }}/x{{b}}.txt', destination: '/d' },
      { source: 'src', destination: '#' },
    ]);
  });

  it('a lone double quote crashes Apptainer: we give a diagnostic', () => {
    const parsed = parse('Bootstrap: docker\n%files\n"\n');
    expect(parsed.apptainer).toMatchObject({ ok: false, panic: true });
    expect(parsed.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['DEF016', 3]]);
  });

  it('files blocks merge only on identical args; from STAGE is recognised', () => {
    const parsed = parse('Bootstrap: docker\n%files from s1\na\n%files from  s1\nb\n%files from s1\nc\n');
    expect(parsed.apptainer.ok && parsed.apptainer.defs[0].buildData.files.map((f) => f.args)).toEqual(['from s1', 'from  s1']);
    expect(parsed.stages[0].sections.map((s) => s.fromStage)).toEqual(['s1', 's1', 's1']);
  });

  it('labels split at the first space only', () => {
    expect(defs('Bootstrap: docker\n%labels\nAuthor\tme\nA=b\nKey  spaced value\n')[0].imageData.labels).toEqual({
      'Author\tme': '',
      'A=b': '',
      Key: 'spaced value',
    });
  });

  it('app sections: name, discarded words, order of first mention, case', () => {
    const [d] = defs('Bootstrap: docker\n%apprun foo bar baz\nx\n%appinstall bar\ny\n%appenv foo\nz\n');
    expect(d.appOrder).toEqual(['foo', 'bar']);
    expect(d.customData).toEqual({ 'apprun foo': 'x\n', 'appinstall bar': 'y\n', 'appenv foo': 'z\n' });
    expect(error('Bootstrap: docker\n%appinstall\nx\n')).toBe('app section appinstall: could not be split into section name and app name');
    expect(error('Bootstrap: docker\n%AppInstall foo\nx\n')).toBe('invalid section(s) specified: AppInstall foo');
  });
});

describe('model', () => {
  it('sections know their ranges, body lines and shell', () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n\n%post -c /bin/bash\n  set -e\n  echo hi\n%runscript\n#!/bin/bash -e\nexec app "$@"\n';
    const [stage] = parse(text).stages;
    const [post, run] = stage.sections;
    expect(post.lineRange.start).toMatchObject({ line: 4, column: 1, offset: text.indexOf('%post') });
    expect(post.argsRange?.start.column).toBe(7);
    expect(post.bodyLines.map((l) => l.line)).toEqual([5, 6]);
    expect(post.shell).toMatchObject({ interpreter: '/bin/bash', dialect: 'bash', errexit: false, source: 'args' });
    expect(run.shell).toMatchObject({ interpreter: '/bin/bash -e', dialect: 'bash', errexit: true, source: 'shebang' });
    expect(stage.headerValues).toEqual({ bootstrap: 'docker', from: 'alpine' });
    expect(stage.header?.[1].valueRange.start).toMatchObject({ line: 2, column: 7 });
  });

  it('the default %post shell is /bin/sh -ex', () => {
    const [stage] = parse('Bootstrap: docker\n%post\nx\n').stages;
    expect(stage.sections[0].shell).toMatchObject({ interpreter: '/bin/sh', errexit: true, commandLine: '/bin/sh -ex /.post.script' });
  });

  it('columns count code points, characters count UTF-16 units', () => {
    const parsed = parse('Bootstrap: docker\n%labels\n😀 x\n%foo\n');
    const label = parsed.stages[0].sections[0].labels![0];
    expect(label.valueRange?.start).toMatchObject({ line: 3, column: 3, character: 3 });
  });

  it('placeholders, the comment rule and %arguments defaults', () => {
    const [stage] = parse('Bootstrap: docker\nFrom: {{ IMG }}\n%arguments\nIMG=alpine # pinned\n%post\necho "#x {{ V }}" {{V}}\n').stages;
    expect(stage.placeholders.map((p) => [p.name, p.skipped])).toEqual([
      ['IMG', false],
      ['V', true],
      ['V', true],
    ]);
    expect(stage.argumentDefaults).toEqual({ IMG: 'alpine # pinned' });
  });
});

describe('build-time templating', () => {
  it('substitutes per stage, build args win, one level of nesting', () => {
    const r = parseForBuild('Bootstrap: docker\nFrom: {{ A }}\n%arguments\nA={{ B }}\nB=x\n', { B: 'y' });
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.defs[0].header?.from).toBe('y');
  });

  it('undefined variables and unused build args', () => {
    expect(parseForBuild('Bootstrap: docker\nFrom: {{ X }}\n')).toEqual({
      ok: false,
      error: "build var X is not defined through either --build-arg (--build-arg-file) or 'arguments' section",
    });
    const r = parseForBuild('Bootstrap: docker\nFrom: a\n', { UNUSED: '1' });
    expect(r.ok && r.unusedBuildArgs).toEqual(['UNUSED']);
  });
});
