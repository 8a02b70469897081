// The def-file grammar, on the line tokens of lexer.ts:
//
//   file      := chunk ( StageStartLine chunk )*        -- parser.All cuts before each ^bootstrap:
//   chunk     := header section*
//   header    := BodyLine*                              -- every line before the first section line
//   section   := SectionLine BodyLine*                  -- a section runs to the next section line
//   BodyLine  := TextLine | EmptyLine                   -- a token category
//
// The first chunk is whatever precedes the first `bootstrap:` line (often nothing). The result is
// a concrete tree of offsets; src/parse interprets it the way Apptainer does.
import { EmbeddedActionsParser, type IToken } from './chevrotain.js';
import { allTokens, BodyLine, defLexer, SectionLine, StageStartLine } from './lexer.js';

export interface CstToken {
  type: 'StageStartLine' | 'SectionLine' | 'TextLine' | 'EmptyLine';
  /** Offset of the line's first character. */
  start: number;
  /** Offset after the line's terminator. */
  end: number;
}

export interface CstSection {
  line: CstToken;
  /** Body lines (TextLine and EmptyLine). */
  body: CstToken[];
}

export interface CstChunk {
  /** The `bootstrap:` line that opened the chunk, if any (it is also the first header line). */
  stageStart?: CstToken;
  /** Header lines (TextLine and EmptyLine), after stageStart. */
  header: CstToken[];
  sections: CstSection[];
}

export interface CstFile {
  chunks: CstChunk[];
}

function toCst(token: IToken): CstToken {
  return {
    type: token.tokenType.name as CstToken['type'],
    start: token.startOffset,
    end: token.startOffset + token.image.length,
  };
}

class DefParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, skipValidations: true });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', (): CstFile => {
    const chunks: CstChunk[] = [this.SUBRULE(this.chunk)];
    this.MANY(() => {
      const start = this.CONSUME(StageStartLine);
      const chunk = this.SUBRULE2(this.chunk);
      // Side effects go through ACTION so that chevrotain's grammar recording skips them.
      this.ACTION(() => chunks.push({ ...chunk, stageStart: toCst(start) }));
    });
    return { chunks };
  });

  private chunk = this.RULE('chunk', (): CstChunk => {
    const header = this.SUBRULE(this.lines);
    const sections: CstSection[] = [];
    this.MANY(() => {
      const line = this.CONSUME(SectionLine);
      const body = this.SUBRULE2(this.lines);
      this.ACTION(() => sections.push({ line: toCst(line), body }));
    });
    return { header, sections };
  });

  private lines = this.RULE('lines', (): CstToken[] => {
    const tokens: CstToken[] = [];
    this.MANY(() => {
      const t = this.CONSUME(BodyLine);
      this.ACTION(() => tokens.push(toCst(t)));
    });
    return tokens;
  });
}

let parser: DefParser | undefined;

/** Lex and parse a whole file. Every input is accepted: the grammar has no failing input. */
export function parseCst(text: string): CstFile {
  const lexed = defLexer().tokenize(text);
  if (lexed.errors.length > 0) {
    // Unreachable by construction (every character belongs to a line or a terminator).
    throw new Error(`def lexer: ${lexed.errors[0].message}`);
  }
  parser ??= new DefParser();
  parser.input = lexed.tokens;
  const cst = parser.file();
  if (parser.errors.length > 0) throw new Error(`def parser: ${parser.errors[0].message}`);
  return cst;
}
