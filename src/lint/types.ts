// The contract between the lint engine and its rules. A rule is a small module: metadata
// (id, slug, docs, examples, messages) plus `create(ctx)`, which returns the listeners the
// engine calls while it walks the file; they report findings by message id.
import type { HeaderEntry, ParsedFile, Range, Section, Stage } from '../parse/model.js';

export type Severity = 'error' | 'warning' | 'info' | 'style';
export type SeveritySetting = Severity | 'off';

export type RuleGroup =
  'syntax' | 'header' | 'sections' | 'shell' | 'reproducibility' | 'security' | 'size' | 'mpi' | 'gpu' | 'apps' | 'multistage' | 'templating' | 'pragmas';

export type PresetName = 'recommended' | 'strict' | 'hpc' | 'security';

/** A text edit in offsets of the linted text (UTF-16 code units): replace [start, end) by text. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
}

export interface RuleMeta {
  /** Stable id, e.g. `DEF201`. */
  id: string;
  /** Stable slug, e.g. `files-extra-fields`. */
  slug: string;
  group: RuleGroup;
  defaultSeverity: SeveritySetting;
  /** Presets (besides `strict`, which enables everything) that turn this rule on. */
  presets: PresetName[];
  /** One line. */
  summary: string;
  /** Long description (Markdown). */
  description: string;
  /** A def-file snippet the rule flags. */
  bad: string;
  /** The corrected snippet, on which the rule stays quiet. */
  good: string;
  /** Where the advice comes from (doc section, upstream issue, ...). */
  source: string;
  /** True when the rule needs shell syntax trees (`ctx.scripts`). */
  needsShell?: boolean;
  /**
   * `section` promises that what the rule reports from its `section`, `script` and `command`
   * listeners about one section is decided by that section's own text (section line and body)
   * and by the file outside the bodies of shell sections (headers, section lines, `%files`,
   * `%labels`, `%arguments`, which stages are empty), never by another shell section's body;
   * that every such finding and fix lies inside the section; and that no message names an
   * absolute line. The rule then has no other listeners. The language server keeps these
   * findings per section and re-runs the rule only on the sections an edit changed
   * (src/lint/section-results.ts); test/lint/perf/section-results.test.ts holds the promise to
   * a full lint on random edits.
   */
  scope?: 'section';
  /** JSON Schema of the rule's options, when it has any. */
  optionsSchema?: Record<string, unknown>;
  /** Fixes this rule offers: `safe` ones are applied by --fix, `suggestion` ones only in editors. */
  fixKind?: 'safe' | 'suggestion';
  /**
   * The rule's messages by id (ESLint style): `ctx.report({ messageId, data })` fills each
   * `{{ name }}` with `data.name`. Listed on the rule's page.
   */
  messages: Record<string, string>;
}

/** Values for a message's `{{ name }}` placeholders. */
export type MessageData = Record<string, string | number>;

export interface ReportInput<MessageId extends string = string> {
  /** A key of the rule's `meta.messages`. */
  messageId: MessageId;
  /** Values for the message's placeholders. */
  data?: MessageData;
  range: Range;
  /** Overrides the configured severity for this finding (rare: e.g. a rule with two levels). */
  severity?: Severity;
  /** A safe, automatic fix. */
  fix?: Fix;
  /** Fixes offered to a person (editor quick fixes), never applied by --fix. */
  suggestions?: Fix[];
  tags?: ('unnecessary' | 'deprecated')[];
}

export interface Finding {
  ruleId: string;
  slug: string;
  severity: Severity;
  message: string;
  /** The id of the message in the rule's `meta.messages` (absent for ShellCheck's findings). */
  messageId?: string;
  range: Range;
  fix?: Fix;
  suggestions?: Fix[];
  tags?: ('unnecessary' | 'deprecated')[];
  /** Set when a pragma or config suppressed the finding (kept for SARIF `suppressions`). */
  suppressed?: { kind: 'inSource' | 'external'; justification?: string };
}

// ---- Shell layer (implemented in src/lint/shell/) ----------------------------------------

/** A word of a shell command (argument, name). */
export interface ShellWord {
  /** The source text of the word, quotes included. */
  raw: string;
  /** The word with quotes removed when it is static; otherwise equal to raw. */
  text: string;
  /** True when the word has no expansion ($VAR, $(...), globs...), so `text` is exact. */
  isStatic: boolean;
  range: Range;
}

export interface ShellRedirect {
  /** Operator, e.g. `>`, `>>`, `2>&1`, `<<`. */
  op: string;
  target: string;
  range: Range;
}

/** A simple command, after wrappers such as `sudo`, `env`, `time`, `nohup` are seen through. */
export interface ShellCommand {
  /** The command name as written (`apt-get`, `/usr/bin/pip3`). */
  name: string;
  /** Basename of the name (`pip3` for `/usr/bin/pip3`). */
  baseName: string;
  nameRange: Range;
  /** Arguments after the name. */
  args: ShellWord[];
  /** Leading `VAR=value` assignments. */
  assignments: { name: string; value: string; range: Range }[];
  /** Wrappers seen through, outermost first (`sudo`, `env`, ...). */
  wrappers: string[];
  redirects: ShellRedirect[];
  /** Whole command range (including assignments and wrappers). */
  range: Range;
  /** When the command is part of a pipeline `a | b | c`. */
  pipeline?: { index: number; length: number; commands: ShellCommand[]; range: Range };
  /** True when the command's failure is tested or ignored (`cmd || x`, `if cmd`, `cmd && x` (not last), `! cmd`). */
  checked: boolean;
  /** True inside a function body, subshell `( )` or command substitution. */
  nested: boolean;
}

export interface ShellScript {
  stage: Stage;
  section: Section;
  /** Dialect the section runs in (see ShellInfo). */
  dialect: 'sh' | 'bash' | 'dash' | 'ksh' | 'zsh';
  /** All simple commands in source order, nested ones included. */
  commands: ShellCommand[];
  /** Ranges of syntax errors the shell parser found. */
  syntaxErrors: Range[];
  /** Options turned on by `set -e`, `set -o pipefail`, `set -euo pipefail` ... at top level, with where. */
  setOptions: { option: string; range: Range }[];
  /** Where analysis stopped because constructs nest deeper than the walker follows (DEF022). */
  nestingLimit?: Range;
}

export interface RuleContext<MessageId extends string = string> {
  file: ParsedFile;
  /** Options configured for this rule (`rules: {DEF123: [warning, {...}]}`), defaults applied. */
  options: Record<string, unknown>;
  /** Lint settings relevant to rules (trusted registries, required labels, build args...). */
  settings: LintSettings;
  /** Shell scripts of every shell section, parsed (only when the rule has `needsShell`). */
  scripts: ShellScript[];
  /** The file's `# apptainer-lint` pragmas and the problems found reading them. */
  pragmas: PragmaScan;
  /** Template values resolved per stage: `--build-arg` over the stage's `%arguments` defaults. */
  templateValue(stage: Stage, name: string): string | undefined;
  /** A stage's header value with placeholders resolved when possible. */
  resolvedHeader(stage: Stage, key: string): string | undefined;
  report(input: ReportInput<MessageId>): void;
}

export interface LintSettings {
  trustedRegistries: string[];
  requiredLabels: string[];
  labelSchema: Record<string, string>;
  buildArgs: Record<string, string>;
}

/**
 * What a rule listens to. The engine walks the file once and calls, for every enabled rule, in this
 * order: `file`; then for each stage chunk as `parser.All` cuts the file: `chunk`, `stage` (only
 * when Apptainer keeps the chunk), `headerEntry` for each of its header lines and `section` for
 * each of its sections; then for each parsed shell script `script` and for each of its commands
 * `command`; and finally, after ShellCheck and the pragmas, `suppressions`.
 *
 * `stage` is for what gets built: a chunk `All` drops as an empty definition (`stage.empty`) is
 * not a stage. `chunk`, `headerEntry` and `section` are for the text as written, so they also see
 * a dropped chunk (a dangling `Bootstrap: docker \`, an empty `%post`, a comment block before the
 * first header): check `stage.empty` where that matters.
 *
 * Each listener is called as a plain function (`this` is undefined): the `this: void` parameters
 * make the type checker reject a listener that reads `this`. Listeners share state through the
 * closure of `create`.
 */
export interface RuleListeners {
  file?(this: void, file: ParsedFile): void;
  /** Every stage chunk, kept or dropped as empty (`stage.empty`). */
  chunk?(this: void, stage: Stage): void;
  /** Every stage Apptainer keeps (`liveStages`). */
  stage?(this: void, stage: Stage): void;
  /** Every header line of every chunk (`stage.header`), valid, invalid or dropped. */
  headerEntry?(this: void, entry: HeaderEntry, stage: Stage): void;
  /** Every section of every chunk, kept or dropped. */
  section?(this: void, section: Section, stage: Stage): void;
  script?(this: void, script: ShellScript): void;
  command?(this: void, command: ShellCommand, script: ShellScript): void;
  /** Runs once every other finding is known and pragmas were applied (DEF990). */
  suppressions?(this: void, run: SuppressionRun): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Called once per linted file; returns the listeners for that file. */
  create(ctx: RuleContext): RuleListeners;
}

/** Helpers for rules: which sections are which. */
export type SectionPredicate = (section: Section, stage: Stage) => boolean;

// ---- Pragmas (implemented in src/lint/pragmas.ts) -----------------------------------------

export type PragmaScope = 'line' | 'section' | 'file';

export interface PragmaRuleRef {
  /** As written. */
  name: string;
  /** Canonical id (`DEF201`, `SC2086`). */
  id: string;
  range: Range;
}

/** A parsed `# apptainer-lint ignore…` comment. Immutable: what it suppressed is per run. */
export interface Pragma {
  scope: PragmaScope;
  rules: PragmaRuleRef[];
  reason?: string;
  /** The whole `# apptainer-lint …` comment. */
  range: Range;
  /** True when the comment is alone on its line (so deleting the pragma deletes the line). */
  ownLine: boolean;
  /** First and last 1-based line the pragma covers (0/-1 when it covers nothing). */
  fromLine: number;
  toLine: number;
}

/** A problem reading a pragma; DEF992 `invalid-pragma` reports it with these message ids. */
export interface PragmaProblem {
  messageId: 'malformed' | 'unknownRule' | 'unknownRuleDidYouMean' | 'noRule' | 'sectionOutside';
  data?: MessageData;
  range: Range;
  suggestions?: Fix[];
}

export interface PragmaScan {
  pragmas: Pragma[];
  problems: PragmaProblem[];
}

/** What one lint run did with the pragmas (state local to that run). */
export interface SuppressionRun {
  pragmas: readonly Pragma[];
  /** True when this pragma suppressed at least one finding of this rule in this run. */
  used(pragma: Pragma, ruleId: string): boolean;
  /** True when the rule (or ShellCheck, for `SCxxxx`) ran in this run. */
  ran(ruleId: string): boolean;
}
