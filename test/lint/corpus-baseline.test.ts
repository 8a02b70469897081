// Refactoring guard: the findings on every corpus file (strict preset, ShellCheck off) must stay
// byte-identical to the committed snapshot. A change that is meant to alter findings regenerates
// it with `npm run corpus:baseline` and says so in its commit message.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint, resolveConfig, type Finding } from '../../src/lint/index.js';
import { corpusFiles, corpusPresent, corpusSkipReason, readCorpusFile, repoRoot } from '../helpers/corpus.js';

const BASELINE = join(repoRoot, 'test/lint/baseline/corpus-findings.txt');
const updating = process.env.UPDATE_CORPUS_BASELINE === '1';

function edits(fix: NonNullable<Finding['fix']>): string {
  return fix.edits.map((edit) => `${edit.start}-${edit.end}:${JSON.stringify(edit.text)}`).join(' ');
}

/** One line per finding, plus one per fix and suggestion, in the engine's order. */
function describeFinding(name: string, finding: Finding): string[] {
  const { start, end } = finding.range;
  const where = `${name}:${start.line}:${start.column}-${end.line}:${end.column}`;
  const suppressed = finding.suppressed ? ` [suppressed ${finding.suppressed.kind}]` : '';
  const tags = finding.tags?.length ? ` [${finding.tags.join(',')}]` : '';
  const lines = [`${where} ${finding.ruleId} ${finding.slug} ${finding.severity}${suppressed}${tags} ${JSON.stringify(finding.message)}`];
  if (finding.fix) lines.push(`  fix ${JSON.stringify(finding.fix.description)} ${edits(finding.fix)}`);
  for (const suggestion of finding.suggestions ?? []) lines.push(`  suggestion ${JSON.stringify(suggestion.description)} ${edits(suggestion)}`);
  return lines;
}

describe.skipIf(!corpusPresent)(corpusPresent ? 'corpus findings baseline' : `corpus findings baseline (${corpusSkipReason})`, () => {
  it('are byte-identical to the committed snapshot', async () => {
    const config = resolveConfig({ extends: 'strict' });
    const out: string[] = [];
    for (const name of corpusFiles().filter((file) => file.endsWith('.def'))) {
      const findings = await lint(readCorpusFile(name), { filename: name, config, shellcheck: false });
      for (const finding of findings) out.push(...describeFinding(name, finding));
    }
    const actual = `${out.join('\n')}\n`;
    if (updating) {
      mkdirSync(dirname(BASELINE), { recursive: true });
      writeFileSync(BASELINE, actual);
    }
    const expected = readFileSync(BASELINE, 'utf8');
    // Compare line by line first so a failure names the first differing finding.
    const actualLines = actual.split('\n');
    const expectedLines = expected.split('\n');
    const firstDiff = actualLines.findIndex((line, i) => line !== expectedLines[i]);
    expect(firstDiff === -1 ? null : { line: firstDiff + 1, actual: actualLines[firstDiff], expected: expectedLines[firstDiff] }).toBeNull();
    expect(actual).toBe(expected);
  }, 300_000);
});
