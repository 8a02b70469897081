import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFixes, lint, type Finding } from '../../../src/lint/index.js';
import { registerTestRules } from './test-rules.js';

let unregister: () => void;
beforeAll(() => {
  unregister = registerTestRules();
});
afterAll(() => unregister());

const HEAD = 'Bootstrap: docker\nFrom: alpine\n\n';

async function run(body: string, config = {}) {
  const findings = await lint(HEAD + body, { shellcheck: false, config });
  const shown = (id: string) => findings.filter((f) => f.ruleId === id && !f.suppressed).map((f) => f.range.start.line);
  return { findings, shown };
}

describe('suppression pragmas', () => {
  it('ignore= applies to the next non-blank line, by id or slug, with its reason', async () => {
    const { findings, shown } = await run('%post\n    # apptainer-lint ignore=test-echo -- wanted\n\n    echo a\n    echo b\n');
    expect(shown('DEF997')).toEqual([8]);
    const suppressed = findings.filter((f) => f.ruleId === 'DEF997' && f.suppressed);
    expect(suppressed.map((f) => [f.range.start.line, f.suppressed])).toEqual([[7, { kind: 'inSource', justification: 'wanted' }]]);
    expect(shown('DEF990')).toEqual([]);
  });

  it('stacked pragmas all apply to the next code line; a trailing pragma applies to its own line', async () => {
    const { shown } = await run(
      '%post\n    # apptainer-lint ignore=DEF996\n    # apptainer-lint ignore=DEF997\n    echo a\n    echo b # apptainer-lint ignore=DEF997\n    echo c\n',
    );
    expect(shown('DEF997')).toEqual([9]);
    // The DEF996 entry matched nothing: reported as unused.
    expect(shown('DEF990')).toEqual([5]);
  });

  it('on a section line, ignore= covers the whole section; ignore-section= the enclosing one', async () => {
    const { shown } = await run(
      '%post # apptainer-lint ignore=DEF997\n    echo a\n    echo b\n%test\n    echo c\n    # apptainer-lint ignore-section=test-echo\n    echo d\n%runscript\n    echo e\n',
    );
    expect(shown('DEF997')).toEqual([12]);
    expect(shown('DEF990')).toEqual([]);
  });

  it('ignore-file= covers the whole file, from anywhere (also the header)', async () => {
    const text = 'Bootstrap: docker\n# apptainer-lint ignore-file=DEF997,DEF996\nFrom: alpine\n%post\n    echo a\n%test\n    echo b\n';
    const findings = await lint(text, { shellcheck: false });
    expect(findings.filter((f) => (f.ruleId === 'DEF997' || f.ruleId === 'DEF996') && !f.suppressed)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'DEF997' && f.suppressed)).toHaveLength(2);
  });

  it('reports malformed pragmas and unknown rules (DEF992) with a suggestion', async () => {
    const { findings, shown } = await run(
      '%post\n    # apptainer-lint disable=DEF997\n    # apptainer-lint ignore=test-ech0\n    # apptainer-lint ignore=\n    echo a\n',
    );
    expect(shown('DEF992')).toEqual([5, 6, 7]);
    const unknown = findings.find((f) => f.ruleId === 'DEF992' && f.range.start.line === 6)!;
    expect(unknown.message).toContain("did you mean 'test-echo'");
    expect(unknown.range.start.column).toBe(29);
    expect(unknown.suggestions?.[0].edits[0].text).toBe('test-echo');
    // None of them suppress anything.
    expect(shown('DEF997')).toEqual([8]);
  });

  it('reports unused entries (DEF990) with a fix that removes only them', async () => {
    const body = '%post\n    # apptainer-lint ignore=DEF997,DEF996 -- why\n    echo a\n    # apptainer-lint ignore=DEF997\n    ls\n';
    const { findings, shown } = await run(body);
    expect(shown('DEF990')).toEqual([5, 7]);
    const text = HEAD + body;
    const fixed = applyFixes(
      text,
      findings.filter((f) => f.ruleId === 'DEF990'),
    );
    expect(fixed.output).toBe(HEAD + '%post\n    # apptainer-lint ignore=DEF997 -- why\n    echo a\n    ls\n');
    const again = await lint(fixed.output, { shellcheck: false });
    expect(again.filter((f) => f.ruleId === 'DEF990' && !f.suppressed)).toEqual([]);
  });

  it('an unused pragma cannot silence its own DEF990, but another pragma can', async () => {
    expect((await run('%post # apptainer-lint ignore=DEF990,DEF997\n    ls\n')).shown('DEF990')).toEqual([4]);
    expect((await run('%post\n    # apptainer-lint ignore-file=DEF990\n    # apptainer-lint ignore=DEF997\n    ls\n')).shown('DEF990')).toEqual([]);
  });

  it('does not count ShellCheck codes as unused when ShellCheck did not run', async () => {
    const { shown } = await run('%post\n    # apptainer-lint ignore=SC2086\n    echo $a\n');
    expect(shown('DEF990')).toEqual([]);
    expect(shown('DEF992')).toEqual([]);
  });

  it('DEF991 reports every pragma when enabled; noInlineConfig makes pragmas inert', async () => {
    const body = '%post\n    # apptainer-lint ignore=DEF997 -- ok\n    echo a\n';
    expect((await run(body, { rules: { 'ignore-pragma-used': 'warning' } })).shown('DEF991')).toEqual([5]);
    const inert = await run(body, { noInlineConfig: true });
    expect(inert.shown('DEF997')).toEqual([6]);
    expect(inert.shown('DEF990')).toEqual([]);
  });

  it('finds pragmas with CRLF line ends and in header comments', async () => {
    const text = 'Bootstrap: docker\r\nFrom: alpine\r\n%post\r\n    # apptainer-lint ignore=DEF997\r\n    echo a\r\n';
    const findings: Finding[] = await lint(text, { shellcheck: false });
    expect(findings.filter((f) => f.ruleId === 'DEF997' && !f.suppressed)).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'DEF990' && !f.suppressed)).toEqual([]);
  });
});
