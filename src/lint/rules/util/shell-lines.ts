// Line-level view of shell sections for rules that need only light shell knowledge:
// the lines that are code (not blank, not comments, not heredoc text).
import type { Section } from '../../../parse/model.js';
import { heredocsOnLine } from './script-cuts.js';
import { stripShellComment } from './text.js';

export interface CodeLine {
  /** Full line text. */
  text: string;
  /** The line without a trailing comment. */
  code: string;
  offset: number;
  line: number;
  /** True when the line before ended with a `\` continuation. */
  continuation: boolean;
}

const codeLinesCache = new WeakMap<Section, readonly CodeLine[]>();

/** Code lines of a section body, skipping blank lines, comment lines and heredoc bodies. */
export function codeLines(section: Section): CodeLine[] {
  // Many rules ask for the same section during one lint: computed once per Section object
  // (sections are immutable parse results); each caller gets its own array and line objects.
  let lines = codeLinesCache.get(section);
  if (!lines) {
    lines = computeCodeLines(section);
    codeLinesCache.set(section, lines);
  }
  return lines.map((line) => ({ ...line }));
}

function computeCodeLines(section: Section): CodeLine[] {
  const out: CodeLine[] = [];
  const pending: string[] = [];
  let continued = false;
  for (const body of section.bodyLines) {
    if (pending.length > 0) {
      if (body.text.trim() === pending[0]) pending.shift();
      continue;
    }
    const trimmed = body.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      continued = false;
      continue;
    }
    const code = stripShellComment(body.text);
    out.push({ text: body.text, code, offset: body.offset, line: body.line, continuation: continued });
    pending.push(...heredocsOnLine(body.text).map((heredoc) => heredoc.delimiter));
    continued = /(^|[^\\])(\\\\)*\\$/.test(code.trimEnd());
  }
  return out;
}

/** Variables every process already has, so assigning or reading them proves nothing. */
export const AMBIENT_VARIABLES = new Set([
  'PATH', 'LD_LIBRARY_PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TERM', 'SHELL', 'PWD',
  'OLDPWD', 'TZ', 'HOSTNAME', 'PS1', 'IFS', 'UID', 'EUID', 'RANDOM', 'SECONDS', 'OPTARG', 'OPTIND', 'DEBIAN_FRONTEND',
]);

export function isAmbient(name: string): boolean {
  return AMBIENT_VARIABLES.has(name) || /^(APPTAINER|SINGULARITY|SCIF)_/.test(name);
}

/** Names referenced as `$NAME` / `${NAME...}` outside single quotes, with their offsets in `code`. */
export function variableReferences(code: string): { name: string; index: number }[] {
  const refs: { name: string; index: number }[] = [];
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (quote === "'") {
      if (ch === "'") quote = '';
      continue;
    }
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') {
      quote = quote === '"' ? '' : '"';
      continue;
    }
    if (ch === "'" && quote === '') {
      quote = "'";
      continue;
    }
    if (ch !== '$') continue;
    const match = /^\$(?:\{([A-Za-z_]\w*)|([A-Za-z_]\w*))/.exec(code.slice(i));
    if (match) refs.push({ name: match[1] ?? match[2], index: i });
  }
  return refs;
}

/** Names a line assigns: `NAME=`, `export NAME[=]`, `readonly`, `local`, `declare`, `for NAME in`, `read NAME`. */
export function assignedNames(code: string): string[] {
  const names: string[] = [];
  const trimmed = code.trim();
  const assignment = /^([A-Za-z_]\w*)=/.exec(trimmed);
  if (assignment) names.push(assignment[1]);
  const declaration = /^(?:export|readonly|local|declare|typeset)\s+(.*)$/.exec(trimmed);
  if (declaration) {
    for (const word of declaration[1].split(/\s+/)) {
      const name = /^([A-Za-z_]\w*)(=|$)/.exec(word);
      if (name) names.push(name[1]);
    }
  }
  const loop = /^for\s+([A-Za-z_]\w*)\s+in\b/.exec(trimmed);
  if (loop) names.push(loop[1]);
  const read = /\bread\s+(?:-\w+\s+)*([A-Za-z_][\w\s]*)/.exec(trimmed);
  if (read) names.push(...read[1].trim().split(/\s+/));
  // Assignments after `;`/`&&` on the same line.
  for (const match of trimmed.matchAll(/(?:;|&&|\|\|)\s*(?:export\s+)?([A-Za-z_]\w*)=/g)) names.push(match[1]);
  return names;
}
