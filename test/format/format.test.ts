import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, formatDetailed } from '../../src/format/index.js';
import { sameApptainerResult } from '../../src/format/equivalence.js';
import { parse } from '../../src/parse/index.js';

function expectSameMeaning(before: string, after: string): void {
  expect(sameApptainerResult(parse(after).apptainer, parse(before).apptainer)).toBe(true);
}

describe('format', () => {
  it('writes header keys in canonical case with one space after the colon', () => {
    const input =
      'bootstrap:docker\n  FROM :   ubuntu:24.04   # pinned\nmirrorurl: http://x/\nosversion:jammy\nIncludecmd: no\nOTHERURL1: http://y/\n\n%post\n  echo hi\n';
    const output = format(input);
    expect(output).toBe(
      'Bootstrap: docker\nFrom: ubuntu:24.04 # pinned\nMirrorURL: http://x/\nOSVersion: jammy\nIncludeCmd: no\nOtherURL1: http://y/\n\n%post\n  echo hi\n',
    );
    expectSameMeaning(input, output);
  });

  it('puts Bootstrap first in a stage when that keeps the stage layout', () => {
    // An indented `Bootstrap:` does not start a stage, so this is one stage with From first.
    const input = '# my image\nFrom: alpine:3.19\n  Bootstrap: docker\n%runscript\n  exec app\n';
    const output = format(input);
    expect(output).toBe('# my image\nBootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n  exec app\n');
    expectSameMeaning(input, output);
  });

  it('never merges stages: keys before a column-0 Bootstrap: form their own stage', () => {
    const input = 'From: alpine:3.19\nBootstrap: docker\n%post\n  echo\n';
    const output = format(input);
    expect(output.indexOf('From: alpine')).toBeLessThan(output.indexOf('Bootstrap: docker'));
    expectSameMeaning(input, output);
  });

  it('keeps script bodies byte for byte, trailing whitespace and blank lines included', () => {
    const input = 'Bootstrap: docker\nFrom: a:1\n%post\n  echo a   \n  cat <<EOF\nx  \nEOF\n\n\n%runscript\n  exec b \\ \n';
    const output = format(input);
    expect(output).toBe('Bootstrap: docker\nFrom: a:1\n\n%post\n  echo a   \n  cat <<EOF\nx  \nEOF\n\n\n%runscript\n  exec b \\ \n');
    expectSameMeaning(input, output);
  });

  it('tidies %files and %labels, which Apptainer trims line by line', () => {
    const input = 'Bootstrap: docker\nFrom: a:1\n%files\n  a.txt /a.txt   \n\n\n%labels\n  Author me  \n%post\n  true\n';
    const output = format(input);
    expect(output).toBe('Bootstrap: docker\nFrom: a:1\n\n%files\n  a.txt /a.txt\n\n%labels\n  Author me\n\n%post\n  true\n');
    expectSameMeaning(input, output);
  });

  it('converts CRLF to LF and adds a final newline', () => {
    const input = 'Bootstrap: docker\r\nFrom: a:1\r\n\r\n%labels\r\n  A b';
    const output = format(input);
    expect(output).toBe('Bootstrap: docker\nFrom: a:1\n\n%labels\n  A b\n');
    expectSameMeaning(input, output);
  });

  it('leaves continued header entries as written', () => {
    const input = 'Bootstrap: zypper\nProductPGP: -----BEGIN\\n\\\n  abc\\n\\\n  -----END\nproduct: SLES\n%post\n  true\n';
    const output = format(input);
    expect(output).toContain('ProductPGP: -----BEGIN\\n\\\n  abc\\n\\\n  -----END\n');
    expect(output).toContain('Product: SLES\n');
    expectSameMeaning(input, output);
  });

  it('does not touch a second Bootstrap: key inside one stage', () => {
    const input = 'Bootstrap: docker\n  bootstrap: library\nFrom: a:1\n%post\n  true\n';
    const output = format(input);
    expect(output.split('\n')[1]).toBe('  bootstrap: library');
    expectSameMeaning(input, output);
  });

  it('keeps blank lines before a first section on line 1 (they change what Apptainer reads)', () => {
    const input = '\n\n%post\n';
    expect(format(input)).toBe(input);
  });

  it('keeps files Apptainer rejects readable and equally rejected', () => {
    const input = 'RELEASE=23\n\nif true; then\n    echo\nfi\n';
    const output = format(input);
    expect(output).toBe(input);
  });

  it('is idempotent and reports when nothing changes', () => {
    const once = format('BootStrap: docker\nfrom: a:1\n%post\n  true');
    expect(format(once)).toBe(once);
    expect(formatDetailed(once).changed).toBe(false);
  });

  it('never throws and never changes the Apptainer parse result on def-like noise', () => {
    const line = fc.oneof(
      fc.constantFrom(
        'Bootstrap: docker',
        'bootstrap:library',
        '  Bootstrap : x',
        'From: alpine',
        'FROM:  a # c',
        'Stage: one',
        'OSVersion: 1 \\',
        '%post',
        '%files from one',
        '%labels',
        '%apprun app',
        '%environment',
        '%help',
        '%arguments',
        '  X=1',
        '  a b c   ',
        '',
        '   ',
        '# comment',
        '  # apptainer-lint ignore=DEF201',
        '%',
        '\t%post',
        'a:b',
        '"',
        '  {{ X }}',
        'cat <<EOF',
        'EOF',
        '\r',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, finalEol) => {
        const input = lines.join(eol) + (finalEol ? eol : '');
        const output = format(input);
        expect(sameApptainerResult(parse(output).apptainer, parse(input).apptainer)).toBe(true);
        expect(format(output)).toBe(output);
      }),
      { numRuns: 2000 },
    );
  });
});
