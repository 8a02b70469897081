// The def-file formatter. It rewrites only what Apptainer's parser provably ignores:
//  - header lines: canonical key spelling (`Bootstrap:`, `MirrorURL:` ...), `Key: value` spacing,
//    no indentation, `Bootstrap:` first, one blank line after the header;
//  - `%files` and `%labels` bodies, which Apptainer trims line by line: trailing whitespace and
//    surrounding blank lines (one blank line before the next section);
//  - CRLF line ends (Apptainer drops the CR) and a missing final newline.
// Script bodies (`%post`, `%help`, `%environment`, app sections ...) are stored verbatim by
// Apptainer, so even their trailing whitespace and blank lines are part of the parse result;
// they are left exactly as written. Every result is checked against the parser: if Apptainer
// would read the formatted text differently, a more conservative layout is tried, and in the
// end the text is returned unchanged.
import { parse } from '../parse/index.js';
import type { HeaderEntry, ParsedFile, Range, Section, Stage } from '../parse/model.js';
import { canonicalHeaderKey } from './canonical.js';
import { sameApptainerResult } from './equivalence.js';

export interface FormatSteps {
  /** Canonical header keys, spacing, order and blank lines. */
  header: boolean;
  /** Tidy `%files` / `%labels` bodies and the blank lines after them. */
  bodies: boolean;
  /** CRLF → LF. */
  lineEnds: boolean;
  /** Add a missing final newline. */
  finalNewline: boolean;
}

export interface FormatResult {
  text: string;
  changed: boolean;
  /** Which steps were applied (after falling back from the ones that would change meaning). */
  steps: FormatSteps | null;
}

const ALL_STEPS: FormatSteps = { header: true, bodies: true, lineEnds: true, finalNewline: true };

/** Fallback order: each entry is tried until one keeps Apptainer's parse result. */
const STEP_LADDER: FormatSteps[] = [
  ALL_STEPS,
  { header: true, bodies: true, lineEnds: true, finalNewline: false },
  { header: true, bodies: false, lineEnds: true, finalNewline: false },
  { header: true, bodies: false, lineEnds: false, finalNewline: false },
  { header: false, bodies: false, lineEnds: true, finalNewline: false },
];

/** Formats a def file; returns the text unchanged when no safe change exists. */
export function format(text: string): string {
  return formatDetailed(text).text;
}

export function formatDetailed(text: string, original: ParsedFile = parse(text)): FormatResult {
  for (const steps of STEP_LADDER) {
    const candidate = layout(original, steps);
    if (candidate === text) return { text, changed: false, steps };
    if (sameApptainerResult(parse(candidate).apptainer, original.apptainer)) {
      return { text: candidate, changed: true, steps };
    }
  }
  return { text, changed: false, steps: null };
}

/** The last 1-based line a range touches (a range ending at column 0 of a line stops before it). */
function lastLine(range: Range): number {
  if (range.end.line > range.start.line && range.end.character === 0) return range.end.line - 1;
  return range.end.line;
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Sections whose body Apptainer parses line by line after trimming, storing no raw text. */
function hasTrimmedBody(section: Section): boolean {
  return section.kind === 'standard' && (section.name === 'files' || section.name === 'labels');
}

/** Builds the formatted text for the given steps (without checking it). */
export function layout(parsed: ParsedFile, steps: FormatSteps): string {
  const text = parsed.text;
  const endsWithNewline = text.endsWith('\n');
  const rawLines = text.split('\n');
  if (endsWithNewline) rawLines.pop();
  // 1-based access; a trailing CR is Apptainer-neutral (its scanner drops one per line).
  const line = (n: number): string => {
    const raw = rawLines[n - 1] ?? '';
    // A line ending in two CRs keeps both: dropping one would leave a CRLF that the next run
    // would convert again (formatting must be idempotent).
    return steps.lineEnds && raw.endsWith('\r') && !raw.endsWith('\r\r') ? raw.slice(0, -1) : raw;
  };
  const out: string[] = [];
  const emitRaw = (n: number): void => {
    out.push(line(n));
  };

  const stages = parsed.stages;
  const totalLines = rawLines.length;
  let next = 1;
  for (let s = 0; s < stages.length; s++) {
    const stage = stages[s];
    const stageStart = Math.max(next, stage.range.start.line);
    // Lines the model does not place in a stage (should not happen) are kept as they are.
    while (next < stageStart) emitRaw(next++);
    const stageEnd = s + 1 < stages.length ? stages[s + 1].range.start.line - 1 : totalLines;
    const firstSectionLine = stage.sections.length > 0 ? stage.sections[0].lineRange.start.line : stageEnd + 1;
    const headerEnd = Math.min(firstSectionLine - 1, stageEnd);
    const isLastStage = s === stages.length - 1;
    if (stageStart <= headerEnd) {
      const headerLines = formatHeader(stage, stageStart, headerEnd, line, steps, {
        followedBySection: stage.sections.length > 0,
        atEndOfFile: isLastStage && stage.sections.length === 0,
      });
      out.push(...headerLines);
    }
    next = Math.max(next, headerEnd + 1);
    for (let i = 0; i < stage.sections.length; i++) {
      const section = stage.sections[i];
      const sectionLine = section.lineRange.start.line;
      while (next < sectionLine) emitRaw(next++);
      const followingStart = i + 1 < stage.sections.length ? stage.sections[i + 1].lineRange.start.line : stageEnd + 1;
      const bodyEnd = followingStart - 1;
      emitRaw(sectionLine);
      next = sectionLine + 1;
      const atEndOfFile = isLastStage && i === stage.sections.length - 1;
      if (steps.bodies && hasTrimmedBody(section) && bodyEnd >= next) {
        const body: string[] = [];
        for (let n = next; n <= bodyEnd; n++) body.push(line(n).trimEnd());
        while (body.length > 0 && body[body.length - 1] === '') body.pop();
        out.push(...body);
        if (!atEndOfFile) out.push('');
        next = bodyEnd + 1;
      } else {
        while (next <= bodyEnd) emitRaw(next++);
      }
    }
    while (next <= stageEnd) emitRaw(next++);
  }
  while (next <= totalLines) emitRaw(next++);

  let result = out.join('\n');
  if (endsWithNewline || (steps.finalNewline && out.length > 0 && result !== '')) result += '\n';
  return result;
}

interface HeaderItem {
  kind: 'entry' | 'blank' | 'other';
  lines: string[];
  entry?: HeaderEntry;
}

/** Formats the header region [from, to] (1-based lines) of a stage. */
function formatHeader(
  stage: Stage,
  from: number,
  to: number,
  line: (n: number) => string,
  steps: FormatSteps,
  where: { followedBySection: boolean; atEndOfFile: boolean },
): string[] {
  const raw: string[] = [];
  for (let n = from; n <= to; n++) raw.push(line(n));
  if (!steps.header) return raw;

  const entries = stage.header ?? [];
  const entryAt = new Map<number, HeaderEntry>();
  for (const entry of entries) entryAt.set(entry.range.start.line, entry);

  const items: HeaderItem[] = [];
  for (let n = from; n <= to; n++) {
    const entry = entryAt.get(n);
    if (entry) {
      const end = Math.min(lastLine(entry.range), to);
      const lines: string[] = [];
      for (let k = n; k <= end; k++) lines.push(line(k));
      items.push({ kind: 'entry', lines, entry });
      n = end;
    } else if (isBlank(line(n))) {
      items.push({ kind: 'blank', lines: [''] });
    } else {
      items.push({ kind: 'other', lines: [line(n)] });
    }
  }

  // A pending continuation followed by a blank or comment line crashes Apptainer, and a dropped
  // entry depends on being last: in those headers only line-local rewrites are safe.
  const fragile = entries.some((e) => e.continued || e.dropped);
  const firstEntryIndex = items.findIndex((item) => item.kind === 'entry');
  const bootstrapIndexes = items.map((item, index) => (item.entry?.key === 'bootstrap' ? index : -1)).filter((index) => index >= 0);

  // Move a lone `Bootstrap:` in front of the other keys. Only stage 0 can have one elsewhere
  // (every later stage starts at a `bootstrap:` line), so this never merges or splits stages.
  // Only comments and blank lines may precede the stage's first key: the part of the stage
  // before a column-0 `Bootstrap:` then forms an empty chunk, which Apptainer drops.
  const cleanStart = items.slice(0, Math.max(firstEntryIndex, 0)).every((item) => item.kind === 'blank' || isComment(item.lines[0]));
  if (!fragile && cleanStart && bootstrapIndexes.length === 1 && firstEntryIndex >= 0) {
    const index = bootstrapIndexes[0];
    const bootstrapItem = items[index];
    if (index !== firstEntryIndex && isRewritable(bootstrapItem.entry!)) {
      items.splice(index, 1);
      items.splice(firstEntryIndex, 0, bootstrapItem);
    }
  }

  const result: string[] = [];
  let seenEntry = false;
  for (const item of items) {
    if (item.kind === 'entry') {
      const entry = item.entry!;
      if (entry.key === 'bootstrap') {
        // Writing `Bootstrap:` at column 0 starts a stage, so only the stage's first key may be
        // rewritten that way; any other one keeps its indentation.
        const startsStage = /^bootstrap:/i.test(item.lines[0]);
        if (isRewritable(entry) && (startsStage || (!seenEntry && !fragile && cleanStart))) result.push(rewriteEntry(entry, item.lines[0]));
        else result.push(...item.lines.map((l) => l.trimEnd()));
      } else if (isRewritable(entry)) {
        result.push(rewriteEntry(entry, item.lines[0]));
      } else {
        // Continuation lines keep their indentation: dedented, one could read as `bootstrap:`.
        result.push(...item.lines.map((l, k) => (k === 0 ? l.trim() : l.trimEnd())));
      }
      seenEntry = true;
    } else if (item.kind === 'other') {
      // Comments lose their indentation (Apptainer trims header lines); a line Apptainer rejects
      // is left as written, apart from trailing whitespace.
      const text = item.lines[0];
      result.push(!fragile && isComment(text) ? text.trim() : text.trimEnd());
    } else {
      result.push('');
    }
  }
  if (fragile) return result;

  // Blank lines: none at the start of the file (Apptainer trims the header), none doubled, and
  // exactly one between the header and the first section (none at the end of the file).
  const tidy: string[] = [];
  for (const l of result) {
    if (l === '' && (tidy.length === 0 || tidy[tidy.length - 1] === '')) continue;
    tidy.push(l);
  }
  const hadTrailingBlank = tidy.length > 0 && tidy[tidy.length - 1] === '';
  while (tidy.length > 0 && tidy[tidy.length - 1] === '') tidy.pop();
  // Blank lines before a first section on line 1 matter to Apptainer (§3.4): keep those.
  if (tidy.length === 0) return stage.header === null && where.followedBySection ? raw : [];
  // Before the first section: exactly one blank line. Before the next stage: at most one, as
  // written (a comment block above `Bootstrap:` may or may not be separated from it).
  if (where.followedBySection || (!where.atEndOfFile && hadTrailingBlank)) tidy.push('');
  return tidy;
}

function isComment(line: string): boolean {
  return line.trimStart().startsWith('#');
}

function isRewritable(entry: HeaderEntry): boolean {
  return entry.valid && !entry.continued && !entry.dropped && canonicalHeaderKey(entry.key) !== undefined;
}

/** `Key: value # comment` with the canonical key, from the entry's first (only) line. */
function rewriteEntry(entry: HeaderEntry, rawLine: string): string {
  const key = canonicalHeaderKey(entry.key)!;
  const hash = rawLine.indexOf('#');
  const comment = hash >= 0 ? rawLine.slice(hash).trimEnd() : '';
  const parts = [`${key}:`];
  if (entry.value !== '') parts.push(entry.value);
  if (comment !== '') parts.push(comment);
  return parts.join(' ');
}
