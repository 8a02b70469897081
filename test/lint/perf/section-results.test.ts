// Findings kept per section between lints (src/lint/section-results.ts) must never change a
// result: after any edit, a lint that reuses the kept findings of unchanged sections has to equal
// a fresh lint of the new text exactly (ranges, fixes, messages, suppressions). The property test
// edits def files built from every rule's own examples and the lint fixtures; the other tests pin
// what is reused and what is linted again at the edges (section renamed, header edited, section
// inserted or removed, pragmas, configuration, line breaks).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { allRules, lint, resolveConfig, SectionResults, type Finding, type ResolvedConfig, type RuleContext } from '../../../src/lint/index.js';
import { SectionRun } from '../../../src/lint/section-results.js';

const fixtures = join(__dirname, '../../../fixtures/lint');

function fixtureTexts(): string[] {
  const texts: string[] = [];
  for (const dir of readdirSync(fixtures).sort()) {
    for (const name of readdirSync(join(fixtures, dir)).sort()) {
      if (name.endsWith('.def')) texts.push(readFileSync(join(fixtures, dir, name), 'utf8'));
    }
  }
  return texts;
}

/** Every rule's bad and good example, then the lint fixtures: each rule fires somewhere in here. */
const SNIPPETS = [...allRules.flatMap((rule) => [rule.meta.bad, rule.meta.good]), ...fixtureTexts()].filter((text) => text.trim() !== '');
const LINES = [...new Set(SNIPPETS.flatMap((text) => text.split(/\r?\n/)))].sort();

/** The sections of a def text (section line and body), each ending in one line break. */
function sectionsOf(text: string): string[] {
  return parse(text)
    .stages.flatMap((stage) => stage.sections)
    .map((section) => text.slice(section.range.start.offset, section.range.end.offset).replace(/\n*$/, '\n'));
}

/** Every section of the snippets, for files assembled from them. */
const SECTIONS = [...new Set(SNIPPETS.flatMap(sectionsOf))].sort();
const BODIES = [...new Set(SECTIONS.map((section) => section.slice(section.indexOf('\n') + 1)))].sort();
const HEADERS = ['Bootstrap: docker\nFrom: ubuntu:22.04\n', 'Bootstrap: docker\nFrom: alpine:3.19\nStage: build\n', 'Bootstrap: localimage\nFrom: base.sif\n'];

const strict = resolveConfig({ extends: 'strict' });
const recommended = resolveConfig({ extends: 'recommended' });

async function fresh(text: string, config: ResolvedConfig): Promise<Finding[]> {
  return lint(text, { filename: 'edited.def', config, shellcheck: false });
}

async function kept(text: string, config: ResolvedConfig, results: SectionResults): Promise<Finding[]> {
  return lint(text, { filename: 'edited.def', config, shellcheck: false, sectionResults: results });
}

type Edit =
  | { kind: 'insert'; at: number; line: string }
  | { kind: 'delete'; at: number }
  | { kind: 'type'; at: number; column: number; text: string; remove: number }
  | { kind: 'body'; at: number; body: string };

function applyEdit(text: string, edit: Edit): string {
  if (edit.kind === 'body') {
    // Another section's body in place of one section's (what the others read across sections).
    const sections = parse(text).stages.flatMap((stage) => stage.sections);
    if (sections.length === 0) return text;
    const section = sections[edit.at % sections.length];
    return text.slice(0, section.lineRange.end.offset) + '\n' + edit.body + text.slice(section.range.end.offset);
  }
  const lines = text.split('\n');
  const at = edit.at % (lines.length + (edit.kind === 'insert' ? 1 : 0));
  if (edit.kind === 'insert') lines.splice(at, 0, edit.line);
  else if (edit.kind === 'delete') lines.splice(at, 1);
  else {
    const line = lines[at];
    const column = edit.column % (line.length + 1);
    lines[at] = line.slice(0, column) + edit.text + line.slice(column + edit.remove);
  }
  return lines.join('\n');
}

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('body' as const), at: fc.nat(), body: fc.constantFrom(...BODIES, '') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: fc.constantFrom(...LINES, '', '%post', '%environment', '    set -e', '\r') }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('type' as const),
    at: fc.nat(),
    column: fc.nat(),
    text: fc.constantFrom(
      '',
      'x',
      ' ',
      '%',
      '#',
      '\\',
      '"',
      '{{ V }}',
      '$HOME',
      ' -y',
      ' # apptainer-lint ignore=DEF305',
      '\r',
      '\n',
      'é',
      '\t',
      ' from',
      'POST',
    ),
    remove: fc.nat({ max: 3 }),
  }),
);

describe('section results', () => {
  test('a lint reusing kept findings equals a fresh lint after random edits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.constantFrom(...SNIPPETS), { minLength: 1, maxLength: 3 }),
          fc
            .array(fc.tuple(fc.constantFrom(...HEADERS), fc.array(fc.constantFrom(...SECTIONS), { minLength: 1, maxLength: 5 })), {
              minLength: 1,
              maxLength: 2,
            })
            .map((stages) => stages.map(([header, sections]) => [header, ...sections].join('\n'))),
        ),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        async (parts, edits, useStrict) => {
          const config = useStrict ? strict : recommended;
          const results = new SectionResults();
          let text = parts.join('\n');
          expect(await kept(text, config, results)).toEqual(await fresh(text, config));
          for (const step of edits) {
            text = applyEdit(text, step);
            expect(await kept(text, config, results)).toEqual(await fresh(text, config));
          }
        },
      ),
      // A fixed seed keeps `npm test` repeatable; raise numRuns (or drop the seed) to search further.
      { numRuns: 150, seed: 15_2026 },
    );
  }, 300_000);

  const TEXT = [
    'Bootstrap: docker',
    'From: ubuntu:22.04',
    '',
    '%post',
    '    apt-get install curl',
    '    curl -k https://example.org/x.tar.gz | tar -xz',
    '',
    '%environment',
    '    FOO=1',
    '',
    '%post',
    '    pip install numpy',
    '    sudo make install',
    '',
    '%runscript',
    '    exec /opt/app "$@"',
    '',
  ].join('\n');

  async function relint(before: string, after: string, config: ResolvedConfig = strict, afterConfig: ResolvedConfig = config) {
    const results = new SectionResults();
    await kept(before, config, results);
    const findings = await kept(after, afterConfig, results);
    expect(findings).toEqual(await fresh(after, afterConfig));
    return { findings, ...results.last };
  }

  const replaceLine = (text: string, index: number, line: string) =>
    text
      .split('\n')
      .map((l, i) => (i === index ? line : l))
      .join('\n');

  test('an edit inside one body re-lints that section only; findings below it move', async () => {
    const edited = replaceLine(TEXT, 4, '    apt-get install  curl\n    true');
    const { findings, reused, linted } = await relint(TEXT, edited);
    expect({ reused, linted }).toEqual({ reused: 3, linted: 1 });
    // The sudo finding in the second %post moved one line down with its section.
    const sudo = findings.find((f) => f.ruleId === 'DEF310');
    expect(sudo?.range.start.line).toBe(14);
  });

  test('the same text again reuses every section', async () => {
    expect(await relint(TEXT, TEXT)).toMatchObject({ reused: 4, linted: 0 });
  });

  test('a renamed section, an edited header, an inserted or removed section: everything is linted again', async () => {
    const renamed = replaceLine(TEXT, 10, '%test');
    const header = replaceLine(TEXT, 1, 'From: debian:12');
    const inserted = TEXT.replace('%runscript', '%post\n    apt-get update\n\n%runscript');
    const removed = TEXT.replace('%environment\n    FOO=1\n\n', '');
    for (const after of [renamed, header, inserted, removed]) {
      const { reused, linted } = await relint(TEXT, after);
      expect(reused).toBe(0);
      expect(linted).toBeGreaterThan(0);
    }
  });

  test('a pragma typed into one body suppresses there, and only that section is linted again', async () => {
    const withPragma = replaceLine(TEXT, 4, '    apt-get install curl # apptainer-lint ignore=DEF305');
    const { findings, reused, linted } = await relint(TEXT, withPragma);
    expect({ reused, linted }).toEqual({ reused: 3, linted: 1 });
    expect(findings.find((f) => f.ruleId === 'DEF305')?.suppressed?.kind).toBe('inSource');
    // A file-wide pragma in the header changes the frame: all sections again, still equal.
    const fileWide = TEXT.replace('From: ubuntu:22.04', 'From: ubuntu:22.04\n# apptainer-lint ignore-file=DEF310');
    const again = await relint(TEXT, fileWide);
    expect(again.reused).toBe(0);
    expect(again.findings.find((f) => f.ruleId === 'DEF310')?.suppressed?.kind).toBe('inSource');
  });

  test('another configuration (rules or settings) drops what was kept', async () => {
    expect(await relint(TEXT, TEXT, strict, recommended)).toMatchObject({ reused: 0 });
    const withBuildArg: ResolvedConfig = { ...strict, settings: { ...strict.settings, buildArgs: { V: '1' } } };
    expect(await relint(TEXT, TEXT, strict, withBuildArg)).toMatchObject({ reused: 0 });
    const options: ResolvedConfig = { ...strict, rules: { ...strict.rules, DEF605: { ...strict.rules.DEF605, options: { boundDirs: ['/opt'] } } } };
    expect(await relint(TEXT, TEXT, strict, options)).toMatchObject({ reused: 0 });
  });

  test('a CRLF typed into one body changes how every fix writes line breaks: everything is linted again', async () => {
    const crlf = replaceLine(TEXT, 12, '    sudo make install\r');
    expect(await relint(TEXT, crlf)).toMatchObject({ reused: 0 });
  });

  test('findings outside their section are never kept: that section is linted each time', async () => {
    // DEF005's fix moves the header line out of %labels into the header.
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%labels\n    Stage: build\n    Author me\n\n%post\n    true\n';
    const results = new SectionResults();
    await kept(text, strict, results);
    const findings = await kept(text, strict, results);
    expect(findings.some((f) => f.ruleId === 'DEF005')).toBe(true);
    expect(results.last).toEqual({ reused: 1, linted: 1 });
    expect(findings).toEqual(await fresh(text, strict));
  });

  test('a document parsed once serves both lints (the language server passes its parse)', async () => {
    const results = new SectionResults();
    const file = parse(TEXT, { filename: 'edited.def' });
    await lint(TEXT, { filename: 'edited.def', config: strict, shellcheck: false, parsed: file, sectionResults: results });
    const again = await lint(TEXT, { filename: 'edited.def', config: strict, shellcheck: false, parsed: file, sectionResults: results });
    expect(results.last.reused).toBe(4);
    expect(again).toEqual(await fresh(TEXT, strict));
  });
  test('an unchanged section is replayed in one step per phase, and not at all when it kept nothing for that phase', async () => {
    const results = new SectionResults();
    await kept(TEXT, strict, results);
    const perSlot = vi.spyOn(SectionRun.prototype, 'replay');
    const perScript = vi.spyOn(SectionRun.prototype, 'replayScript');
    try {
      const edited = replaceLine(TEXT, 4, '    apt-get install  curl');
      expect(await kept(edited, strict, results)).toEqual(await fresh(edited, strict));
      expect(results.last).toEqual({ reused: 3, linted: 1 });
      // The three unchanged sections are all shell sections: one replay of their script findings each.
      expect(perScript).toHaveBeenCalledTimes(3);
      // None of them kept a finding from a section listener, so no slot is replayed one by one.
      expect(perSlot).not.toHaveBeenCalled();
    } finally {
      perSlot.mockRestore();
      perScript.mockRestore();
    }
  });

  test('a section with kept section-phase findings still replays them slot by slot, in order', async () => {
    // DEF009 (section-scoped) reports the ignored `%labels` argument from its section listener.
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%labels Author me\n    Version 1.0\n\n%post\n    true\n';
    const results = new SectionResults();
    await kept(text, strict, results);
    const perSlot = vi.spyOn(SectionRun.prototype, 'replay');
    try {
      const edited = text.replace('    true', '    false');
      const findings = await kept(edited, strict, results);
      expect(findings).toEqual(await fresh(edited, strict));
      expect(findings.some((f) => f.ruleId === 'DEF009')).toBe(true);
      expect(results.last).toEqual({ reused: 1, linted: 1 });
      expect(perSlot).toHaveBeenCalled();
    } finally {
      perSlot.mockRestore();
    }
  });
});

describe('rules marked scope: section', () => {
  const scoped = allRules.filter((rule) => rule.meta.scope === 'section');

  test('listen to sections, scripts and commands only', () => {
    const file = parse('Bootstrap: docker\nFrom: alpine\n\n%post\n    true\n');
    const ctx: RuleContext = {
      file,
      options: {},
      settings: resolveConfig({}).settings,
      scripts: [],
      pragmas: { pragmas: [], problems: [] },
      templateValue: () => undefined,
      resolvedHeader: () => undefined,
      report: () => undefined,
    };
    expect(scoped.length).toBeGreaterThan(40);
    // The section-line syntax checks that read nothing but their own section line.
    expect(scoped.map((rule) => rule.meta.slug)).toEqual(expect.arrayContaining(['invalid-section-arguments', 'section-name-case']));
    for (const rule of scoped) {
      const listeners = Object.keys(rule.create({ ...ctx, options: strict.rules[rule.meta.id].options }));
      expect({ rule: rule.meta.id, extra: listeners.filter((key) => !['section', 'script', 'command'].includes(key)) }).toEqual({
        rule: rule.meta.id,
        extra: [],
      });
    }
  });

  test('do not read other scripts or the pragmas', () => {
    const rulesDir = join(__dirname, '../../../src/lint/rules');
    const sources = new Map<string, string>();
    for (const group of readdirSync(rulesDir, { withFileTypes: true })) {
      if (!group.isDirectory()) continue;
      for (const name of readdirSync(join(rulesDir, group.name))) {
        const source = readFileSync(join(rulesDir, group.name, name), 'utf8');
        const id = /id: '(DEF\d+)'/.exec(source)?.[1];
        if (id) sources.set(id, source);
      }
    }
    const OTHER_SCRIPTS =
      /ctx\.scripts|ctx\.pragmas|stageScripts|scriptsWhere|commandsWhere|commandsAfter|finalStageCommands|partsOfScript|scriptsOfStage|\.placeholders/;
    for (const rule of scoped)
      expect({ rule: rule.meta.id, reads: OTHER_SCRIPTS.exec(sources.get(rule.meta.id) ?? '')?.[0] }).toEqual({ rule: rule.meta.id, reads: undefined });
  });
});

describe('section-scoped findings do not depend on other shell bodies', () => {
  test('a section placed before and after every example body changes no kept finding', async () => {
    // One stage holding the sections of every section-scoped rule's examples, between two %post
    // sections whose bodies go through every body of every example and fixture: what rules read
    // across sections (an export, an update, a later clean-up) is found in those bodies.
    const scoped = allRules.filter((rule) => rule.meta.scope === 'section');
    const middle = [...new Set(scoped.flatMap((rule) => [rule.meta.bad, rule.meta.good]).flatMap(sectionsOf))];
    const shellBodies = BODIES.filter((body) => /\w/.test(body));
    // Only the section-scoped rules run (the others are never kept): a quicker lint, same question.
    const scopedOnly: ResolvedConfig = {
      ...strict,
      rules: Object.fromEntries(
        Object.entries(strict.rules).map(([id, rule]) => [id, scoped.some((r) => r.meta.id === id) ? rule : { ...rule, severity: 'off' }]),
      ),
    };
    const results = new SectionResults();
    let previous = '';
    for (const body of shellBodies) {
      const text = ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', body, ...middle, '%post', previous].join('\n');
      expect(await kept(text, scopedOnly, results)).toEqual(await fresh(text, scopedOnly));
      previous = body;
    }
  }, 300_000);
});
