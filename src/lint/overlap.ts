// One problem, one finding: after every rule and ShellCheck ran, findings that repeat a more
// specific finding are dropped, bashism advice is capped where /bin/sh is bash, and long runs of
// one rule in one section are grouped (issue 13: "report one problem once", "group repeats").
//
// Which finding wins (documented in docs/linting.md, "One problem, one finding"):
//  - DEF301 bashism-in-sh over ShellCheck's SC3xxx on the same line: DEF301 knows which /bin/sh
//    the base image has (dash: the build fails; bash: it works).
//  - DEF213 runscript-drops-args over SC2068/SC2048/SC2145 on the same line: DEF213 knows these
//    are a runscript's arguments and offers the fix.
//  - DEF405 lang-packages-unpinned over SC2102 on the same word: `pip install dask[complete]` is
//    one problem (an unquoted requirement with extras), which DEF405 names as such.
import type { ParsedFile, Section, Stage } from '../parse/model.js';
import type { Finding } from './types.js';
import { binShOf } from './vocab/base-image.js';

const SHADOWS: { rule: string; codes: RegExp; same: 'line' | 'range' }[] = [
  { rule: 'DEF301', codes: /^SC3\d{3}$/, same: 'line' },
  { rule: 'DEF213', codes: /^SC(2068|2048|2145)$/, same: 'line' },
  { rule: 'DEF405', codes: /^SC2102$/, same: 'range' },
];

/** Drops ShellCheck findings that a more specific DEF rule reports on the same line or range. */
export function dropShadowed(findings: Finding[]): Finding[] {
  const shadowing = findings.filter((finding) => SHADOWS.some((shadow) => shadow.rule === finding.ruleId));
  if (shadowing.length === 0) return findings;
  const overlaps = (a: Finding, b: Finding) =>
    a.range.start.offset < Math.max(b.range.end.offset, b.range.start.offset + 1) &&
    b.range.start.offset < Math.max(a.range.end.offset, a.range.start.offset + 1);
  return findings.filter(
    (finding) =>
      !SHADOWS.some(
        (shadow) =>
          shadow.codes.test(finding.ruleId) &&
          shadowing.some(
            (other) =>
              other.ruleId === shadow.rule && (shadow.same === 'line' ? other.range.start.line === finding.range.start.line : overlaps(other, finding)),
          ),
      ),
  );
}

const BASHISM_CODE = /^SC3\d{3}$/;

/** ShellCheck's bashism warnings (SC3xxx) are at most info where the stage's /bin/sh is bash. */
export function capBashismsOnBashBases(findings: Finding[], file: ParsedFile, fromOf: (stage: Stage) => string | undefined): Finding[] {
  // Most lints have none to cap (no ShellCheck, or no SC3xxx): the list is returned as it is.
  if (!findings.some((finding) => BASHISM_CODE.test(finding.ruleId) && finding.severity !== 'info' && finding.severity !== 'style')) return findings;
  return findings.map((finding) => {
    if (!BASHISM_CODE.test(finding.ruleId) || finding.severity === 'info' || finding.severity === 'style') return finding;
    const stage = file.stages.find((s) => s.range.start.offset <= finding.range.start.offset && finding.range.start.offset <= s.range.end.offset);
    if (!stage || binShOf(stage.headerValues['bootstrap'], fromOf(stage)) !== 'bash') return finding;
    return { ...finding, severity: 'info', message: `${finding.message} (/bin/sh is bash on this base image)` };
  });
}

/** Findings of one rule in one section beyond this many are folded into the first. */
export const GROUP_AFTER = 5;

/** The first section (in file order) whose range holds `offset`; `sections` are in file order. */
function sectionOf(sections: readonly Section[], offset: number): Section | undefined {
  // Binary search for the last section starting at or before the offset, then step back over
  // earlier sections that still hold it (ranges touch: one may end where the next starts).
  let low = 0;
  let high = sections.length - 1;
  let at = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (sections[middle].range.start.offset <= offset) {
      at = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  let found: Section | undefined;
  for (let i = at; i >= 0 && sections[i].range.end.offset >= offset; i--) found = sections[i];
  return found;
}

/**
 * More than GROUP_AFTER info/style findings of one rule in one section become one finding (the
 * first, its message naming the other lines): 44 "archive never deleted" findings in one %post are
 * one piece of advice. Errors and warnings, findings with a fix (so `--fix` still fixes them all)
 * and suppressed findings are never grouped.
 */
export function groupRepeats(findings: Finding[], file: ParsedFile): Finding[] {
  // Per section, then per rule: no key string per finding (a large file has hundreds of info findings).
  const groups = new Map<Section, Map<string, Finding[]>>();
  const sections = file.stages.flatMap((stage) => stage.sections);
  const blank = new Map<Section, boolean>();
  for (const finding of findings) {
    if ((finding.severity !== 'info' && finding.severity !== 'style') || finding.fix || finding.suppressed) continue;
    const section = sectionOf(sections, finding.range.start.offset);
    if (!section) continue;
    let empty = blank.get(section);
    if (empty === undefined) blank.set(section, (empty = section.body.trim() === ''));
    if (empty) continue;
    let byRule = groups.get(section);
    if (!byRule) groups.set(section, (byRule = new Map()));
    const group = byRule.get(finding.ruleId);
    if (group) group.push(finding);
    else byRule.set(finding.ruleId, [finding]);
  }
  const dropped = new Set<Finding>();
  const replaced = new Map<Finding, Finding>();
  for (const [section, byRule] of groups) {
    for (const group of byRule.values()) {
      if (group.length <= GROUP_AFTER) continue;
      const [first, ...rest] = group;
      for (const finding of rest) dropped.add(finding);
      const lines = [...new Set(rest.map((f) => f.range.start.line))];
      const shown = lines.slice(0, 8).join(', ') + (lines.length > 8 ? ', …' : '');
      const name = section.app ? `%${section.name} ${section.app}` : `%${section.name}`;
      replaced.set(first, { ...first, message: `${first.message} (and ${rest.length} more in ${name}: line${lines.length > 1 ? 's' : ''} ${shown})` });
    }
  }
  if (dropped.size === 0) return findings;
  return findings.filter((finding) => !dropped.has(finding)).map((finding) => replaced.get(finding) ?? finding);
}
