import { describe, expect, it } from 'vitest';
import { parse } from '../../../../src/parse/index.js';
import { byteOrderMark } from '../../../../src/lint/rules/syntax/byte-order-mark.js';
import { duplicateHeaderKey } from '../../../../src/lint/rules/syntax/duplicate-header-key.js';
import { headerContinuation } from '../../../../src/lint/rules/syntax/header-continuation.js';
import { headerKeyCase } from '../../../../src/lint/rules/syntax/header-key-case.js';
import { headerLineWithoutColon } from '../../../../src/lint/rules/syntax/header-line-without-colon.js';
import { unknownHeaderKeyword } from '../../../../src/lint/rules/syntax/unknown-header-keyword.js';
import { duplicateSection } from '../../../../src/lint/rules/syntax/duplicate-section.js';
import { headerLineInsideSection } from '../../../../src/lint/rules/syntax/header-line-inside-section.js';
import { invalidSectionArguments } from '../../../../src/lint/rules/syntax/invalid-section-arguments.js';
import { percentLineInScript } from '../../../../src/lint/rules/syntax/percent-line-in-script.js';
import { sectionNameCase } from '../../../../src/lint/rules/syntax/section-name-case.js';
import { tabInSectionHeader } from '../../../../src/lint/rules/syntax/tab-in-section-header.js';
import { unknownSection } from '../../../../src/lint/rules/syntax/unknown-section.js';
import { emptyDefinition } from '../../../../src/lint/rules/syntax/empty-definition.js';
import { tokenTooLong } from '../../../../src/lint/rules/syntax/token-too-long.js';
import { whitespaceStyle } from '../../../../src/lint/rules/syntax/whitespace-style.js';
import { applyFix, runRule } from './harness.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';

describe('DEF001 unknown-section', () => {
  it('points at the word and suggests the nearest name', () => {
    const [report, ...rest] = runRule(unknownSection, `${HEAD}%enviroment\n    export A=1\n`);
    expect(rest).toEqual([]);
    expect(report.excerpt).toBe('enviroment');
    expect(report.line).toBe(4);
    expect(applyFix(`${HEAD}%enviroment\n`, report.suggestions![0])).toBe(`${HEAD}%environment\n`);
  });
  it('explains indented section lines and offers to unindent them', () => {
    const text = `${HEAD}%help\n  hi\n  %post\n    echo\n`;
    const [report] = runRule(unknownSection, text);
    expect(report.message).toMatch(/Indented section line/);
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%help\n  hi\n%post\n    echo\n`);
  });
  it('suggests lowercase for an app word in the wrong case', () => {
    const [report] = runRule(unknownSection, `${HEAD}%AppRun foo\n    echo\n`);
    expect(report.message).toMatch(/must be lowercase/);
    expect(applyFix(`${HEAD}%AppRun foo\n`, report.suggestions![0])).toBe(`${HEAD}%apprun foo\n`);
  });
  it('leaves lines that cut a heredoc to DEF002', () => {
    const text = `${HEAD}%post\n    cat > x.spec <<EOF\n%define a b\nEOF\n`;
    expect(runRule(unknownSection, text)).toEqual([]);
    expect(runRule(percentLineInScript, text)).toHaveLength(1);
  });
});

describe('DEF002 percent-line-in-script', () => {
  it('is an error when the implied section is invalid', () => {
    const [report] = runRule(percentLineInScript, `${HEAD}%post\n    cat > x.spec <<'EOF'\n%define a b\nEOF\n`);
    expect(report.effectiveSeverity).toBe('error');
    expect(report.message).toMatch(/heredoc `<<EOF`/);
    expect(report.excerpt).toBe('%define a b');
  });
  it('is a warning when a valid section silently starts, and follows the chain of cuts', () => {
    const text = `${HEAD}%post\n    cat > notes <<EOF\n%files are listed below\n%post again\nEOF\n    echo done\n`;
    const reports = runRule(percentLineInScript, text);
    expect(reports.map((r) => [r.line, r.effectiveSeverity])).toEqual([
      [6, 'warning'],
      [7, 'warning'],
    ]);
  });
  it('catches a printf continuation line', () => {
    const reports = runRule(percentLineInScript, `${HEAD}%post\n    printf "a\\n \\\n%s\\n" x\n`);
    expect(reports).toHaveLength(1);
    expect(reports[0].message).toMatch(/continuation/);
  });
  it('ignores closed heredocs, <<< and arithmetic shifts', () => {
    const text = `${HEAD}%post\n    cat <<EOF\nhello\nEOF\n    x=$((1<<3))\n    cat <<< "$x"\n\n%runscript\n    exec echo\n`;
    expect(runRule(percentLineInScript, text)).toEqual([]);
  });
  it('does not claim a cut when the heredoc is never terminated', () => {
    expect(runRule(percentLineInScript, `${HEAD}%runscript\n    cat <<EOF\n    usage\n\n%post\n    echo\n`)).toEqual([]);
  });
});

describe('DEF010 tab-in-section-header', () => {
  it('reports the tab with a safe fix', () => {
    const text = `${HEAD}%post\t-c /bin/bash\n    echo\n`;
    const [report] = runRule(tabInSectionHeader, text);
    expect(report.excerpt).toBe('\t');
    const fixed = applyFix(text, report.fix!);
    expect(fixed).toBe(`${HEAD}%post -c /bin/bash\n    echo\n`);
    expect(parse(fixed).apptainer.ok).toBe(true);
    expect(runRule(unknownSection, text)).toEqual([]);
  });
});

describe('DEF008 section-name-case', () => {
  it('lowercases standard names but ignores app words (invalid, DEF001)', () => {
    const text = `${HEAD}%RunScript\n    exec echo\n`;
    const [report] = runRule(sectionNameCase, text);
    expect(applyFix(text, report.fix!)).toBe(`${HEAD}%runscript\n    exec echo\n`);
    expect(runRule(sectionNameCase, `${HEAD}%AppRun x\n    echo\n`)).toEqual([]);
  });
});

describe('DEF009 invalid-section-arguments', () => {
  it('flags -c without a command as an error', () => {
    const [report] = runRule(invalidSectionArguments, `${HEAD}%post -c\n    echo\n`);
    expect(report.effectiveSeverity).toBe('error');
  });
  it('flags %files arguments that make Apptainer skip the block', () => {
    const reports = runRule(invalidSectionArguments, `${HEAD}%files from\n    a /a\n\n%files from a b\n    b /b\n`);
    expect(reports.map((r) => r.effectiveSeverity)).toEqual(['error', 'error']);
  });
  it('warns that the first %files word is not checked', () => {
    const text = `${HEAD}%files to s1\n    a /a\n`;
    const [report] = runRule(invalidSectionArguments, text);
    expect(report.effectiveSeverity).toBe('warning');
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%files from s1\n    a /a\n`);
  });
  it('flags words after an app name, but not a trailing comment', () => {
    expect(runRule(invalidSectionArguments, `${HEAD}%apprun foo bar\n    echo\n`)[0].excerpt).toBe('bar');
    expect(runRule(invalidSectionArguments, `${HEAD}%apprun foo # note\n    echo\n`)).toEqual([]);
  });
  it('accepts normal arguments', () => {
    expect(runRule(invalidSectionArguments, `${HEAD}%post -c /bin/bash\n    echo\n\n%files from build\n    a /a\n\n%runscript -e\n    exec a\n`)).toEqual([]);
  });
});

describe('DEF005 header-line-inside-section', () => {
  it('moves the line into the header', () => {
    const text = 'Bootstrap: docker\n\n%labels\n    From: alpine:3.19\n    Author me\n';
    const [report] = runRule(headerLineInsideSection, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(fixed).toBe('Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me\n');
    expect(parse(fixed).stages[0].headerValues.from).toBe('alpine:3.19');
  });
});

describe('DEF007 duplicate-section', () => {
  it('warns for scripts glued together and informs for %post', () => {
    const reports = runRule(duplicateSection, `${HEAD}%post\n    a\n%post\n    b\n%runscript\n    c\n%runscript\n    d\n%files\n    x /x\n%files\n    y /y\n`);
    expect(reports.map((r) => [r.line, r.effectiveSeverity])).toEqual([
      [6, 'info'],
      [10, 'warning'],
    ]);
  });
  it('treats app sections of different apps as different', () => {
    expect(runRule(duplicateSection, `${HEAD}%apprun a\n    x\n%apprun b\n    y\n`)).toEqual([]);
  });
});

describe('header syntax', () => {
  it('DEF003/DEF004 surface parser errors; DEF004 suggests the nearest key', () => {
    expect(runRule(headerLineWithoutColon, 'Bootstrap: docker\nFROM ubuntu\n')[0].line).toBe(2);
    const text = 'Bootstrap: docker\nFrom: alpine\nFingerprint: ABC\n';
    const [report] = runRule(unknownHeaderKeyword, text);
    expect(report.excerpt).toBe('Fingerprint');
    expect(applyFix(text, report.suggestions![0])).toBe('Bootstrap: docker\nFrom: alpine\nFingerprints: ABC\n');
  });
  it('DEF014 reports a BOM once, and DEF003/DEF004 stay quiet about it', () => {
    for (const text of ['\ufeffBootstrap: docker\nFrom: alpine\n', '\ufeff# comment\nBootstrap: docker\nFrom: alpine\n']) {
      const reports = runRule(byteOrderMark, text);
      expect(reports).toHaveLength(1);
      expect(applyFix(text, reports[0].fix!)).toBe(text.slice(1));
      expect(runRule(unknownHeaderKeyword, text)).toEqual([]);
      expect(runRule(headerLineWithoutColon, text)).toEqual([]);
    }
  });
  it('DEF011 fixes key case, accepting BootStrap', () => {
    const text = 'BOOTSTRAP: docker\nfrom: alpine\nosversion: x\n';
    const reports = runRule(headerKeyCase, text);
    expect(reports.map((r) => r.excerpt)).toEqual(['BOOTSTRAP', 'from', 'osversion']);
    let fixed = text;
    for (const report of [...reports].reverse()) fixed = applyFix(fixed, report.fix!);
    expect(fixed).toBe('Bootstrap: docker\nFrom: alpine\nOSVersion: x\n');
    expect(runRule(headerKeyCase, 'BootStrap: docker\nFrom: a\nOtherURL1: x\n')).toEqual([]);
  });
  it('DEF012 reports the winning duplicate and offers to delete the overridden line', () => {
    const text = 'Bootstrap: docker\nFrom: a\nFrom: b\n';
    const [report] = runRule(duplicateHeaderKey, text);
    expect(report.line).toBe(3);
    expect(applyFix(text, report.suggestions![0])).toBe('Bootstrap: docker\nFrom: b\n');
  });
  it('DEF021 reports a dropped last entry and a swallowed key line', () => {
    const dropped = runRule(headerContinuation, 'Bootstrap: docker\nFrom: ubuntu \\\n%post\n    echo\n');
    expect(dropped[0].message).toMatch(/drops `From`/);
    const swallowed = runRule(headerContinuation, 'Bootstrap: docker \\\nFrom: ubuntu\n\n%post\n    echo\n');
    expect(swallowed[0].excerpt).toBe('From');
    expect(runRule(headerContinuation, 'Bootstrap: zypper\nProductPGP: a\\n\\\n  b\n')).toEqual([]);
  });
});

describe('file-level syntax', () => {
  it('DEF006 points at line 1', () => {
    const [report] = runRule(emptyDefinition, '# only a comment\n\n# another\n');
    expect(report.range.start.line).toBe(1);
    expect(report.range.end.line).toBe(1);
  });
  it('DEF019 surfaces the 64 KiB limit on the section word', () => {
    const big = `${HEAD}%post\n${'    echo 0123456789012345678901234567890123456789\n'.repeat(1500)}`;
    const [report] = runRule(tokenTooLong, big);
    expect(report.excerpt).toBe('%post');
    expect(runRule(tokenTooLong, `${HEAD}%post\n    echo\n`)).toEqual([]);
  });
  it('DEF013 keeps whitespace after a backslash and adds the final newline', () => {
    const text = 'Bootstrap: docker  \nFrom: a\n\n%post\n    echo a \\ \n    b';
    const reports = runRule(whitespaceStyle, text);
    expect(reports.map((r) => r.message)).toEqual(['Trailing whitespace', 'No newline at the end of the file']);
  });
});
