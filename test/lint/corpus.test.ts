// The linter over the real-world corpus: no crash, every finding's range inside the file with
// line/column matching its offset, and safe fixes that keep the file's structure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fix, lint, resolveConfig, type Finding } from '../../src/lint/index.js';
import { parse, type Position } from '../../src/parse/index.js';
import { corpusDir } from '../helpers/corpus.js';

const CORPUS = `${corpusDir}/files`;
const files = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .filter((name) => name.endsWith('.def'))
      .sort()
  : [];
if (files.length === 0) console.warn(`corpus tests skipped: ${CORPUS} not found`);

/** 1-based line and code-point column of an offset, computed independently of the parser. */
function expectedPosition(text: string, offset: number): { line: number; column: number; character: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return { line, column: [...text.slice(lineStart, offset)].length + 1, character: offset - lineStart };
}

function checkPosition(text: string, position: Position, what: string) {
  expect(position.offset, what).toBeGreaterThanOrEqual(0);
  expect(position.offset, what).toBeLessThanOrEqual(text.length);
  expect({ line: position.line, column: position.column, character: position.character }, what).toEqual(expectedPosition(text, position.offset));
}

/** What fixes must preserve. Sections with a blank body are left out: removing one is a fix (DEF217 empty-section). */
function structure(text: string) {
  const parsed = parse(text);
  return {
    ok: parsed.apptainer.ok,
    stages: parsed.stages.length,
    sections: parsed.stages.map((stage) =>
      stage.sections.filter((section) => section.body.trim() !== '').map((section) => `${section.name}${section.app ? ` ${section.app}` : ''}`),
    ),
  };
}

describe.skipIf(files.length === 0)('corpus', () => {
  const strict = resolveConfig({ extends: 'strict' });

  it(`lints all ${files.length} files with every rule on, with consistent ranges`, async () => {
    const started = performance.now();
    let total = 0;
    for (const name of files) {
      const text = readFileSync(join(CORPUS, name), 'utf8');
      const findings: Finding[] = await lint(text, { filename: name, config: strict, shellcheck: false });
      for (const finding of findings) {
        const where = `${name} ${finding.ruleId} ${finding.message}`;
        expect(finding.message.startsWith('Internal error'), where).toBe(false);
        checkPosition(text, finding.range.start, `${where} (start)`);
        checkPosition(text, finding.range.end, `${where} (end)`);
        expect(finding.range.end.offset, where).toBeGreaterThanOrEqual(finding.range.start.offset);
        for (const edit of [...(finding.fix?.edits ?? []), ...(finding.suggestions ?? []).flatMap((s) => s.edits)]) {
          expect(0 <= edit.start && edit.start <= edit.end && edit.end <= text.length, `${where} edit`).toBe(true);
        }
      }
      total += findings.length;
    }
    expect(total).toBeGreaterThan(0);
    console.log(`corpus: ${files.length} files, ${total} findings (strict), ${Math.round(performance.now() - started)} ms`);
  }, 120_000);

  // ShellCheck is off here: its fixes are suggestions only, never applied by --fix.
  it('safe fixes keep the structure and are idempotent', async () => {
    let changed = 0;
    for (const name of files) {
      const text = readFileSync(join(CORPUS, name), 'utf8');
      const first = await fix(text, { filename: name, config: strict, shellcheck: false });
      if (first.output === text) continue;
      changed++;
      const before = structure(text);
      const after = structure(first.output);
      // A fix never breaks a file Apptainer accepts, and never adds, drops, renames or moves a
      // section between stages. Stage count may change only through header-only chunks: DEF102
      // moves a misplaced `Bootstrap:` up, which merges a header-only chunk into its stage.
      if (before.ok) expect(after.ok, `${name}: the fix broke the file`).toBe(true);
      // The only file Apptainer rejects that a fix repairs is one with a byte-order mark (DEF013).
      else if (after.ok) expect(text.charCodeAt(0), `${name}: a fix changed how Apptainer reads the file`).toBe(0xfeff);
      // Every fix passed the engine's verification (fix-verify.ts): a rejected one is a rule bug.
      expect(
        first.rejected.map((r) => `${r.finding.ruleId} line ${r.finding.range.start.line}: ${r.problem.kind}`),
        name,
      ).toEqual([]);
      const withSections = (sections: string[][]) => sections.filter((list) => list.length > 0);
      expect(withSections(after.sections), name).toEqual(withSections(before.sections));
      if (before.stages !== after.stages) expect(after.stages, name).toBeLessThan(before.stages);
      const second = await fix(first.output, { filename: name, config: strict, shellcheck: false });
      expect(second.output, `${name}: fixing twice changed the text again`).toBe(first.output);
    }
    console.log(`corpus: safe fixes changed ${changed} files`);
  }, 120_000);
});
