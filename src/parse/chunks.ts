// The physical lines of a file, cut into stage chunks the way the grammar (grammar/parser.ts) cuts
// them: the lines before the first `bootstrap:` line, then one chunk per `bootstrap:` line. The
// interpreter needs only these lines, so `parse()` reads them straight from the text; the
// chevrotain tree is built only when a caller asks for the lossless syntax tree.
// test/parse/chunks.test.ts holds this equal to the grammar's chunks.
import { isStageStart, sectionLineStarts } from '../../grammar/lines.js';
import type { Line } from './stage.js';

// A stage line after the first: `(?mi)^bootstrap:` (isStageStart) after a newline.
const STAGE_LINE = /\n[bB][oO][oO][tT][sS\u017f][tT][rR][aA][pP]:/g;

/** Lines of each chunk; the first chunk (text before the first `bootstrap:` line) may be empty. */
export function cutChunks(text: string): Line[][] {
  const chunks: Line[][] = [];
  let current: Line[] = [];
  // Section and stage lines are found by native search over the whole text (the `%` characters, a
  // regular expression), so the loop over the lines only compares offsets: code that V8 has not
  // optimised pays a call per character for a per-line test.
  const sections = sectionLineStarts(text);
  let nextSection = 0;
  STAGE_LINE.lastIndex = 0;
  let nextStage = text.length > 0 && isStageStart(text, 0) ? 0 : nextStageLine(text);
  let start = 0;
  let number = 1;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const next = nl === -1 ? text.length : nl + 1;
    let end = nl === -1 ? text.length : nl;
    // bufio.ScanLines drops one CR before the newline (or at the very end): grammar/lines.ts lineContentEnd.
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (start === nextStage) {
      chunks.push(current);
      current = [];
      nextStage = nextStageLine(text);
    }
    const section = nextSection < sections.length && sections[nextSection] === start;
    if (section) nextSection++;
    current.push({ start, end, next, section, number });
    number++;
    start = next;
  }
  chunks.push(current);
  return chunks;
}

/** Start of the next stage line after STAGE_LINE.lastIndex, or -1. */
function nextStageLine(text: string): number {
  const m = STAGE_LINE.exec(text);
  return m === null ? -1 : m.index + 1;
}
