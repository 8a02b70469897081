// Applying safe fixes. Each finding's fix is a set of edits in offsets of the linted text; a fix
// is taken whole or not at all, and never when it overlaps an edit already taken in this pass.
// Edits only replace their own [start, end) span, so bytes outside every fix stay untouched.
import type { Finding, Fix, TextEdit } from './types.js';
import { fixKey, verifyFixPass, type FixProblem, type LintedText } from './fix-verify.js';

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
  /** Fixes not applied because they failed verification (see fix-verify.ts), with the reason. */
  rejected: { finding: Finding; problem: FixProblem }[];
}

/** The edits of `applied`, as applyFixes took them (sorted, duplicates kept once by offset order). */
function editsOf(applied: readonly Finding[]): TextEdit[] {
  return applied.flatMap((finding) => finding.fix!.edits).sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Lints and fixes repeatedly until no safe fix applies or the text stops changing (at most
 * `maxPasses` passes), so fixes that enable other fixes converge and a second run is a no-op.
 * Every pass is verified (fix-verify.ts); when a pass fails, its fixes are tried one at a time
 * and those that fail are rejected for the rest of the run.
 */
export async function fixUntilStable(text: string, lintText: (text: string) => Promise<LintedText>, maxPasses = 10): Promise<FixLoopResult> {
  let current = await lintText(text);
  let passes = 0;
  let fixedCount = 0;
  const rejectedKeys = new Set<string>();
  const rejected: FixLoopResult['rejected'] = [];
  const reject = (finding: Finding, problem: FixProblem) => {
    rejectedKeys.add(fixKey(finding, current.file.text));
    rejected.push({ finding, problem });
  };
  /** Applies `findings`' fixes to the current text; returns the next state when the pass verifies. */
  const attempt = async (findings: readonly Finding[]): Promise<{ next?: LintedText; applied: Finding[]; problem?: FixProblem }> => {
    const { output, applied } = applyFixes(current.file.text, findings);
    if (applied.length === 0 || output === current.file.text) return { applied: [] };
    const next = await lintText(output);
    const problem = verifyFixPass(current, next, applied, editsOf(applied));
    return problem ? { applied, problem } : { next, applied };
  };
  while (passes < maxPasses) {
    const candidates = current.findings.filter((finding) => finding.fix && !rejectedKeys.has(fixKey(finding, current.file.text)));
    const pass = await attempt(candidates);
    if (pass.applied.length === 0) break;
    let accepted = pass.next ? pass : undefined;
    if (!accepted) {
      // Find the culprit(s): each fix alone, in order; the first that verifies is kept.
      for (const finding of pass.applied) {
        const single = await attempt([finding]);
        if (single.next) {
          accepted = single;
          break;
        }
        reject(finding, single.problem ?? pass.problem!);
      }
    }
    if (!accepted?.next) continue;
    current = accepted.next;
    passes++;
    fixedCount += accepted.applied.length;
  }
  return { output: current.file.text, passes, findings: current.findings, fixedCount, rejected };
}
