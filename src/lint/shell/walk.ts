// Turns a tree-sitter-bash syntax tree into the linter's shell model: simple commands with static
// word text, wrappers seen through, pipelines, `checked` status, plus the extra facts rules need
// (standalone assignments, bash-only constructs, heredocs). One pass, linear in the tree size.
import type { Node } from 'web-tree-sitter';
import type { Range } from '../../parse/model.js';
import type { ShellCommand, ShellRedirect, ShellWord } from '../types.js';
import { positionalArgs } from './commands.js';
import { copySyntaxTree, type SyntaxNode } from './syntax.js';

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
  /** The text tree-sitter parsed, when it differs from `text` (placeholders masked, same length): node text comes from here. */
  parsed?: string;
  /** [start, end) spans of `{{ }}` placeholders in the body: words touching them are not static. */
  placeholders: [number, number][];
  /** The def-file range of body indices [start, end) (UTF-16 units, as tree-sitter's web build counts). */
  range(start: number, end: number): Range;
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
const REDIRECT_OPERATOR = /^[<>&|]+[-&]?$/;
/** No redirects (shared, never written). */
const NO_NODES: readonly SyntaxNode[] = [];
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
  /** The text tree-sitter parsed (node text). */
  readonly parsedText: string;
  readonly root: SyntaxNode;
  readonly checkErrors: boolean;
  /** Current nesting of visit() calls (see SHELL_NESTING_LIMIT). */
  private depth = 0;
  /** Whether the text staticText() last returned holds glob characters (or a leading `~`). */
  private glob = false;

  constructor(
    rootNode: Node,
    readonly source: WalkSource,
  ) {
    this.parsedText = source.parsed ?? source.text;
    this.root = copySyntaxTree(rootNode, this.parsedText);
    this.checkErrors = rootNode.hasError;
  }

  rangeOf(node: SyntaxNode): Range {
    return this.source.range(node.startIndex, node.endIndex);
  }

  bashism(construct: string, node: SyntaxNode): void {
    this.result.bashisms.push({ construct, range: this.rangeOf(node) });
  }

  /** The value node of a variable_assignment (after its `=` or `+=`), without field lookups. */
  assignmentValue(node: SyntaxNode): SyntaxNode | undefined {
    const parts = node.children;
    for (let i = 0; i < parts.length; i++) if (parts[i].type === '=' || parts[i].type === '+=') return parts[i + 1];
    return undefined;
  }

  overlapsPlaceholder(start: number, end: number): boolean {
    for (const [s, e] of this.source.placeholders) if (s < end && e > start) return true;
    return false;
  }

  /** Quote removal for static words; `isStatic` false when anything expands. */
  wordOf(node: SyntaxNode): ShellWord {
    const raw = this.source.text.slice(node.startIndex, node.endIndex);
    const range = this.rangeOf(node);
    const text = this.overlapsPlaceholder(node.startIndex, node.endIndex) ? undefined : this.staticText(node);
    if (text === undefined) return { raw, text: raw, isStatic: false, range };
    return { raw, text, isStatic: !this.glob, range };
  }

  /** The text of a word after quote removal, or undefined when it expands; sets `glob`. */
  staticText(node: SyntaxNode): string | undefined {
    switch (node.type) {
      case 'word':
      case 'command_name': {
        if (node.type === 'command_name') {
          const inner = node.children;
          if (inner.length === 1) return this.staticText(inner[0]);
          if (inner.length !== 0) return undefined;
        }
        const raw = node.text;
        this.glob = GLOB_CHARS.test(raw) || raw.startsWith('~');
        return unescapeUnquoted(raw);
      }
      case 'number':
      case 'variable_name':
        this.glob = false;
        return node.text;
      case 'variable_assignment': {
        const value = this.assignmentValue(node);
        let inner = '';
        if (value) {
          const text = this.staticText(value);
          if (text === undefined) return undefined;
          inner = text;
        } else this.glob = false;
        return `${node.children[0]?.text ?? ''}=${inner}`;
      }
      case 'raw_string':
        this.glob = false;
        return node.text.slice(1, -1);
      case 'string': {
        let text = '';
        for (const part of node.children) {
          if (part.type === '"') continue;
          if (part.type !== 'string_content') return undefined;
          text += unescapeDoubleQuoted(part.text);
        }
        this.glob = false;
        return text;
      }
      case 'concatenation': {
        let text = '';
        let glob = false;
        for (const part of node.children) {
          const inner = this.staticText(part);
          if (inner === undefined) return undefined;
          text += inner;
          glob ||= this.glob;
        }
        this.glob = glob;
        return text;
      }
      default:
        // Keywords such as `export` are anonymous tokens.
        if (node.isNamed) return undefined;
        this.glob = false;
        return node.text;
    }
  }

  visitChildren(node: SyntaxNode, ctx: Context): void {
    const children = node.children;
    for (let i = 0; i < children.length; i++) this.visit(children[i], ctx);
  }

  visit(node: SyntaxNode, ctx: Context): void {
    if (this.depth >= SHELL_NESTING_LIMIT) {
      this.result.nestingLimit ??= this.rangeOf(node);
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
    if (this.checkErrors && node.isFlawed) this.result.syntaxErrors.push(this.rangeOf(node));
    switch (node.type) {
      case 'command':
        this.command(node, ctx, NO_NODES);
        return;
      case 'redirected_statement':
        this.redirectedStatement(node, ctx, NO_NODES);
        return;
      case 'pipeline':
        this.pipeline(node, ctx, NO_NODES);
        return;
      case 'list':
        this.list(node, ctx, NO_NODES);
        return;
      case 'for_statement': {
        // `for NAME in words` / `select NAME in words`: NAME is assigned each word in turn.
        const parts = node.children;
        const name = parts.find((c) => c.type === 'variable_name');
        if (name) {
          const via = parts[0]?.type === 'select' ? 'select' : 'for';
          this.result.assignments.push({ name: name.text, value: '', exported: false, nested: ctx.nested, range: this.rangeOf(name), via });
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
        let checked: Context | undefined;
        for (const child of node.children) this.visit(child, child.field === 'condition' ? (checked ??= { ...ctx, checked: true }) : ctx);
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
        const name = node.children.find((c) => c.field === 'name');
        this.result.functions.push({ name: name?.text ?? '', range: this.rangeOf(name ?? node) });
        this.visitChildren(node, { nested: true, checked: false });
        return;
      }
      case 'variable_assignment':
        this.assignment(node, ctx, false);
        return;
      case 'variable_assignments':
        this.visitChildren(node, ctx);
        return;
      case 'declaration_command':
        this.declaration(node, ctx);
        return;
      case 'unset_command': {
        const parts = node.children;
        this.command(node, ctx, NO_NODES, { name: parts[0], args: parts.slice(1) });
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
      case 'compound_statement':
        if (this.parsedText.startsWith('((', node.startIndex)) this.bashism('(( ))', node);
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
    const text = this.source.text;
    let start = node.startIndex;
    if (text.charCodeAt(start) !== 36 /* $ */) start += /^\s*/.exec(text.slice(start, node.endIndex))![0].length;
    const ref: VariableRef = {
      name: name.text,
      range: this.rangeOf(name),
      expansion: this.source.range(start, node.endIndex),
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
  list(node: SyntaxNode, ctx: Context, redirects: readonly SyntaxNode[]): ShellCommand | undefined {
    const parts = node.children;
    const last = parts[parts.length - 1];
    let cmd: ShellCommand | undefined;
    let checked: Context | undefined;
    for (const part of parts) {
      if (part.type === '&&' || part.type === '||') continue;
      if (part === last) cmd = this.withRedirects(part, ctx, redirects);
      else this.visit(part, (checked ??= { ...ctx, checked: true }));
    }
    return cmd;
  }

  /** Visits `node` with `redirects` written after it, which belong to its last simple command. */
  withRedirects(node: SyntaxNode, ctx: Context, redirects: readonly SyntaxNode[]): ShellCommand | undefined {
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
  redirectedStatement(node: SyntaxNode, ctx: Context, outer: readonly SyntaxNode[]): ShellCommand | undefined {
    const parts = node.children;
    let body: SyntaxNode | undefined;
    const redirects: SyntaxNode[] = [];
    for (const c of parts) {
      if (REDIRECT_TYPES.has(c.type)) redirects.push(c);
      else body ??= c;
    }
    for (const r of outer) redirects.push(r);
    let cmd: ShellCommand | undefined;
    if (body?.type === 'command') cmd = this.command(body, ctx, redirects);
    else if (body?.type === 'list') cmd = this.list(body, ctx, redirects);
    else if (body?.type === 'pipeline') this.pipeline(body, ctx, redirects);
    else {
      if (body) this.visit(body, ctx);
      for (const r of redirects) this.redirectNode(r, undefined, ctx);
    }
    for (const c of parts) if (c !== body && !REDIRECT_TYPES.has(c.type)) this.visit(c, ctx);
    return cmd;
  }

  /** `a | b | c`; `redirects` written after the pipeline belong to its last stage (see `list`). */
  pipeline(node: SyntaxNode, ctx: Context, redirects: readonly SyntaxNode[]): void {
    const stageNodes: SyntaxNode[] = [];
    let anyStderr = false;
    for (const c of node.children) {
      if (c.type === '|&') anyStderr = true;
      else if (c.type !== '|') stageNodes.push(c);
    }
    if (anyStderr) this.bashism('|&', node);
    const entry: ShellPipeline = { stages: [], range: this.rangeOf(node), nested: ctx.nested, checked: ctx.checked };
    this.result.pipelines.push(entry);
    const simple: ShellCommand[] = [];
    const length = stageNodes.length;
    for (let index = 0; index < length; index++) {
      const stage = stageNodes[index];
      const outer = index === length - 1 ? redirects : NO_NODES;
      let cmd: ShellCommand | undefined;
      if (stage.type === 'command') cmd = this.command(stage, ctx, outer);
      else if (stage.type === 'redirected_statement') cmd = this.redirectedStatement(stage, ctx, outer);
      else {
        this.visit(stage, ctx);
        for (const r of outer) this.redirectNode(r, undefined, ctx);
      }
      if (cmd) {
        cmd.pipeline = { index, length, commands: simple, range: entry.range };
        simple.push(cmd);
      }
      entry.stages.push(cmd);
    }
  }

  assignment(node: SyntaxNode, ctx: Context, exported: boolean): { name: string; value: string; range: Range } {
    const parts = node.children;
    const nameNode = parts[0];
    const valueNode = this.assignmentValue(node);
    const name = nameNode?.text ?? node.text.split('=')[0];
    if (valueNode?.type === 'array') this.bashism('array', node);
    if (nameNode?.type === 'subscript') this.bashism('array', nameNode);
    if (parts.some((p) => p.type === '+=')) this.bashism('+=', node);
    const value = valueNode ? this.wordOf(valueNode).text : '';
    const entry = { name, value, exported, nested: ctx.nested, range: this.rangeOf(node) };
    this.result.assignments.push(entry);
    if (valueNode) this.visit(valueNode, { ...ctx, inAssignment: true });
    return entry;
  }

  declaration(node: SyntaxNode, ctx: Context): void {
    const parts = node.children;
    const keyword = parts[0]?.text ?? '';
    if (keyword === 'declare' || keyword === 'typeset') this.bashism(keyword, parts[0]);
    let exported = keyword === 'export';
    for (const p of parts) if (!exported && p.type === 'word' && p.text.startsWith('-') && p.text.includes('x')) exported = true;
    const args = parts.slice(1);
    const cmd = this.command(node, ctx, NO_NODES, { name: parts[0], args });
    for (const part of args) {
      if (part.type === 'variable_assignment') {
        const a = this.assignment(part, ctx, exported);
        cmd?.assignments.push({ name: a.name, value: a.value, range: a.range });
      } else if (part.type === 'variable_name' && exported) {
        this.result.assignments.push({ name: part.text, value: '', exported, nested: ctx.nested, range: this.rangeOf(part) });
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
      else if (REDIRECT_OPERATOR.test(part.type) || part.type === '<<' || part.type === '<<-') op += part.type;
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
        range: this.rangeOf(node),
      });
    }
    found.push({ op: op || node.type, target, range: this.rangeOf(node) });
    for (const part of parts) {
      // `cat <<EOF > file`: tree-sitter nests the second redirect inside the heredoc one.
      if (REDIRECT_TYPES.has(part.type)) {
        for (const r of this.redirectNode(part, cmd, ctx)) found.push(r);
      }
      // Command substitutions inside targets and heredoc bodies still run.
      else if (part.type === 'heredoc_body') this.visitChildren(part, { ...ctx, quoted: false, inAssignment: false, inHeredoc: true });
      else if (part.children.length > 0 && part.type !== 'heredoc_start') this.visit(part, ctx);
    }
    return found;
  }

  command(
    node: SyntaxNode,
    ctx: Context,
    outerRedirects: readonly SyntaxNode[],
    explicit?: { name?: SyntaxNode; args: SyntaxNode[] },
  ): ShellCommand | undefined {
    let parts = node.children;
    let rangeStart = node.startIndex;
    const text = this.source.text;
    let nameIndex = -1;
    const prefixAssignments: SyntaxNode[] = [];
    const innerRedirects: SyntaxNode[] = [];
    if (!explicit) {
      // tree-sitter-bash sometimes reads `A=1 B=2`, a newline and `cmd` as one command `A=1 B=2 cmd`.
      // In the shell the newline ends the statement: what comes before it stands on its own.
      const nameAt = parts.findIndex((p) => p.type === 'command_name');
      let first = 0;
      for (let i = 0; i < nameAt; i++) {
        const gapStart = parts[i].endIndex;
        const gapEnd = parts[i + 1].startIndex;
        const newline = text.indexOf('\n', gapStart);
        if (
          newline >= 0 &&
          newline < gapEnd &&
          text
            .slice(gapStart, gapEnd)
            .replace(/\\\r?\n/g, '')
            .includes('\n')
        )
          first = i + 1;
      }
      if (first > 0) {
        for (let i = 0; i < first; i++) this.visit(parts[i], ctx);
        rangeStart = parts[first].startIndex;
        parts = parts.slice(first);
      }
      // command: assignments and redirects, then the command_name, then arguments and redirects.
      for (let i = 0; i < parts.length; i++) {
        const type = parts[i].type;
        if (type === 'variable_assignment') prefixAssignments.push(parts[i]);
        else if (REDIRECT_TYPES.has(type)) innerRedirects.push(parts[i]);
        else if (type === 'command_name' && nameIndex < 0) nameIndex = i;
      }
    }
    const range = this.source.range(rangeStart, node.endIndex);
    const nameNode = explicit ? explicit.name : nameIndex >= 0 ? parts[nameIndex] : undefined;
    let argNodes: SyntaxNode[];
    if (explicit) argNodes = explicit.args;
    else {
      argNodes = [];
      if (nameIndex >= 0) {
        for (let i = nameIndex + 1; i < parts.length; i++) {
          const type = parts[i].type;
          if (!REDIRECT_TYPES.has(type) && type !== 'comment') argNodes.push(parts[i]);
        }
      }
    }
    const assignments: ShellCommand['assignments'] = [];
    for (const a of prefixAssignments) {
      const valueNode = this.assignmentValue(a);
      assignments.push({ name: a.children[0]?.text ?? a.text.split('=')[0], value: valueNode ? this.wordOf(valueNode).text : '', range: this.rangeOf(a) });
    }
    if (!nameNode) {
      for (const a of prefixAssignments) this.visit(a, ctx);
      for (const r of innerRedirects) this.redirectNode(r, undefined, ctx);
      for (const r of outerRedirects) this.redirectNode(r, undefined, ctx);
      return undefined;
    }
    let words: ShellWord[] = [this.wordOf(nameNode)];
    for (const arg of argNodes) words.push(this.wordOf(arg));
    const wrappers: string[] = [];
    // See through wrappers: `sudo -E apt-get ...` is an apt-get command.
    for (;;) {
      const head = words[0];
      if (!head.isStatic) break;
      const base = baseNameOf(head.text);
      const spec = WRAPPERS.get(base);
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
    const args = words.length === 1 ? [] : words.slice(1);
    const redirects: ShellRedirect[] = [];
    const baseName = baseNameOf(name.text);
    const cmd: ShellCommand = {
      name: name.text,
      baseName,
      nameRange: name.range,
      args,
      assignments,
      wrappers,
      redirects,
      range,
      checked: ctx.checked,
      nested: ctx.nested,
    };
    if (name.isStatic && BASH_ONLY_COMMANDS.has(baseName)) this.bashism(baseName, nameNode);
    if ((baseName === '[' || baseName === 'test') && args.some((a) => a.text === '==')) {
      this.bashism('== in [ ]', node);
    }
    if (baseName === 'set') {
      for (let i = 0; i < args.length; i++) {
        if (args[i].text === '-o' && args[i + 1]?.text === 'pipefail') this.result.bashisms.push({ construct: 'set -o pipefail', range: args[i + 1].range });
        if (/^-[a-zA-Z]*o$/.test(args[i].text) && args[i + 1]?.text === 'pipefail' && args[i].text !== '-o') {
          this.result.bashisms.push({ construct: 'set -o pipefail', range: args[i + 1].range });
        }
      }
    }
    this.result.commands.push(cmd);
    if (!explicit && wrappers.length === 0 && name.isStatic && DECLARATION_COMMANDS.has(name.text)) this.plainDeclaration(cmd, ctx);
    if (baseName === 'read' && name.isStatic) this.readTargets(cmd, ctx);
    if (prefixAssignments.length > 0) {
      const inAssignment = { ...ctx, inAssignment: true };
      for (const a of prefixAssignments) {
        const valueNode = this.assignmentValue(a);
        if (valueNode) this.visit(valueNode, inAssignment);
      }
    }
    const nestedCtx = { ...ctx };
    if (!explicit) this.visitChildren(nameNode, nestedCtx);
    for (const arg of argNodes) if (arg.type !== 'variable_assignment') this.visit(arg, nestedCtx);
    for (const r of innerRedirects) for (const found of this.redirectNode(r, cmd, ctx)) redirects.push(found);
    for (const r of outerRedirects) for (const found of this.redirectNode(r, cmd, ctx)) redirects.push(found);
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
