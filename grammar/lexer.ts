// The def-file lexer. Apptainer reads a definition file line by line, so the tokens are whole
// lines, each with its terminator: a line that starts a stage (`bootstrap:` at column 1, any
// case), a line that starts a section (its first word begins with `%`), any other line with
// content, and empty lines. Every token starts at a line start, and concatenating the tokens
// gives back the input exactly.
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from './chevrotain.js';

/** Go's unicode.IsSpace, which bufio.ScanWords and strings.TrimSpace use. */
export function isGoSpace(code: number): boolean {
  if (code <= 0xff) {
    return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0x85 || code === 0xa0;
  }
  return (
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x1680 ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** End of the line content starting at `start`: before `\n`, and before one `\r` that ends the line. */
export function lineContentEnd(text: string, start: number): number {
  let nl = text.indexOf('\n', start);
  if (nl === -1) nl = text.length;
  // bufio.ScanLines drops one trailing CR, also on a final line without a newline.
  return nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
}

/** Does the line starting at `start` begin a section: is its first word `%...`? */
export function isSectionStart(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isGoSpace(code)) return code === 37; // '%'
  }
  return false;
}

const BOOTSTRAP = 'bootstrap:';
/** `(?mi)^bootstrap:` at `start`. Go's case folding also maps U+017F (long s) to `s`. */
export function isStageStart(text: string, start: number): boolean {
  if (text.length - start < BOOTSTRAP.length) return false;
  for (let i = 0; i < BOOTSTRAP.length; i++) {
    const code = text.charCodeAt(start + i);
    const want = BOOTSTRAP.charCodeAt(i);
    if (code === want) continue;
    if (code >= 65 && code <= 90 && code + 32 === want) continue;
    if (want === 115 && code === 0x17f) continue;
    return false;
  }
  return true;
}

/** Offset after the line's terminator (`\n`, or the end of the text). */
function lineNext(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl + 1;
}

// The three line matchers look at the same line in turn; remember its extent once.
let memoText = '';
let memoStart = -1;
let memoEnd = 0;
let memoNext = 0;
function measureLine(text: string, start: number): void {
  if (text === memoText && start === memoStart) return;
  memoText = text;
  memoStart = start;
  memoNext = lineNext(text, start);
  memoEnd = lineContentEnd(text, start);
}

function lineMatcher(accept: (text: string, start: number, end: number) => boolean): CustomPatternMatcherFunc {
  return (text, offset) => {
    measureLine(text, offset);
    if (memoEnd === offset || !accept(text, offset, memoEnd)) return null;
    return [text.slice(offset, memoNext)] as unknown as RegExpExecArray;
  };
}

/** A line that starts a new stage: `bootstrap:` at column 1 (its terminator included). */
export const StageStartLine = createToken({
  name: 'StageStartLine',
  pattern: lineMatcher((text, start) => isStageStart(text, start)),
  line_breaks: true,
});

/** A line whose first word starts with `%` (its terminator included). */
export const SectionLine = createToken({
  name: 'SectionLine',
  pattern: lineMatcher((text, start, end) => isSectionStart(text, start, end)),
  line_breaks: true,
});

/** Any line that belongs to a header or a section body: text lines and empty lines. */
export const BodyLine = createToken({ name: 'BodyLine', pattern: Lexer.NA });

/** Any other line with content (its terminator included). */
export const TextLine = createToken({
  name: 'TextLine',
  pattern: lineMatcher(() => true),
  line_breaks: true,
  categories: [BodyLine],
});

/** A line with no content: just `\n`, `\r\n`, or a lone `\r` at the very end of the input. */
export const EmptyLine = createToken({
  name: 'EmptyLine',
  pattern: (text, offset) => {
    const code = text.charCodeAt(offset);
    if (code === 10) return ['\n'] as unknown as RegExpExecArray;
    if (code === 13) {
      if (text.charCodeAt(offset + 1) === 10) return ['\r\n'] as unknown as RegExpExecArray;
      if (offset + 1 === text.length) return ['\r'] as unknown as RegExpExecArray;
    }
    return null;
  },
  line_breaks: true,
  categories: [BodyLine],
});

export const allTokens: TokenType[] = [StageStartLine, SectionLine, TextLine, EmptyLine, BodyLine];

let lexer: InstanceType<typeof Lexer> | undefined;
export function defLexer(): InstanceType<typeof Lexer> {
  lexer ??= new Lexer(allTokens, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: false,
    skipValidations: true,
  });
  return lexer;
}
