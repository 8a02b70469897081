// The physical lines of a file, cut into stage chunks the way the grammar (grammar/parser.ts) cuts
// them: the lines before the first `bootstrap:` line, then one chunk per `bootstrap:` line. The
// interpreter needs only these lines, so `parse()` reads them straight from the text; the
// chevrotain tree is built only when a caller asks for the lossless syntax tree.
// test/parse/chunks.test.ts holds this equal to the grammar's chunks.
import { isSectionStart, isStageStart } from '../../grammar/lines.js';
import type { Line } from './stage.js';

/** Lines of each chunk; the first chunk (text before the first `bootstrap:` line) may be empty. */
export function cutChunks(text: string): Line[][] {
  const chunks: Line[][] = [];
  let current: Line[] = [];
  let start = 0;
  let number = 1;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const next = nl === -1 ? text.length : nl + 1;
    let end = nl === -1 ? text.length : nl;
    // bufio.ScanLines drops one CR before the newline (or at the very end): grammar/lines.ts lineContentEnd.
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end > start && isStageStart(text, start)) {
      chunks.push(current);
      current = [];
    }
    current.push({ start, end, next, section: end > start && isSectionStart(text, start, end), number });
    number++;
    start = next;
  }
  chunks.push(current);
  return chunks;
}
