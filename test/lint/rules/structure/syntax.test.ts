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
import { applyFix, lintRule } from '../../../helpers/rule-tester.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';

describe('DEF001 unknown-section', () => {
  it('points at the word and suggests the nearest name', async () => {
    const [report, ...rest] = await lintRule(unknownSection, `${HEAD}%enviroment\n    export A=1\n`);
    expect(rest).toEqual([]);
    expect(report.excerpt).toBe('enviroment');
    expect(report.line).toBe(4);
    expect(applyFix(`${HEAD}%enviroment\n`, report.suggestions![0])).toBe(`${HEAD}%environment\n`);
  });
  it('explains indented section lines and offers to unindent them', async () => {
    const text = `${HEAD}%help\n  hi\n  %post\n    echo\n`;
    const [report] = await lintRule(unknownSection, text);
    expect(report.message).toMatch(/Indented section line/);
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%help\n  hi\n%post\n    echo\n`);
  });
  it('suggests lowercase for an app word in the wrong case', async () => {
    const [report] = await lintRule(unknownSection, `${HEAD}%AppRun foo\n    echo\n`);
    expect(report.message).toMatch(/must be lowercase/);
    expect(applyFix(`${HEAD}%AppRun foo\n`, report.suggestions![0])).toBe(`${HEAD}%apprun foo\n`);
  });
  it('leaves lines that cut a heredoc to DEF002', async () => {
    const text = `${HEAD}%post\n    cat > x.spec <<EOF\n%define a b\nEOF\n`;
    expect(await lintRule(unknownSection, text)).toEqual([]);
    expect(await lintRule(percentLineInScript, text)).toHaveLength(1);
  });
});

describe('DEF002 percent-line-in-script', () => {
  it('is an error when the implied section is invalid', async () => {
    const [report] = await lintRule(percentLineInScript, `${HEAD}%post\n    cat > x.spec <<'EOF'\n%define a b\nEOF\n`);
    expect(report.severity).toBe('error');
    expect(report.message).toMatch(/heredoc `<<EOF`/);
    expect(report.excerpt).toBe('%define a b');
  });
  it('is a warning when a valid section silently starts, and follows the chain of cuts', async () => {
    const text = `${HEAD}%post\n    cat > notes <<EOF\n%files are listed below\n%post again\nEOF\n    echo done\n`;
    const reports = await lintRule(percentLineInScript, text);
    expect(reports.map((r) => [r.line, r.severity])).toEqual([
      [6, 'warning'],
      [7, 'warning'],
    ]);
  });
  it('catches a printf continuation line', async () => {
    const reports = await lintRule(percentLineInScript, `${HEAD}%post\n    printf "a\\n \\\n%s\\n" x\n`);
    expect(reports).toHaveLength(1);
    expect(reports[0].message).toMatch(/continuation/);
  });
  it('ignores closed heredocs, <<< and arithmetic shifts', async () => {
    const text = `${HEAD}%post\n    cat <<EOF\nhello\nEOF\n    x=$((1<<3))\n    cat <<< "$x"\n\n%runscript\n    exec echo\n`;
    expect(await lintRule(percentLineInScript, text)).toEqual([]);
  });
  it('does not claim a cut when the heredoc is never terminated', async () => {
    expect(await lintRule(percentLineInScript, `${HEAD}%runscript\n    cat <<EOF\n    usage\n\n%post\n    echo\n`)).toEqual([]);
  });
});

describe('DEF010 tab-in-section-header', () => {
  it('reports the tab with a safe fix', async () => {
    const text = `${HEAD}%post\t-c /bin/bash\n    echo\n`;
    const [report] = await lintRule(tabInSectionHeader, text);
    expect(report.excerpt).toBe('\t');
    const fixed = applyFix(text, report.fix!);
    expect(fixed).toBe(`${HEAD}%post -c /bin/bash\n    echo\n`);
    expect(parse(fixed).apptainer.ok).toBe(true);
    expect(await lintRule(unknownSection, text)).toEqual([]);
  });
});

describe('DEF008 section-name-case', () => {
  it('lowercases standard names but ignores app words (invalid, DEF001)', async () => {
    const text = `${HEAD}%RunScript\n    exec echo\n`;
    const [report] = await lintRule(sectionNameCase, text);
    expect(applyFix(text, report.fix!)).toBe(`${HEAD}%runscript\n    exec echo\n`);
    expect(await lintRule(sectionNameCase, `${HEAD}%AppRun x\n    echo\n`)).toEqual([]);
  });
});

describe('DEF009 invalid-section-arguments', () => {
  it('flags -c without a command as an error', async () => {
    const [report] = await lintRule(invalidSectionArguments, `${HEAD}%post -c\n    echo\n`);
    expect(report.severity).toBe('error');
  });
  it('flags %files arguments that make Apptainer skip the block', async () => {
    const reports = await lintRule(invalidSectionArguments, `${HEAD}%files from\n    a /a\n\n%files from a b\n    b /b\n`);
    expect(reports.map((r) => r.severity)).toEqual(['error', 'error']);
  });
  it('warns that the first %files word is not checked', async () => {
    const text = `${HEAD}%files to s1\n    a /a\n`;
    const [report] = await lintRule(invalidSectionArguments, text);
    expect(report.severity).toBe('warning');
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%files from s1\n    a /a\n`);
  });
  it('flags words after an app name, but not a trailing comment', async () => {
    expect((await lintRule(invalidSectionArguments, `${HEAD}%apprun foo bar\n    echo\n`))[0].excerpt).toBe('bar');
    expect(await lintRule(invalidSectionArguments, `${HEAD}%apprun foo # note\n    echo\n`)).toEqual([]);
  });
  it('accepts normal arguments', async () => {
    expect(
      await lintRule(invalidSectionArguments, `${HEAD}%post -c /bin/bash\n    echo\n\n%files from build\n    a /a\n\n%runscript -e\n    exec a\n`),
    ).toEqual([]);
  });
});

describe('DEF005 header-line-inside-section', () => {
  it('moves the line into the header', async () => {
    const text = 'Bootstrap: docker\n\n%labels\n    From: alpine:3.19\n    Author me\n';
    const [report] = await lintRule(headerLineInsideSection, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(fixed).toBe('Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me\n');
    expect(parse(fixed).stages[0].headerValues.from).toBe('alpine:3.19');
  });
});

describe('DEF007 duplicate-section', () => {
  it('warns for scripts glued together and informs for %post', async () => {
    const reports = await lintRule(
      duplicateSection,
      `${HEAD}%post\n    a\n%post\n    b\n%runscript\n    c\n%runscript\n    d\n%files\n    x /x\n%files\n    y /y\n`,
    );
    expect(reports.map((r) => [r.line, r.severity])).toEqual([
      [6, 'info'],
      [10, 'warning'],
    ]);
  });
  it('treats app sections of different apps as different', async () => {
    expect(await lintRule(duplicateSection, `${HEAD}%apprun a\n    x\n%apprun b\n    y\n`)).toEqual([]);
  });
});

describe('header syntax', () => {
  it('DEF003/DEF004 surface parser errors; DEF004 suggests the nearest key', async () => {
    expect((await lintRule(headerLineWithoutColon, 'Bootstrap: docker\nFROM ubuntu\n'))[0].line).toBe(2);
    const text = 'Bootstrap: docker\nFrom: alpine\nFingerprint: ABC\n';
    const [report] = await lintRule(unknownHeaderKeyword, text);
    expect(report.excerpt).toBe('Fingerprint');
    expect(applyFix(text, report.suggestions![0])).toBe('Bootstrap: docker\nFrom: alpine\nFingerprints: ABC\n');
  });
  it('DEF014 reports a BOM once, and DEF003/DEF004 stay quiet about it', async () => {
    for (const text of ['\ufeffBootstrap: docker\nFrom: alpine\n', '\ufeff# comment\nBootstrap: docker\nFrom: alpine\n']) {
      const reports = await lintRule(byteOrderMark, text);
      expect(reports).toHaveLength(1);
      expect(applyFix(text, reports[0].fix!)).toBe(text.slice(1));
      expect(await lintRule(unknownHeaderKeyword, text)).toEqual([]);
      expect(await lintRule(headerLineWithoutColon, text)).toEqual([]);
    }
  });
  it('DEF011 fixes key case, accepting BootStrap', async () => {
    const text = 'BOOTSTRAP: docker\nfrom: alpine\nosversion: x\n';
    const reports = await lintRule(headerKeyCase, text);
    expect(reports.map((r) => r.excerpt)).toEqual(['BOOTSTRAP', 'from', 'osversion']);
    let fixed = text;
    for (const report of [...reports].reverse()) fixed = applyFix(fixed, report.fix!);
    expect(fixed).toBe('Bootstrap: docker\nFrom: alpine\nOSVersion: x\n');
    expect(await lintRule(headerKeyCase, 'BootStrap: docker\nFrom: a\nOtherURL1: x\n')).toEqual([]);
  });
  it('DEF012 reports the winning duplicate and offers to delete the overridden line', async () => {
    const text = 'Bootstrap: docker\nFrom: a\nFrom: b\n';
    const [report] = await lintRule(duplicateHeaderKey, text);
    expect(report.line).toBe(3);
    expect(applyFix(text, report.suggestions![0])).toBe('Bootstrap: docker\nFrom: b\n');
  });
  it('DEF021 reports a dropped last entry and a swallowed key line', async () => {
    const dropped = await lintRule(headerContinuation, 'Bootstrap: docker\nFrom: ubuntu \\\n%post\n    echo\n');
    expect(dropped[0].message).toMatch(/drops `From`/);
    const swallowed = await lintRule(headerContinuation, 'Bootstrap: docker \\\nFrom: ubuntu\n\n%post\n    echo\n');
    expect(swallowed[0].excerpt).toBe('From');
    expect(await lintRule(headerContinuation, 'Bootstrap: zypper\nProductPGP: a\\n\\\n  b\n')).toEqual([]);
  });
});

describe('file-level syntax', () => {
  it('DEF006 points at line 1', async () => {
    const [report] = await lintRule(emptyDefinition, '# only a comment\n\n# another\n');
    expect(report.range.start.line).toBe(1);
    expect(report.range.end.line).toBe(1);
  });
  it('DEF019 surfaces the 64 KiB limit on the section word', async () => {
    const big = `${HEAD}%post\n${'    echo 0123456789012345678901234567890123456789\n'.repeat(1500)}`;
    const [report] = await lintRule(tokenTooLong, big);
    expect(report.excerpt).toBe('%post');
    expect(await lintRule(tokenTooLong, `${HEAD}%post\n    echo\n`)).toEqual([]);
  });
  it('DEF013 keeps whitespace after a backslash and adds the final newline', async () => {
    const text = 'Bootstrap: docker  \nFrom: a\n\n%post\n    echo a \\ \n    b';
    const reports = await lintRule(whitespaceStyle, text);
    expect(reports.map((r) => r.message)).toEqual(['Trailing whitespace', 'No newline at the end of the file']);
  });
});
