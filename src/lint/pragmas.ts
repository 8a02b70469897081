// Inline suppressions:
//   # apptainer-lint ignore=DEF201,SC2086 -- reason      next non-blank line; the whole section when
//                                                         on a section line (`%post # apptainer-lint …`);
//                                                         the same line when it trails code
//   # apptainer-lint ignore-section=DEF301 -- reason      the section that contains the comment
//   # apptainer-lint ignore-file=DEF401 -- reason         the whole file
// Rules are named by id or slug. Pragmas are found in any comment: header lines, body lines and
// trailing comments (Apptainer cuts section arguments at `#`, so a pragma on a section line is inert).
import type { ParsedFile, Range, Section } from '../parse/model.js';
import type { Finding, Fix, Pragma, PragmaProblem, PragmaRuleRef, PragmaScan, PragmaScope } from './types.js';

export type { Pragma, PragmaProblem, PragmaRuleRef, PragmaScan, PragmaScope } from './types.js';

/** How pragma rule names are understood (the registry's lookups, passed in to keep this module a leaf). */
export interface RuleNames {
  /** Canonical id for a rule name, undefined when unknown. */
  canonical(name: string): string | undefined;
  /** Closest known names, for "did you mean". */
  suggest(name: string): string[];
}

const PRAGMA = /(^|[ \t])#[ \t]*apptainer-lint\b(.*)$/i;
const DIRECTIVE = /^[ \t]*(ignore|ignore-section|ignore-file)[ \t]*=[ \t]*(.*)$/i;

const scans = new WeakMap<ParsedFile, WeakMap<RuleNames, PragmaScan>>();

/** Pragmas of a parsed file (computed once per file and naming scheme; the result is never mutated). */
export function scanPragmas(file: ParsedFile, names: RuleNames): PragmaScan {
  let byNames = scans.get(file);
  if (!byNames) scans.set(file, (byNames = new WeakMap()));
  let scan = byNames.get(names);
  if (!scan) {
    scan = computePragmas(file, names);
    byNames.set(names, scan);
  }
  return scan;
}

interface Line {
  number: number;
  offset: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  let number = 1;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    const raw = text.slice(offset, end);
    lines.push({ number, offset, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw });
    if (newline === -1) break;
    offset = newline + 1;
    number++;
  }
  return lines;
}

/** Last line a range touches (a range ending at column 0 of a line ends on the line before). */
export function lastLineOf(range: Range): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}

function computePragmas(file: ParsedFile, names: RuleNames): PragmaScan {
  const { text } = file;
  const pragmas: Pragma[] = [];
  const problems: PragmaProblem[] = [];
  if (!/apptainer-lint/i.test(text)) return { pragmas, problems };

  const lines = splitLines(text);
  const sections: Section[] = file.stages.flatMap((stage) => stage.sections);
  const sectionAtOffset = (offset: number) =>
    sections.find((s) => s.range.start.offset <= offset && (offset < s.range.end.offset || lastLineOf(s.range) === file.positionAt(offset).line));
  const rangeOf = (start: number, end: number): Range => ({ start: file.positionAt(start), end: file.positionAt(end) });
  const pragmaOnlyLines = new Set<number>();
  const found: { line: Line; hashOffset: number; rest: string; restOffset: number; trailing: boolean }[] = [];

  for (const line of lines) {
    const match = PRAGMA.exec(line.text);
    if (!match) continue;
    const hashOffset = line.offset + match.index + match[1].length;
    const before = line.text.slice(0, match.index + match[1].length);
    const trailing = before.trim() !== '';
    if (!trailing) pragmaOnlyLines.add(line.number);
    const rest = match[2];
    found.push({ line, hashOffset, rest, restOffset: line.offset + line.text.length - rest.length, trailing });
  }

  const nextTargetLine = (after: number): number | undefined => {
    for (let index = after; index < lines.length; index++) {
      const line = lines[index];
      if (line.text.trim() !== '' && !pragmaOnlyLines.has(line.number)) return line.number;
    }
    return undefined;
  };

  for (const { line, hashOffset, rest, restOffset, trailing } of found) {
    const range = rangeOf(hashOffset, line.offset + line.text.length);
    const [body, ...reasonParts] = rest.split(/(?:^|[ \t])--(?:[ \t]|$)/);
    const reason = reasonParts.join(' -- ').trim() || undefined;
    const directive = DIRECTIVE.exec(body);
    if (!directive) {
      problems.push({ messageId: 'malformed', range });
      continue;
    }
    const listOffset = restOffset + body.length - directive[2].length;
    const rules: PragmaRuleRef[] = [];
    const namePattern = /[^\s,]+/g;
    for (let m = namePattern.exec(directive[2]); m; m = namePattern.exec(directive[2])) {
      const nameRange = rangeOf(listOffset + m.index, listOffset + m.index + m[0].length);
      const id = names.canonical(m[0]);
      if (id) {
        rules.push({ name: m[0], id, range: nameRange });
        continue;
      }
      const hint = names.suggest(m[0])[0];
      problems.push({
        messageId: hint ? 'unknownRuleDidYouMean' : 'unknownRule',
        data: { name: m[0], hint: hint ?? '' },
        range: nameRange,
        suggestions: hint
          ? [{ description: `Replace with '${hint}'`, edits: [{ start: nameRange.start.offset, end: nameRange.end.offset, text: hint }] }]
          : undefined,
      });
    }
    if (rules.length === 0) {
      if (!directive[2].trim()) problems.push({ messageId: 'noRule', range });
      continue;
    }

    const kind = directive[1].toLowerCase();
    const section = sectionAtOffset(hashOffset);
    const onSectionLine = section !== undefined && section.lineRange.start.line === line.number;
    let scope: PragmaScope = 'line';
    let fromLine = line.number;
    let toLine = line.number;
    if (kind === 'ignore-file') {
      scope = 'file';
      fromLine = 1;
      toLine = lines.length;
    } else if (kind === 'ignore-section' || onSectionLine) {
      if (!section) {
        problems.push({ messageId: 'sectionOutside', range });
        continue;
      }
      scope = 'section';
      fromLine = section.range.start.line;
      toLine = lastLineOf(section.range);
    } else if (!trailing) {
      const target = nextTargetLine(line.number);
      fromLine = target ?? 0;
      toLine = target ?? -1;
    }
    pragmas.push({ scope, rules, reason, range, ownLine: !trailing, fromLine, toLine });
  }
  return { pragmas, problems };
}

/** Which pragma suppressed which rules, during one lint run. */
export type PragmaUse = Map<Pragma, Set<string>>;

/**
 * Marks findings covered by a pragma as suppressed (in place) and records in `use` which pragma
 * entries were used. With `notBySelf`, a pragma does not suppress findings located inside itself.
 */
export function applyPragmas(findings: Finding[], pragmas: readonly Pragma[], use: PragmaUse, options: { notBySelf?: boolean } = {}): void {
  if (pragmas.length === 0) return;
  for (const finding of findings) {
    if (finding.suppressed) continue;
    const line = finding.range.start.line;
    const offset = finding.range.start.offset;
    for (const pragma of pragmas) {
      if (line < pragma.fromLine || line > pragma.toLine) continue;
      // A finding about a pragma (DEF990 unused) cannot be silenced by that same pragma.
      if (options.notBySelf && pragma.range.start.offset <= offset && offset < pragma.range.end.offset) continue;
      if (!pragma.rules.some((rule) => rule.id === finding.ruleId)) continue;
      let used = use.get(pragma);
      if (!used) use.set(pragma, (used = new Set()));
      used.add(finding.ruleId);
      finding.suppressed = { kind: 'inSource', justification: pragma.reason };
      break;
    }
  }
}

/** Edits that delete one rule name from a pragma, or the whole pragma when it is its only name. */
export function removalFix(file: ParsedFile, pragma: Pragma, ruleIds: readonly string[]): Fix {
  const remaining = pragma.rules.filter((rule) => !ruleIds.includes(rule.id));
  if (remaining.length === 0) {
    const { text } = file;
    let start = pragma.range.start.offset;
    let end = pragma.range.end.offset;
    if (pragma.ownLine) {
      // Delete the whole line, including its line break.
      start = text.lastIndexOf('\n', start - 1) + 1;
      if (text[end] === '\r') end++;
      if (text[end] === '\n') end++;
    } else {
      while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    }
    return { description: 'Remove the unused pragma', edits: [{ start, end, text: '' }] };
  }
  const first = pragma.rules[0].range.start.offset;
  const last = pragma.rules[pragma.rules.length - 1].range.end.offset;
  return {
    description: `Remove ${ruleIds.join(', ')} from the pragma`,
    edits: [{ start: first, end: last, text: remaining.map((rule) => rule.name).join(',') }],
  };
}
