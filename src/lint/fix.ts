// Applying safe fixes. Each finding's fix is a set of edits in offsets of the linted text; a fix
// is taken whole or not at all, and never when it overlaps an edit already taken in this pass.
// Edits only replace their own [start, end) span, so bytes outside every fix stay untouched.
import type { Finding, Fix, TextEdit } from './types.js';

export interface FixResult {
  output: string;
  /** Findings whose fix was applied. */
  applied: Finding[];
}

function isValidFix(fix: Fix, length: number): boolean {
  return (
    fix.edits.length > 0 &&
    fix.edits.every((edit) => Number.isInteger(edit.start) && Number.isInteger(edit.end) && 0 <= edit.start && edit.start <= edit.end && edit.end <= length)
  );
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at the same point conflict too (their order would be arbitrary).
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies the safe fixes of unsuppressed findings that do not conflict, in one pass. */
export function applyFixes(text: string, findings: readonly Finding[]): FixResult {
  const candidates = findings
    .filter((finding) => finding.fix && !finding.suppressed && isValidFix(finding.fix, text.length))
    .sort((a, b) => Math.min(...a.fix!.edits.map((e) => e.start)) - Math.min(...b.fix!.edits.map((e) => e.start)));
  const taken: TextEdit[] = [];
  const applied: Finding[] = [];
  for (const finding of candidates) {
    const edits = finding.fix!.edits;
    const selfOverlap = edits.some((edit, i) => edits.some((other, j) => i < j && overlaps(edit, other)));
    if (selfOverlap || edits.some((edit) => taken.some((other) => overlaps(edit, other)))) continue;
    // Two fixes making the very same edit (e.g. two findings, one fix) count once.
    taken.push(...edits);
    applied.push(finding);
  }
  // An insertion at the start of a replaced span goes before it.
  taken.sort((a, b) => a.start - b.start || a.end - b.end);
  let output = '';
  let cursor = 0;
  for (const edit of taken) {
    output += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  output += text.slice(cursor);
  return { output, applied };
}

export interface FixLoopResult {
  output: string;
  /** Number of passes that changed the text. */
  passes: number;
  /** Findings of the final text. */
  findings: Finding[];
  fixedCount: number;
}

/**
 * Lints and fixes repeatedly until no safe fix applies or the text stops changing (at most
 * `maxPasses` passes), so fixes that enable other fixes converge and a second run is a no-op.
 */
export async function fixUntilStable(text: string, lintText: (text: string) => Promise<Finding[]>, maxPasses = 10): Promise<FixLoopResult> {
  let current = text;
  let findings = await lintText(current);
  let passes = 0;
  let fixedCount = 0;
  while (passes < maxPasses) {
    const { output, applied } = applyFixes(current, findings);
    if (applied.length === 0 || output === current) break;
    current = output;
    passes++;
    fixedCount += applied.length;
    findings = await lintText(current);
  }
  return { output: current, passes, findings, fixedCount };
}
