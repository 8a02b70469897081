// The shell layer: parses every shell section of a def file with tree-sitter-bash and maps each
// node back to exact def-file positions. Body line i of a section is file line
// `bodyLines[i].line` starting at `bodyLines[i].offset`, so a tree-sitter (row, column) pair maps
// to `bodyLines[row].offset + column` (tree-sitter's web build counts UTF-16 units, like JS).
import type { Node } from 'web-tree-sitter';
import type { ParsedFile, Range, Section, Stage } from '../../parse/model.js';
import type { ShellScript } from '../types.js';
import { bashParser } from './treesitter.js';
import { walkTree, type Bashism, type Heredoc, type ShellAssignment, type ShellPipeline, type VariableRef } from './walk.js';

export type { Bashism, Heredoc, ShellAssignment, ShellPipeline, VariableRef } from './walk.js';
export * from './commands.js';
export * from './sections.js';

/** Facts about a script beyond the `ShellScript` contract, for rules that need them. */
export interface ShellScriptDetails {
  /** Standalone assignments (`X=1`, `export X=1`, `declare -x X`). */
  assignments: ShellAssignment[];
  /** Constructs a POSIX sh (dash, ash) rejects. */
  bashisms: Bashism[];
  heredocs: Heredoc[];
  pipelines: ShellPipeline[];
  /** Shell function definitions, by name. */
  functions: { name: string; range: Range }[];
  /** Variable reads (`$X`, `${X:-y}`), in source order. */
  variables: VariableRef[];
  /** The section body with `{{ NAME }}` placeholders replaced by same-length filler. */
  analysedText: string;
}

const details = new WeakMap<ShellScript, ShellScriptDetails>();

/** Extra facts about a script parsed by `parseShellScripts` (empty for foreign objects). */
export function shellDetails(script: ShellScript): ShellScriptDetails {
  return details.get(script) ?? { assignments: [], bashisms: [], heredocs: [], pipelines: [], functions: [], variables: [], analysedText: '' };
}

type Dialect = ShellScript['dialect'];

/** The shell dialect a section runs in, or undefined for non-shell sections. */
export function sectionDialect(section: Section): Dialect | undefined {
  if (section.shell) return section.shell.dialect === 'other' ? undefined : section.shell.dialect;
  // `%environment`/`%appenv` are sourced by the container's /bin/sh at run time.
  if (section.name === 'environment' || section.name === 'appenv') return 'sh';
  return undefined;
}

const PLACEHOLDER = /\{\{\s*\w+\s*\}\}/g;

/** Replaces `{{ NAME }}` with same-length filler so shell tools see a plain word. */
export function maskPlaceholders(text: string): { text: string; spans: [number, number][] } {
  const spans: [number, number][] = [];
  const masked = text.replace(PLACEHOLDER, (match, offset: number) => {
    spans.push([offset, offset + match.length]);
    return match.replace(/[^\n]/g, 'X');
  });
  return { text: masked, spans };
}

/** Parses every shell section of `file` (script sections plus `%environment`/`%appenv`). */
export async function parseShellScripts(file: ParsedFile): Promise<ShellScript[]> {
  const targets: { stage: Stage; section: Section; dialect: Dialect }[] = [];
  for (const stage of file.stages) {
    for (const section of stage.sections) {
      const dialect = sectionDialect(section);
      if (dialect && section.bodyLines.length > 0) targets.push({ stage, section, dialect });
    }
  }
  if (targets.length === 0) return [];
  const parser = await bashParser();
  return targets.map(({ stage, section, dialect }) => analyseSection(parser, file, stage, section, dialect));
}

function analyseSection(
  parser: Awaited<ReturnType<typeof bashParser>>,
  file: ParsedFile,
  stage: Stage,
  section: Section,
  dialect: Dialect,
): ShellScript {
  const lines = section.bodyLines;
  const body = lines.map((l) => l.text).join('\n');
  const masked = maskPlaceholders(body);
  const lastLine = lines[lines.length - 1];
  const toOffset = (row: number, column: number): number => {
    if (row >= lines.length) return lastLine.offset + lastLine.text.length;
    return lines[row].offset + Math.min(column, lines[row].text.length);
  };
  const range = (node: Node): Range => ({
    start: file.positionAt(toOffset(node.startPosition.row, node.startPosition.column)),
    end: file.positionAt(toOffset(node.endPosition.row, node.endPosition.column)),
  });
  const tree = parser.parse(masked.text);
  const script: ShellScript = { stage, section, dialect, commands: [], syntaxErrors: [], setOptions: [] };
  if (!tree) return script;
  try {
    const walked = walkTree(tree.rootNode, { text: body, placeholders: masked.spans, range });
    script.commands = walked.commands;
    script.syntaxErrors = walked.syntaxErrors;
    script.setOptions = collectSetOptions(walked.commands);
    details.set(script, {
      assignments: walked.assignments,
      bashisms: walked.bashisms,
      heredocs: walked.heredocs,
      pipelines: walked.pipelines,
      functions: walked.functions,
      variables: walked.variables,
      analysedText: masked.text,
    });
  } finally {
    tree.delete();
  }
  return script;
}

const SHORT_SET_OPTIONS: Record<string, string> = {
  e: 'errexit',
  u: 'nounset',
  x: 'xtrace',
  v: 'verbose',
  f: 'noglob',
  a: 'allexport',
  C: 'noclobber',
  n: 'noexec',
};

/**
 * Options turned on by top-level `set` commands, by long name (`errexit`, `nounset`,
 * `pipefail`, `xtrace`...): `set -euo pipefail` gives errexit, nounset and pipefail.
 */
function collectSetOptions(commands: ShellScript['commands']): ShellScript['setOptions'] {
  const found: ShellScript['setOptions'] = [];
  for (const cmd of commands) {
    if (cmd.nested || cmd.baseName !== 'set' || cmd.wrappers.length > 0) continue;
    const args = cmd.args;
    for (let i = 0; i < args.length; i++) {
      const word = args[i].text;
      if (word === '--' || !word.startsWith('-') || word.startsWith('--')) break;
      for (const letter of word.slice(1)) {
        if (letter === 'o') {
          const next = args[i + 1];
          if (next && !next.text.startsWith('-')) {
            found.push({ option: next.text, range: next.range });
            i++;
          }
        } else {
          found.push({ option: SHORT_SET_OPTIONS[letter] ?? letter, range: args[i].range });
        }
      }
    }
  }
  return found;
}
