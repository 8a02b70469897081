// Turns a tree-sitter-bash syntax tree into the linter's shell model: simple commands with static
// word text, wrappers seen through, pipelines, `checked` status, plus the extra facts rules need
// (standalone assignments, bash-only constructs, heredocs). One pass, linear in the tree size.
import type { Node, Point } from 'web-tree-sitter';
import type { Range } from '../../parse/model.js';
import type { ShellCommand, ShellRedirect, ShellWord } from '../types.js';
import { lineIndexAt } from '../../parse/text.js';
import { positionalArgs } from './commands.js';

/** A variable assignment that is not a prefix of a command (`X=1`, `export X=1`, `local X`). */
export interface ShellAssignment {
  name: string;
  /** Static value without quotes, or the raw text when it expands something. */
  value: string;
  /** True for `export X=...` / `declare -x`. */
  exported: boolean;
  nested: boolean;
  range: Range;
  /**
   * Set when the name gets its value from something other than `NAME=value` (the value is then
   * unknown and `value` is ''): a `for NAME in` / `select NAME in` loop or a `read` target.
   */
  via?: 'for' | 'select' | 'read';
}

/** A construct bash accepts but a POSIX `sh` (dash, busybox ash) does not. */
export interface Bashism {
  /** Short name of the construct, e.g. `[[ ]]`, `array`, `source`. */
  construct: string;
  range: Range;
}

export interface Heredoc {
  /** Delimiter word without quotes. */
  delimiter: string;
  /** Body lines joined with `\n` (without the closing delimiter line). */
  content: string;
  /** True when the delimiter is quoted, so the body is not expanded. */
  quoted: boolean;
  /** The command the heredoc feeds. */
  command?: ShellCommand;
  range: Range;
}

/** A pipeline `a | b | c`; stages that are not simple commands are `undefined`. */
export interface ShellPipeline {
  stages: (ShellCommand | undefined)[];
  range: Range;
  nested: boolean;
  checked: boolean;
}

/**
 * A variable read: `$X`, `${X}`, `${X:-d}`, and the special parameters `$@`, `$*`, `$#` (also
 * `${@}`, `${@:2}`, `${#}`; name `@`, `*`, `#`) and positional ones (`$1`: name `1`).
 */
export interface VariableRef {
  name: string;
  /** The name only (`X` of `${X:-d}`; `@` of `$@`). */
  range: Range;
  /** The whole expansion, from its `$` (`${X:-d}`, `$@`). */
  expansion: Range;
  /** The operator right after the name in `${...}` (`:-`, `-`, `=`, `:=`, `#`, `/`...), if any. */
  operator?: string;
  /** Inside double quotes ("$X"): no field splitting. */
  quoted: boolean;
  /**
   * In the value of an assignment (`A=$X`, prefix `A=$X cmd`, `export A=$X`): never split in
   * bash. Command substitutions inside start afresh (`A=$(f $X)`: not in an assignment).
   */
  inAssignment: boolean;
  /** In the body of an unquoted heredoc (quoted heredocs expand nothing, so hold no reads). */
  inHeredoc: boolean;
}

export interface WalkResult {
  commands: ShellCommand[];
  variables: VariableRef[];
  assignments: ShellAssignment[];
  bashisms: Bashism[];
  heredocs: Heredoc[];
  pipelines: ShellPipeline[];
  /** Shell function definitions (`f() { ... }`, `function f { ... }`), by name. */
  functions: { name: string; range: Range }[];
  syntaxErrors: Range[];
  /** Where the walk stopped descending: nesting deeper than SHELL_NESTING_LIMIT (see walkTree). */
  nestingLimit?: Range;
}

/**
 * Deepest nesting of shell constructs the walker follows. Real scripts stay far below; a crafted
 * `$( $( $( ... ) ) )` a thousand levels deep would otherwise overflow the call stack. Below the
 * limit nothing is analysed, and the rules report where analysis stopped (DEF015).
 */
export const SHELL_NESTING_LIMIT = 200;

export interface WalkSource {
  /** The original body text (placeholders not substituted): word `raw` comes from here. */
  text: string;
  /** The text tree-sitter parsed, when it differs from `text` (placeholders masked): node text comes from here. */
  parsed?: string;
  /** [start, end) spans of `{{ }}` placeholders in the body: words touching them are not static. */
  placeholders: [number, number][];
  /** Converts a body index plus tree-sitter row/column into a def-file range. */
  range(node: NodeSpan): Range;
  /** The def-file range of body indices [start, end) (when missing, node ranges are used as they are). */
  rangeAt?(start: number, end: number): Range;
}

/** Where a node starts and ends, as tree-sitter counts rows and columns. */
export interface NodeSpan {
  readonly startPosition: Point;
  readonly endPosition: Point;
}

/** The text tree-sitter parsed. */
class ParsedText {
  private lineStarts?: number[];

  constructor(readonly text: string) {}

  /**
   * The tree-sitter point of an index: the web build counts indices and columns in UTF-16 units
   * and starts a row after each `\n` only, so this is what `Node.endPosition` would return.
   */
  pointAt(index: number): Point {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    const row = lineIndexAt(this.lineStarts, index);
    return { row, column: index - this.lineStarts[row] };
  }
}

/**
 * A syntax node with what the walk reads of it fetched once. Every property of a web-tree-sitter
 * `Node` but its id and start is a call into WASM, and `children` builds new `Node` objects, so
 * the walk reads these instead: the type up front, the rest when first asked for.
 */
class SyntaxNode implements NodeSpan {
  readonly id: number;
  readonly type: string;
  readonly startIndex: number;
  readonly startPosition: Point;
  private end?: number;
  private endPoint?: Point;
  private named?: boolean;
  private kids?: SyntaxNode[];

  constructor(
    readonly node: Node,
    private readonly parsed: ParsedText,
  ) {
    this.id = node.id;
    this.type = node.type;
    this.startIndex = node.startIndex;
    this.startPosition = node.startPosition;
  }

  get endIndex(): number {
    return (this.end ??= this.node.endIndex);
  }

  get endPosition(): Point {
    return (this.endPoint ??= this.parsed.pointAt(this.endIndex));
  }

  get isNamed(): boolean {
    return (this.named ??= this.node.isNamed);
  }

  /** Same as `Node.text` (a slice of the parsed text), without the calls into WASM. */
  get text(): string {
    return this.parsed.text.slice(this.startIndex, this.endIndex);
  }

  get children(): SyntaxNode[] {
    if (!this.kids) {
      this.kids = [];
      for (const child of this.node.children) if (child) this.kids.push(new SyntaxNode(child, this.parsed));
    }
    return this.kids;
  }
}

interface Context {
  nested: boolean;
  checked: boolean;
  /** Where variable reads are (see VariableRef); reset by command substitutions and functions. */
  quoted?: boolean;
  inAssignment?: boolean;
  inHeredoc?: boolean;
}

/** The context inside `$( )`, `( )`, `<( )`: a new command line, in no quotes or assignment. */
const freshWords = (ctx: Context): Context => ({ nested: true, checked: ctx.checked });

/** Wrappers that run the rest of their arguments as a command, with their options taking a value. */
const WRAPPERS = new Map<string, { withValue: string[]; positional?: number }>(
  Object.entries({
    sudo: { withValue: ['-u', '-g', '-C', '-D', '-p', '-r', '-t', '-U', '-T', '--user', '--group', '--chdir', '--prompt'] },
    doas: { withValue: ['-u', '-C'] },
    env: { withValue: ['-u', '-C', '-S', '--unset', '--chdir', '--split-string'] },
    time: { withValue: ['-f', '-o', '--format', '--output'] },
    nice: { withValue: ['-n', '--adjustment'] },
    ionice: { withValue: ['-c', '-n', '-p', '--class', '--classdata'] },
    nohup: { withValue: [] },
    timeout: { withValue: ['-s', '-k', '--signal', '--kill-after'], positional: 1 },
    stdbuf: { withValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
    xargs: {
      withValue: ['-I', '-n', '-P', '-L', '-d', '-a', '-E', '-s', '--max-args', '--max-procs', '--delimiter', '--arg-file', '--max-lines', '--max-chars'],
    },
    exec: { withValue: ['-a'] },
    command: { withValue: [] },
    builtin: { withValue: [] },
    eatmydata: { withValue: [] },
    fakeroot: { withValue: [] },
    chronic: { withValue: [] },
  }),
);

const GLOB_CHARS = /(^|[^\\])[*?[]/;
/**
 * Frequent tree-sitter-bash node types without named children (node-types.json): in a tree without
 * errors, visiting their children (anonymous tokens, at most a comment) does nothing, so the walk
 * skips fetching them. Anonymous node types are all tokens.
 */
const TOKEN_TYPES = new Set([
  'word',
  'variable_name',
  'special_variable_name',
  'string_content',
  'raw_string',
  'file_descriptor',
  'heredoc_start',
  'heredoc_end',
  'test_operator',
  '"',
  '=',
  '$',
  '${',
  '}',
  '$(',
  ')',
  '`',
  ';',
  '&&',
  '||',
  '|',
  '>',
  '>>',
  '<<',
  '[',
  ']',
  'export',
  'then',
  'if',
  'fi',
  'else',
  'do',
  'done',
  'in',
]);
const REDIRECT_TYPES = new Set(['file_redirect', 'heredoc_redirect', 'herestring_redirect']);
const DECLARATION_COMMANDS = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);
const SPECIAL_PARAMETERS = new Set(['@', '*', '#']);
const VARIABLE_NAME = /^[A-Za-z_]\w*$/;
/** `read` options that take a value (`-p prompt`); `-a NAME` names an array and is handled apart. */
const READ_WITH_VALUE = ['-p', '-d', '-n', '-N', '-t', '-u', '-i'];
const BASH_ONLY_COMMANDS = new Set([
  'source',
  'declare',
  'typeset',
  'shopt',
  'pushd',
  'popd',
  'dirs',
  'let',
  'mapfile',
  'readarray',
  'complete',
  'disown',
  'suspend',
  'caller',
  'enable',
]);

/**
 * Walks one tree-sitter tree and collects commands, assignments, variables, bashisms, heredocs,
 * pipelines, functions and syntax errors. One instance per walk; each construct has its own method.
 */
class TreeWalker {
  readonly result: WalkResult = { commands: [], variables: [], assignments: [], bashisms: [], heredocs: [], pipelines: [], functions: [], syntaxErrors: [] };
  readonly parsed: ParsedText;
  readonly root: SyntaxNode;
  readonly checkErrors: boolean;
  /** Current nesting of visit() calls (see SHELL_NESTING_LIMIT). */
  private depth = 0;

  constructor(
    rootNode: Node,
    readonly source: WalkSource,
  ) {
    this.parsed = new ParsedText(source.parsed ?? source.text);
    this.root = new SyntaxNode(rootNode, this.parsed);
    this.checkErrors = rootNode.hasError;
  }

  bashism(construct: string, node: NodeSpan): void {
    this.result.bashisms.push({ construct, range: this.source.range(node) });
  }

  /** `name` and `value` of a variable_assignment without field lookups. */
  assignmentParts(node: SyntaxNode): { name?: SyntaxNode; value?: SyntaxNode } {
    const parts = node.children;
    const eq = parts.findIndex((p) => p.type === '=' || p.type === '+=');
    return { name: parts[0], value: eq >= 0 ? parts[eq + 1] : undefined };
  }

  overlapsPlaceholder(start: number, end: number): boolean {
    for (const [s, e] of this.source.placeholders) if (s < end && e > start) return true;
    return false;
  }

  /** Quote removal for static words; `isStatic` false when anything expands. */
  wordOf(node: SyntaxNode): ShellWord {
    const raw = this.source.text.slice(node.startIndex, node.endIndex);
    const range = this.source.range(node);
    const info = this.staticText(node);
    const templated = this.overlapsPlaceholder(node.startIndex, node.endIndex);
    if (info === undefined || templated) return { raw, text: raw, isStatic: false, range };
    return { raw, text: info.text, isStatic: !info.glob, range };
  }

  staticText(node: SyntaxNode): { text: string; glob: boolean } | undefined {
    switch (node.type) {
      case 'word':
      case 'command_name': {
        if (node.type === 'command_name') {
          const inner = node.children;
          if (inner.length === 1) return this.staticText(inner[0]);
          if (inner.length !== 0) return undefined;
        }
        const raw = node.text;
        return { text: unescapeUnquoted(raw), glob: GLOB_CHARS.test(raw) || raw.startsWith('~') };
      }
      case 'number':
        return { text: node.text, glob: false };
      case 'variable_assignment': {
        const { name, value } = this.assignmentParts(node);
        const inner = value ? this.staticText(value) : { text: '', glob: false };
        if (!inner) return undefined;
        return { text: `${name?.text ?? ''}=${inner.text}`, glob: inner.glob };
      }
      case 'variable_name':
        return { text: node.text, glob: false };
      case 'raw_string':
        return { text: node.text.slice(1, -1), glob: false };
      case 'string': {
        let text = '';
        for (const part of node.children) {
          if (part.type === '"') continue;
          if (part.type !== 'string_content') return undefined;
          text += unescapeDoubleQuoted(part.text);
        }
        return { text, glob: false };
      }
      case 'concatenation': {
        let text = '';
        let glob = false;
        for (const part of node.children) {
          const inner = this.staticText(part);
          if (!inner) return undefined;
          text += inner.text;
          glob ||= inner.glob;
        }
        return { text, glob };
      }
      default:
        // Keywords such as `export` are anonymous tokens.
        return node.isNamed ? undefined : { text: node.text, glob: false };
    }
  }

  visitChildren(node: SyntaxNode, ctx: Context): void {
    for (const child of node.children) this.visit(child, ctx);
  }

  visit(node: SyntaxNode, ctx: Context): void {
    if (this.depth >= SHELL_NESTING_LIMIT) {
      this.result.nestingLimit ??= this.source.range(node);
      return;
    }
    this.depth++;
    try {
      this.visitNode(node, ctx);
    } finally {
      this.depth--;
    }
  }

  visitNode(node: SyntaxNode, ctx: Context): void {
    if (this.checkErrors && (node.node.isError || node.node.isMissing)) this.result.syntaxErrors.push(this.source.range(node));
    switch (node.type) {
      case 'command':
        this.command(node, ctx, []);
        return;
      case 'redirected_statement':
        this.redirectedStatement(node, ctx);
        return;
      case 'pipeline':
        this.pipeline(node, ctx);
        return;
      case 'list':
        this.list(node, ctx, []);
        return;
      case 'for_statement': {
        // `for NAME in words` / `select NAME in words`: NAME is assigned each word in turn.
        const parts = node.children;
        const name = parts.find((c) => c.type === 'variable_name');
        if (name) {
          const via = parts[0]?.type === 'select' ? 'select' : 'for';
          this.result.assignments.push({ name: name.text, value: '', exported: false, nested: ctx.nested, range: this.source.range(name), via });
        }
        this.visitChildren(node, ctx);
        return;
      }
      case 'string':
        this.visitChildren(node, { ...ctx, quoted: true });
        return;
      case 'negated_command':
        this.visitChildren(node, { ...ctx, checked: true });
        return;
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement': {
        const conditions = new Set(
          node.node
            .childrenForFieldName('condition')
            .filter((c): c is Node => c !== null)
            .map((c) => c.id),
        );
        for (const child of node.children) this.visit(child, conditions.has(child.id) ? { ...ctx, checked: true } : ctx);
        return;
      }
      case 'subshell':
      case 'command_substitution':
      case 'process_substitution':
        if (node.type === 'process_substitution') this.bashism('process substitution', node);
        this.visitChildren(node, freshWords(ctx));
        return;
      case 'function_definition': {
        if (node.children.some((c) => c.type === 'function')) this.bashism('function keyword', node);
        const nameNode = node.node.childForFieldName('name');
        const name = nameNode ? new SyntaxNode(nameNode, this.parsed) : undefined;
        this.result.functions.push({ name: name?.text ?? '', range: this.source.range(name ?? node) });
        this.visitChildren(node, { nested: true, checked: false });
        return;
      }
      case 'variable_assignment':
        this.assignment(node, ctx, false);
        return;
      case 'variable_assignments':
        for (const c of node.children) this.visit(c, ctx);
        return;
      case 'declaration_command':
        this.declaration(node, ctx);
        return;
      case 'unset_command': {
        const parts = node.children;
        this.command(node, ctx, [], { name: parts[0], args: parts.slice(1) });
        return;
      }
      case 'test_command':
        if (node.children.some((c) => c.type === '[[')) this.bashism('[[ ]]', node);
        this.visitChildren(node, ctx);
        return;
      case 'ansi_c_string':
        this.bashism("$'...' string", node);
        return;
      case 'brace_expression':
        this.bashism('brace expansion', node);
        return;
      case 'c_style_for_statement':
        this.bashism('for (( ))', node);
        this.visitChildren(node, ctx);
        return;
      case 'arithmetic_expansion':
        if (node.text.startsWith('((')) this.bashism('(( ))', node);
        this.visitChildren(node, ctx);
        return;
      case 'compound_statement':
        if (node.text.startsWith('((')) this.bashism('(( ))', node);
        this.visitChildren(node, ctx);
        return;
      case 'subscript':
        this.bashism('array', node);
        this.visitChildren(node, ctx);
        return;
      case 'expansion':
        this.expansion(node);
        this.variableRef(node, ctx);
        this.visitChildren(node, ctx);
        return;
      case 'simple_expansion':
        this.variableRef(node, ctx);
        this.visitChildren(node, ctx);
        return;
      case 'heredoc_redirect':
      case 'file_redirect':
      case 'herestring_redirect':
        this.redirectNode(node, undefined, ctx);
        return;
      case 'comment':
        return;
      default:
        // Nothing to find below these (see TOKEN_TYPES), unless an ERROR node may be anywhere.
        if (!this.checkErrors && TOKEN_TYPES.has(node.type)) return;
        this.visitChildren(node, ctx);
    }
  }

  variableRef(node: SyntaxNode, ctx: Context): void {
    const parts = node.children;
    let at = parts.findIndex((c) => c.type === 'variable_name' || (c.type === 'special_variable_name' && SPECIAL_PARAMETERS.has(c.text)));
    // `${#}` is the argument count (`${#X}` is X's length: X is the name there).
    if (at < 0 && node.type === 'expansion' && parts.length === 3 && parts[1].type === '#') at = 1;
    if (at < 0) return;
    const name = parts[at];
    const next = parts[at + 1];
    const operator = node.type === 'expansion' && next && !next.isNamed && next.type !== '}' ? next.type : undefined;
    // In strings tree-sitter-bash puts the blanks before an expansion into its `$` token.
    const blanks =
      this.source.text.charCodeAt(node.startIndex) === 36 /* $ */ ? 0 : /^\s*/.exec(this.source.text.slice(node.startIndex, node.endIndex))![0].length;
    const ref: VariableRef = {
      name: name.text,
      range: this.source.range(name),
      expansion: blanks > 0 && this.source.rangeAt ? this.source.rangeAt(node.startIndex + blanks, node.endIndex) : this.source.range(node),
      quoted: !!ctx.quoted,
      inAssignment: !!ctx.inAssignment,
      inHeredoc: !!ctx.inHeredoc,
    };
    if (operator) ref.operator = operator;
    this.result.variables.push(ref);
  }

  /**
   * `a && b`, `a || b`: the left side's status is tested, the right side's is the list's.
   * `redirects` are those tree-sitter-bash puts on the whole list: in `a && b > f` it reads
   * `(a && b) > f`, but in the shell the redirect is b's, so they go to the last part.
   */
  list(node: SyntaxNode, ctx: Context, redirects: SyntaxNode[]): ShellCommand | undefined {
    const parts = node.children;
    const last = parts[parts.length - 1];
    let cmd: ShellCommand | undefined;
    for (const part of parts) {
      if (part.type === '&&' || part.type === '||') continue;
      if (part === last) cmd = this.withRedirects(part, ctx, redirects);
      else this.visit(part, { ...ctx, checked: true });
    }
    return cmd;
  }

  /** Visits `node` with `redirects` written after it, which belong to its last simple command. */
  withRedirects(node: SyntaxNode, ctx: Context, redirects: SyntaxNode[]): ShellCommand | undefined {
    if (node.type === 'command') return this.command(node, ctx, redirects);
    if (node.type === 'redirected_statement') return this.redirectedStatement(node, ctx, redirects);
    if (node.type === 'list') return this.list(node, ctx, redirects);
    if (node.type === 'pipeline') {
      this.pipeline(node, ctx, redirects);
      return undefined;
    }
    this.visit(node, ctx);
    for (const r of redirects) this.redirectNode(r, undefined, ctx);
    return undefined;
  }

  expansion(node: SyntaxNode): void {
    const text = node.text;
    // ${x:1:2}, ${x/a/b}, ${!x}, ${x^^}, ${x,,}: bash/ksh only.
    // Subscripts (`${a[0]}`) are reported as arrays by the `subscript` node; `${x:-d}` is POSIX.
    if (/^\$\{!/.test(text) || /^\$\{\w+(:\d|:\s+-?\d|\/|\^|,)/.test(text)) this.bashism('${...} bash expansion', node);
  }

  /** `cmd > file`: the redirects belong to the command; returns it when the body is a simple command. */
  redirectedStatement(node: SyntaxNode, ctx: Context, outer: SyntaxNode[] = []): ShellCommand | undefined {
    const parts = node.children;
    const body = parts.find((c) => !REDIRECT_TYPES.has(c.type));
    const redirects = [...parts.filter((c) => REDIRECT_TYPES.has(c.type)), ...outer];
    let cmd: ShellCommand | undefined;
    if (body?.type === 'command') cmd = this.command(body, ctx, redirects);
    else if (body?.type === 'list') cmd = this.list(body, ctx, redirects);
    else if (body?.type === 'pipeline') this.pipeline(body, ctx, redirects);
    else {
      if (body) this.visit(body, ctx);
      for (const r of redirects) this.redirectNode(r, undefined, ctx);
    }
    for (const c of parts) if (c.id !== body?.id && !REDIRECT_TYPES.has(c.type)) this.visit(c, ctx);
    return cmd;
  }

  /** `a | b | c`; `redirects` written after the pipeline belong to its last stage (see `list`). */
  pipeline(node: SyntaxNode, ctx: Context, redirects: SyntaxNode[] = []): void {
    const stageNodes = node.children.filter((c) => c.type !== '|' && c.type !== '|&');
    if (node.children.some((c) => c.type === '|&')) this.bashism('|&', node);
    const entry: ShellPipeline = { stages: [], range: this.source.range(node), nested: ctx.nested, checked: ctx.checked };
    this.result.pipelines.push(entry);
    const simple: ShellCommand[] = [];
    const info = { index: 0, length: stageNodes.length, commands: simple, range: entry.range };
    stageNodes.forEach((stage, index) => {
      const outer = index === stageNodes.length - 1 ? redirects : [];
      let cmd: ShellCommand | undefined;
      if (stage.type === 'command') cmd = this.command(stage, ctx, outer);
      else if (stage.type === 'redirected_statement') cmd = this.redirectedStatement(stage, ctx, outer);
      else {
        this.visit(stage, ctx);
        for (const r of outer) this.redirectNode(r, undefined, ctx);
      }
      if (cmd) {
        cmd.pipeline = { ...info, index };
        simple.push(cmd);
      }
      entry.stages.push(cmd);
    });
  }

  assignment(node: SyntaxNode, ctx: Context, exported: boolean): { name: string; value: string; range: Range } {
    const { name: nameNode, value: valueNode } = this.assignmentParts(node);
    const name = nameNode?.text ?? node.text.split('=')[0];
    if (valueNode?.type === 'array') this.bashism('array', node);
    if (nameNode?.type === 'subscript') this.bashism('array', nameNode);
    if (node.children.some((p) => p.type === '+=')) this.bashism('+=', node);
    const value = valueNode ? this.wordOf(valueNode).text : '';
    const entry = { name, value, exported, nested: ctx.nested, range: this.source.range(node) };
    this.result.assignments.push(entry);
    if (valueNode) this.visit(valueNode, { ...ctx, inAssignment: true });
    return entry;
  }

  declaration(node: SyntaxNode, ctx: Context): void {
    const parts = node.children;
    const keyword = parts[0]?.text ?? '';
    if (keyword === 'declare' || keyword === 'typeset') this.bashism(keyword, parts[0]);
    const flags = parts.filter((p) => p.type === 'word' && p.text.startsWith('-')).map((p) => p.text);
    const exported = keyword === 'export' || flags.some((f) => f.includes('x'));
    const cmd = this.command(node, ctx, [], { name: parts[0], args: parts.slice(1) });
    for (const part of parts.slice(1)) {
      if (part.type === 'variable_assignment') {
        const a = this.assignment(part, ctx, exported);
        cmd?.assignments.push({ name: a.name, value: a.value, range: a.range });
      } else if (part.type === 'variable_name' && exported) {
        this.result.assignments.push({ name: part.text, value: '', exported, nested: ctx.nested, range: this.source.range(part) });
      }
    }
  }

  redirectNode(node: SyntaxNode, cmd: ShellCommand | undefined, ctx: Context): ShellRedirect[] {
    const parts = node.children;
    const found: ShellRedirect[] = [];
    let op = '';
    let target = '';
    for (const part of parts) {
      if (part.type === 'file_descriptor') op += part.text;
      else if (/^[<>&|]+[-&]?$/.test(part.type) || part.type === '<<' || part.type === '<<-') op += part.type;
      else if (part.type === 'heredoc_start') target = part.text.replace(/^["']|["']$/g, '').replace(/\\/g, '');
      else if (part.type !== 'heredoc_body' && part.type !== 'heredoc_end' && !REDIRECT_TYPES.has(part.type) && !target) {
        target = this.wordOf(part).text;
        if (op.endsWith('&') && /^\d$/.test(target)) {
          op += target;
          target = '';
        }
      }
    }
    if (op === '&>' || op === '&>>') this.bashism('&> redirect', node);
    if (node.type === 'herestring_redirect') this.bashism('<<< here-string', node);
    if (node.type === 'heredoc_redirect') {
      const start = parts.find((p) => p.type === 'heredoc_start');
      const body = parts.find((p) => p.type === 'heredoc_body');
      const end = parts.find((p) => p.type === 'heredoc_end');
      // tree-sitter starts the body node after leading blanks; take whole lines instead.
      const bodyStart = body ? this.source.text.lastIndexOf('\n', body.startIndex - 1) + 1 : 0;
      const bodyEnd = end ? this.source.text.lastIndexOf('\n', end.startIndex - 1) : (body?.endIndex ?? 0);
      this.result.heredocs.push({
        delimiter: target,
        content: body && bodyEnd > bodyStart ? this.source.text.slice(bodyStart, bodyEnd) : '',
        quoted: !!start && /["'\\]/.test(start.text),
        command: cmd,
        range: this.source.range(node),
      });
    }
    found.push({ op: op || node.type, target, range: this.source.range(node) });
    for (const part of parts) {
      // `cat <<EOF > file`: tree-sitter nests the second redirect inside the heredoc one.
      if (REDIRECT_TYPES.has(part.type)) found.push(...this.redirectNode(part, cmd, ctx));
      // Command substitutions inside targets and heredoc bodies still run.
      else if (part.type === 'heredoc_body') this.visitChildren(part, { ...ctx, quoted: false, inAssignment: false, inHeredoc: true });
      else if (part.children.length > 0 && part.type !== 'heredoc_start') this.visit(part, ctx);
    }
    return found;
  }

  command(node: SyntaxNode, ctx: Context, outerRedirects: SyntaxNode[], explicit?: { name?: SyntaxNode; args: SyntaxNode[] }): ShellCommand | undefined {
    let parts = node.children;
    // tree-sitter-bash sometimes reads `A=1 B=2`, a newline and `cmd` as one command `A=1 B=2 cmd`.
    // In the shell the newline ends the statement: what comes before it stands on its own.
    let range = this.source.range(node);
    if (!explicit) {
      const nameAt = parts.findIndex((p) => p.type === 'command_name');
      let first = 0;
      for (let i = 0; i < nameAt; i++) {
        if (
          this.source.text
            .slice(parts[i].endIndex, parts[i + 1].startIndex)
            .replace(/\\\r?\n/g, '')
            .includes('\n')
        )
          first = i + 1;
      }
      if (first > 0) {
        for (const p of parts.slice(0, first)) this.visit(p, ctx);
        range = { start: this.source.range(parts[first]).start, end: range.end };
        parts = parts.slice(first);
      }
    }
    const prefixAssignments = explicit ? [] : parts.filter((p) => p.type === 'variable_assignment');
    // command: assignments and redirects, then the command_name, then arguments and redirects.
    const nameIndex = explicit ? -1 : parts.findIndex((p) => p.type === 'command_name');
    const nameNode = explicit ? explicit.name : nameIndex >= 0 ? parts[nameIndex] : undefined;
    const argNodes = explicit
      ? explicit.args
      : nameIndex >= 0
        ? parts.slice(nameIndex + 1).filter((p) => !REDIRECT_TYPES.has(p.type) && p.type !== 'comment')
        : [];
    const innerRedirects = explicit ? [] : parts.filter((p) => REDIRECT_TYPES.has(p.type));
    const assignments = prefixAssignments.map((a) => {
      const { name, value: valueNode } = this.assignmentParts(a);
      return { name: name?.text ?? a.text.split('=')[0], value: valueNode ? this.wordOf(valueNode).text : '', range: this.source.range(a) };
    });
    if (!nameNode) {
      for (const a of prefixAssignments) this.visit(a, ctx);
      for (const r of [...innerRedirects, ...outerRedirects]) this.redirectNode(r, undefined, ctx);
      return undefined;
    }
    let words = [this.wordOf(nameNode), ...argNodes.map((node) => this.wordOf(node))];
    const wrappers: string[] = [];
    // See through wrappers: `sudo -E apt-get ...` is an apt-get command.
    for (;;) {
      const head = words[0];
      const base = baseNameOf(head.text);
      const spec = head.isStatic ? WRAPPERS.get(base) : undefined;
      if (!spec) break;
      if (base === 'command' && words[1]?.text.match(/^-[vV]/)) break; // `command -v x` looks x up
      let i = 1;
      while (i < words.length) {
        const w = words[i].text;
        if (w === '--') {
          i++;
          break;
        }
        if (base === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
          const eq = w.indexOf('=');
          assignments.push({ name: w.slice(0, eq), value: w.slice(eq + 1), range: words[i].range });
          i++;
          continue;
        }
        if (!w.startsWith('-') || w === '-') break;
        i += optionConsumes(w, spec.withValue) ? 2 : 1;
      }
      i += spec.positional ?? 0;
      if (i >= words.length) break;
      wrappers.push(head.text);
      words = words.slice(i);
    }
    const name = words[0];
    const args = words.slice(1);
    const redirects: ShellRedirect[] = [];
    const cmd: ShellCommand = {
      name: name.text,
      baseName: baseNameOf(name.text),
      nameRange: name.range,
      args,
      assignments,
      wrappers,
      redirects,
      range,
      checked: ctx.checked,
      nested: ctx.nested,
    };
    if (BASH_ONLY_COMMANDS.has(cmd.baseName) && name.isStatic) this.bashism(cmd.baseName, nameNode);
    if ((cmd.baseName === '[' || cmd.baseName === 'test') && args.some((a) => a.text === '==')) {
      this.bashism('== in [ ]', node);
    }
    if (cmd.baseName === 'set') {
      for (let i = 0; i < args.length; i++) {
        if (args[i].text === '-o' && args[i + 1]?.text === 'pipefail') this.result.bashisms.push({ construct: 'set -o pipefail', range: args[i + 1].range });
        if (/^-[a-zA-Z]*o$/.test(args[i].text) && args[i + 1]?.text === 'pipefail' && args[i].text !== '-o') {
          this.result.bashisms.push({ construct: 'set -o pipefail', range: args[i + 1].range });
        }
      }
    }
    this.result.commands.push(cmd);
    if (!explicit && wrappers.length === 0 && name.isStatic && DECLARATION_COMMANDS.has(name.text)) this.plainDeclaration(cmd, ctx);
    if (cmd.baseName === 'read' && name.isStatic) this.readTargets(cmd, ctx);
    for (const a of prefixAssignments) {
      const valueNode = this.assignmentParts(a).value;
      if (valueNode) this.visit(valueNode, { ...ctx, inAssignment: true });
    }
    const nestedCtx = { ...ctx };
    if (nameNode && !explicit) this.visitChildren(nameNode, nestedCtx);
    for (const arg of argNodes) if (arg.type !== 'variable_assignment') this.visit(arg, nestedCtx);
    for (const r of [...innerRedirects, ...outerRedirects]) redirects.push(...this.redirectNode(r, cmd, ctx));
    return cmd;
  }

  /**
   * `export A=1 B` that the tree holds as a plain command (after assignments it glued onto it, see
   * `command`): its arguments are assignments and names, as in a declaration_command.
   */
  plainDeclaration(cmd: ShellCommand, ctx: Context): void {
    const exported = cmd.name === 'export' || cmd.args.some((arg) => arg.isStatic && /^-\w*x/.test(arg.text));
    for (const arg of cmd.args) {
      const match = /^([A-Za-z_]\w*)\+?=/.exec(arg.text);
      if (match) {
        const value = arg.isStatic ? arg.text.slice(match[0].length) : arg.raw.slice(match[0].length);
        this.result.assignments.push({ name: match[1], value, exported, nested: ctx.nested, range: arg.range });
        cmd.assignments.push({ name: match[1], value, range: arg.range });
      } else if (exported && arg.isStatic && VARIABLE_NAME.test(arg.text)) {
        this.result.assignments.push({ name: arg.text, value: '', exported, nested: ctx.nested, range: arg.range });
      }
    }
  }

  /** `read [-r] [-p prompt] A B`, `read -a ARR`: the names read into. */
  readTargets(cmd: ShellCommand, ctx: Context): void {
    const seen = new Set<number>();
    const add = (word: ShellWord | undefined) => {
      if (word?.isStatic && VARIABLE_NAME.test(word.text) && !seen.has(word.range.start.offset)) {
        seen.add(word.range.start.offset);
        this.result.assignments.push({ name: word.text, value: '', exported: false, nested: ctx.nested, range: word.range, via: 'read' });
      }
    };
    const arrayAt = cmd.args.findIndex((arg) => arg.isStatic && /^-\w*a$/.test(arg.text));
    if (arrayAt >= 0) add(cmd.args[arrayAt + 1]);
    for (const arg of positionalArgs(cmd.args, [...READ_WITH_VALUE, '-a'])) add(arg);
  }
}

export function walkTree(rootNode: Node, source: WalkSource): WalkResult {
  const walker = new TreeWalker(rootNode, source);
  walker.visit(walker.root, { nested: false, checked: false });
  return walker.result;
}

/** Whether option word `w` takes the next word as its value (`-u root`, `--user root`, `-Eu root`). */
function optionConsumes(w: string, withValue: string[]): boolean {
  if (w.startsWith('--')) return !w.includes('=') && withValue.includes(w);
  const letters = w.slice(1);
  for (let j = 0; j < letters.length; j++) {
    if (withValue.includes(`-${letters[j]}`)) return j === letters.length - 1;
  }
  return false;
}

export function baseNameOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

function unescapeUnquoted(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');
}

function unescapeDoubleQuoted(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
}
