// The def-file lexer. Apptainer reads a definition file line by line, so the tokens are whole
// lines, each with its terminator: a line that starts a stage (`bootstrap:` at column 1, any
// case), a line that starts a section (its first word begins with `%`), any other line with
// content, and empty lines. Every token starts at a line start, and concatenating the tokens
// gives back the input exactly.
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from './chevrotain.js';

export { isGoSpace, isSectionStart, isStageStart, lineContentEnd } from './lines.js';
import { isSectionStart, isStageStart, lineContentEnd } from './lines.js';

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
