// The typed model of a definition file. Everything here is plain data: the parser builds it,
// the linter, generator tests, formatter and language server read it.

/** A point in the text. */
export interface Position {
  /** UTF-16 code-unit offset into the text (a JS string index). */
  offset: number;
  /** 1-based line number, for people. */
  line: number;
  /** 1-based column in Unicode code points, for people. */
  column: number;
  /** 0-based UTF-16 code-unit column, for editors (LSP `character`; LSP line is `line - 1`). */
  character: number;
}

/** A half-open span [start, end). */
export interface Range {
  start: Position;
  end: Position;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** A syntax problem found by the parser. Codes are stable (DEF0xx) and shared with the linter. */
export interface ParseDiagnostic {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  range: Range;
  /** The exact error Apptainer itself gives for this problem, when it rejects the file. */
  apptainerError?: string;
}

/** One `key: value` line (plus continuation lines) of a stage header. */
export interface HeaderEntry {
  /** Lowercased key, as Apptainer stores it. */
  key: string;
  /** The key as written (trimmed). */
  rawKey: string;
  /** The value as Apptainer stores it (after `#` cutting, trimming and continuation joining). */
  value: string;
  /** Whether Apptainer accepts this key (`validHeaders`, `otherurl<N>`). */
  valid: boolean;
  /** True when a `\` continuation made this entry span several lines. */
  continued: boolean;
  /** True when Apptainer drops this entry (continuation pending on the last header line). */
  dropped: boolean;
  /** Text after a `#` on the key line, which Apptainer discards ('' if none). */
  comment: string;
  range: Range;
  keyRange: Range;
  valueRange: Range;
}

export type SectionKind = 'standard' | 'app' | 'unknown';

/** The shell a script section runs in, as Apptainer decides it. */
export interface ShellInfo {
  /** Interpreter path or command, e.g. `/bin/sh`, `/bin/bash`, `/usr/bin/env python3`. */
  interpreter: string;
  /** Shell dialect for shell-level analysis; `other` for non-shell interpreters (python, ...). */
  dialect: 'sh' | 'bash' | 'dash' | 'ksh' | 'zsh' | 'other';
  /** Where the interpreter came from. */
  source: 'default' | 'args' | 'shebang';
  /** Whether the script stops at the first failing command (`-e` in effect). */
  errexit: boolean;
  /** The full command line Apptainer runs, e.g. `/bin/sh -ex -c "/bin/bash /.post.script"`. */
  commandLine: string;
}

export interface FileEntry {
  source: string;
  destination: string;
  /** Tokens after the destination, which Apptainer silently ignores. */
  extra: string[];
  range: Range;
  sourceRange: Range;
  destinationRange?: Range;
}

export interface LabelEntry {
  key: string;
  value: string;
  range: Range;
  keyRange: Range;
  valueRange?: Range;
}

export interface ArgumentEntry {
  key: string;
  value: string;
  range: Range;
  /** Set when Apptainer skips this line with a warning (not key=value, or empty key). */
  problem?: string;
}

/** One section occurrence as written in the file (duplicates are separate Section objects). */
export interface Section {
  kind: SectionKind;
  /** Lowercased section name as Apptainer computes it (`post`, `files`, `appinstall`, or the bad name). */
  name: string;
  /** The section word as written, without the leading `%`s. */
  word: string;
  /** App name for app sections. */
  app?: string;
  /** Raw args exactly as Apptainer stores them (everything after the first space; '' if none). */
  args: string;
  /** Whether the section line contained a space (so its args replace earlier ones). */
  hasArgs: boolean;
  /** The body exactly as Apptainer reads it (lines joined with `\n`, CRs removed). */
  body: string;
  /** Body lines, each with the 1-based file line it came from and its start offset. */
  bodyLines: BodyLine[];
  /** Whole section: section line through the last body line. */
  range: Range;
  /** The section line (without its newline). */
  lineRange: Range;
  nameRange: Range;
  argsRange?: Range;
  /** Span of the body (may be empty). */
  bodyRange: Range;
  /** For script sections (pre, setup, post, test, runscript, startscript, app scripts). */
  shell?: ShellInfo;
  /** For `%files` / `%appfiles`. */
  files?: FileEntry[];
  /** For `%files`: the stage named by `from STAGE`, when the args are exactly two words. */
  fromStage?: string;
  /** For `%labels` / `%applabels`. */
  labels?: LabelEntry[];
  /** For `%arguments`. */
  arguments?: ArgumentEntry[];
}

export interface BodyLine {
  /** Text without the line terminator and without a trailing CR. */
  text: string;
  /** 1-based file line. */
  line: number;
  /** Offset of the first character. */
  offset: number;
}

/** A `{{ NAME }}` placeholder. */
export interface Placeholder {
  name: string;
  range: Range;
  /** Apptainer skips placeholders after a `#` on the same line (comment rule). */
  skipped: boolean;
}

export interface Stage {
  index: number;
  /** The stage's text slice, as `parser.All` cuts it. */
  range: Range;
  /** Null when the stage has no header key (Apptainer's `header: null`). */
  header: HeaderEntry[] | null;
  /** Last-wins map of valid, non-dropped header keys (lowercased) to values. */
  headerValues: Record<string, string>;
  /** Range covering the header lines (may be empty). */
  headerRange: Range;
  sections: Section[];
  /** Value of `Stage:`, if any. */
  name?: string;
  /** Value of `Bootstrap:`, if any. */
  bootstrap?: string;
  placeholders: Placeholder[];
  /** `%arguments` defaults of this stage (last wins). */
  argumentDefaults: Record<string, string>;
  /** Apps in order of first mention. */
  appOrder: string[];
  /** True when Apptainer's `All` drops this chunk as an empty definition. */
  empty: boolean;
}

/** Script slot as Apptainer marshals it. */
export interface ApptainerScript {
  args: string;
  script: string;
}

/** A Definition as Apptainer marshals it, without `raw`/`fullraw`. */
export interface ApptainerDefinition {
  header: Record<string, string> | null;
  imageData: {
    metadata: null;
    labels: Record<string, string>;
    imageScripts: {
      help: ApptainerScript;
      environment: ApptainerScript;
      runScript: ApptainerScript;
      test: ApptainerScript;
      startScript: ApptainerScript;
    };
  };
  buildData: {
    files: { args: string; files: { source: string; destination: string }[] | null }[];
    buildScripts: {
      pre: ApptainerScript;
      setup: ApptainerScript;
      post: ApptainerScript;
      test: ApptainerScript;
      arguments: ApptainerScript;
    };
  };
  customData: Record<string, string> | null;
  appOrder: string[];
}

/** What Apptainer's `parser.All` returns for the file. */
export type ApptainerResult = { ok: true; defs: ApptainerDefinition[] } | { ok: false; error: string; invalidSections?: string[]; panic?: boolean };

/** Lossless syntax tree node: its children's text concatenated equals its own text. */
export interface SyntaxToken {
  /** Token type: `SectionLine`, `StageStartLine`, `TextLine`, `Newline`. */
  type: string;
  text: string;
  range: Range;
}

export interface SyntaxNode {
  /** `file`, `stage`, `header`, `section`. */
  type: string;
  range: Range;
  children: (SyntaxNode | SyntaxToken)[];
}

export interface ParsedFile {
  /** The text as given. */
  text: string;
  filename?: string;
  /** Lossless concrete tree from the grammar. */
  tree: SyntaxNode;
  /** Stages as `parser.All` cuts them (including chunks Apptainer drops as empty). */
  stages: Stage[];
  /** Every syntax problem found, in file order. */
  diagnostics: ParseDiagnostic[];
  /** What Apptainer's `parser.All` would return. */
  apptainer: ApptainerResult;
  /** Converts an offset into a position. */
  positionAt(offset: number): Position;
}
