import { describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { allSections, cutsByLine, tabbedSectionLines } from '../../../src/lint/vocab/syntax-sections.js';
import type { RuleContext } from '../../../src/lint/types.js';

describe('allSections', () => {
  const text =
    'Bootstrap: docker\nFrom: alpine\nStage: a\n\n%post\n    true\n\n%labels\n    A b\n\nBootstrap: docker\nFrom: alpine\n\n%runscript\n    exec x\n';

  test('lists every stage’s sections in file order, once per parsed file for all its callers', () => {
    const file = parse(text);
    const ctx = { file } as RuleContext;
    const sections = allSections(ctx);
    expect(sections.map((section) => section.name)).toEqual(['post', 'labels', 'runscript']);
    // Several syntax rules ask during one lint: the same list, not a new one per rule.
    expect(allSections({ file } as RuleContext)).toBe(sections);
    // Another parse (the next lint) gets its own.
    expect(allSections({ file: parse(text) } as RuleContext)).not.toBe(sections);
  });

  test('the tabbed section lines and the lines that cut a script are found once per parsed file', () => {
    const cut = 'Bootstrap: docker\nFrom: alpine\n\n%post\n    cat > /x <<EOF\n%files\nEOF\n\n%runscript\texec x\n';
    const file = parse(cut);
    const tabs = tabbedSectionLines({ file } as RuleContext);
    expect([...tabs.values()].map((tab) => tab.name)).toEqual(['runscript']);
    expect(tabbedSectionLines({ file } as RuleContext)).toBe(tabs);
    const cuts = cutsByLine({ file } as RuleContext);
    expect([...cuts.values()].map((c) => [c.section.name, c.reason])).toEqual([['files', 'heredoc']]);
    expect(cutsByLine({ file } as RuleContext)).toBe(cuts);
    expect(cutsByLine({ file: parse(cut) } as RuleContext)).not.toBe(cuts);
  });
});
