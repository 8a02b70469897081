// Verifying a pass of fixes before it is kept: the text is parsed and linted again, and the pass
// is kept only when (1) every applied fix cleared its own finding, (2) no new error-severity
// finding appeared, and (3) Apptainer's parse result changed only in the parts the fixes edited
// (the header, or the sections whose text they touched). A fix that fails is rejected and never
// tried again in this run, so a fix that cannot clear its finding cannot grow the file pass after
// pass (issue 13: a DEF601 fix appended inside an unterminated heredoc, once per `--fix` run).
import type { ApptainerDefinition, ApptainerResult, ParsedFile } from '../parse/model.js';
import type { Finding, TextEdit } from './types.js';

/** A linted text: its parse and its findings. */
export interface LintedText {
  file: ParsedFile;
  findings: Finding[];
}

/** Why a pass of fixes was not kept (for messages and tests). */
export type FixProblem = { kind: 'not-cleared'; finding: Finding } | { kind: 'new-error'; finding: Finding } | { kind: 'parse-changed'; detail: string };

/** Where an offset of the old text lands in the new one; `before` puts insertions at the offset after it. */
export function mapOffset(offset: number, edits: readonly TextEdit[], before = false): number {
  let shift = 0;
  for (const edit of edits) {
    if (edit.start > offset || (before && edit.start === offset && edit.end === offset)) break;
    if (edit.end > offset) return edit.start + shift;
    shift += edit.text.length - (edit.end - edit.start);
  }
  return offset + shift;
}

/** A key that names a fix independently of offsets, so a rejected fix stays rejected in later passes. */
export function fixKey(finding: Finding, text: string): string {
  const start = finding.range.start.offset;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', start);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  const edits = (finding.fix?.edits ?? []).map((edit) => `${text.slice(edit.start, edit.end)}\u0001${edit.text}`).join('\u0002');
  return [finding.ruleId, finding.message, line, edits].join('\u0000');
}

const isLive = (finding: Finding) => !finding.suppressed;

/** Checks one pass: `applied` fixes turned `before` into `after` through the sorted `edits`. */
export function verifyFixPass(before: LintedText, after: LintedText, applied: readonly Finding[], edits: readonly TextEdit[]): FixProblem | undefined {
  for (const finding of applied) {
    const start = finding.range.start.offset;
    const low = mapOffset(start, edits, true);
    const high = mapOffset(start, edits);
    const still = after.findings.find(
      (other) =>
        isLive(other) &&
        other.ruleId === finding.ruleId &&
        other.message === finding.message &&
        other.range.start.offset >= low &&
        other.range.start.offset <= high,
    );
    if (still) return { kind: 'not-cleared', finding };
  }
  const errorCounts = new Map<string, number>();
  const errorKey = (finding: Finding) => `${finding.ruleId}\u0000${finding.message}`;
  for (const finding of before.findings) {
    if (isLive(finding) && finding.severity === 'error') errorCounts.set(errorKey(finding), (errorCounts.get(errorKey(finding)) ?? 0) + 1);
  }
  for (const finding of after.findings) {
    if (!isLive(finding) || finding.severity !== 'error') continue;
    const left = errorCounts.get(errorKey(finding)) ?? 0;
    if (left === 0) return { kind: 'new-error', finding };
    errorCounts.set(errorKey(finding), left - 1);
  }
  const detail = parseChange(before.file, after.file, edits);
  return detail ? { kind: 'parse-changed', detail } : undefined;
}

/** The parts of Apptainer's result a set of edits may change: `header` and section keys (`post`, `apprun foo`). */
function touchedParts(file: ParsedFile, ranges: readonly { start: number; end: number }[]): Set<string> {
  const parts = new Set<string>();
  const touches = (start: number, end: number) => ranges.some((range) => range.start <= end && start <= range.end);
  for (const stage of file.stages) {
    if (touches(stage.headerRange.start.offset, stage.headerRange.end.offset)) parts.add('header');
    for (const section of stage.sections) {
      if (!touches(section.range.start.offset, section.range.end.offset)) continue;
      parts.add(section.app ? `${section.name} ${section.app}` : section.name);
      if (section.app) parts.add('appOrder');
    }
  }
  return parts;
}

const IMAGE_SCRIPTS: Record<string, keyof ApptainerDefinition['imageData']['imageScripts']> = {
  help: 'help',
  environment: 'environment',
  runscript: 'runScript',
  test: 'test',
  startscript: 'startScript',
};
const BUILD_SCRIPTS = new Set(['pre', 'setup', 'post', 'test', 'arguments']);
const MASK = { args: '*', script: '*' };

/** A definition with the touched parts blanked out, as comparable JSON. */
function masked(def: ApptainerDefinition, parts: ReadonlySet<string>): string {
  const copy = structuredClone(def) as ApptainerDefinition;
  const buildScripts = copy.buildData.buildScripts as unknown as Record<string, unknown>;
  for (const part of parts) {
    if (part === 'header') copy.header = null;
    else if (part === 'appOrder') copy.appOrder = [];
    else if (part === 'labels') copy.imageData.labels = {};
    else if (part === 'files') copy.buildData.files = [];
    else if (part.includes(' ')) {
      if (copy.customData) delete copy.customData[part];
    } else {
      if (IMAGE_SCRIPTS[part]) copy.imageData.imageScripts[IMAGE_SCRIPTS[part]] = MASK;
      if (BUILD_SCRIPTS.has(part)) buildScripts[part] = MASK;
    }
  }
  if (copy.customData && Object.keys(copy.customData).length === 0) copy.customData = null;
  return JSON.stringify(copy);
}

/** Describes a change of Apptainer's parse result outside the edited parts, if any. */
export function parseChange(before: ParsedFile, after: ParsedFile, edits: readonly TextEdit[]): string | undefined {
  const old: ApptainerResult = before.apptainer;
  const now: ApptainerResult = after.apptainer;
  if (!old.ok) return undefined; // a file Apptainer rejects may be repaired or stay rejected
  if (!now.ok) return `Apptainer no longer accepts the file: ${now.error}`;
  // Parts are named from the text before the edits: a fix that creates a section (a `%runscript`
  // line inserted into %post) changes a part no edit was in, and is caught.
  const parts = touchedParts(before, edits);
  if (old.defs.length !== now.defs.length) {
    // Moving a misplaced `Bootstrap:` (DEF102) merges a header-only chunk into its stage.
    return parts.has('header') ? undefined : `the file now has ${now.defs.length} stages instead of ${old.defs.length}`;
  }
  for (let i = 0; i < old.defs.length; i++) {
    if (masked(old.defs[i], parts) !== masked(now.defs[i], parts)) return `stage ${i + 1} changed outside the edited parts`;
  }
  return undefined;
}
