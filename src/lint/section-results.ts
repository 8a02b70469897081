// Per-section findings kept between lints of one document (the language server re-lints after
// every keystroke, and a keystroke changes one section). Only rules whose meta says
// `scope: 'section'` take part: what they report about a section is decided by the section's
// own text and by the file's "frame", the text outside the bodies of shell sections (see
// RuleMeta.scope). So:
//  - the frame (plus the line-break style and which stages are empty) is compared with the
//    previous lint's; when it differs, everything kept is dropped;
//  - otherwise a section whose text (from its line start to its end) is the same as last time
//    gets that rule's previous findings, moved by whole lines to where the section is now, and
//    the rule's listeners are not called for it.
// Findings that leave their section (a fix editing the header, an internal error reported at
// the top of the file) are not kept: that section is linted again next time.
import type { ParsedFile, Position, Section } from '../parse/model.js';
import type { Finding, Fix, Rule } from './types.js';
import type { ResolvedConfig } from './config.js';

/** Which listener phase a finding came from: the section's `section` call, or its script's `script`/`command` calls. */
export type Phase = 'section' | 'script';

interface Kept {
  /** The section's text from the start of its first line to its end. */
  text: string;
  /** Offset and 1-based line of that start when the findings were made. */
  offset: number;
  line: number;
  section: Finding[][];
  script: Finding[][];
}

/** What a lint keeps of a section: its findings per slot, and the same findings laid out for replay. */
interface KeptSection extends Kept {
  /** True when some slot holds a finding from the `section` phase. */
  sectionFindings: boolean;
  /** The `script` phase's findings of every slot, in slot order (the order the walk reports them in). */
  scriptFindings: Finding[];
}

/** A kept section that matches, and how far it moved. */
export interface Reuse {
  kept: KeptSection;
  offsetDelta: number;
  lineDelta: number;
}

/** True for sections parsed as shell (their bodies are not part of the frame). */
function ownsBody(section: Section): boolean {
  return (section.shell !== undefined && section.shell.dialect !== 'other') || section.name === 'environment' || section.name === 'appenv';
}

/** Everything a section-scoped rule may read besides its own section, as one string. */
function frameOf(file: ParsedFile): string {
  const { text } = file;
  const parts: string[] = [file.filename ?? '', text.includes('\r\n') ? 'crlf' : 'lf', file.stages.map((stage) => (stage.empty ? 'e' : 's')).join('')];
  let at = 0;
  for (const stage of file.stages) {
    for (const section of stage.sections) {
      if (!ownsBody(section)) continue;
      parts.push(text.slice(at, section.bodyRange.start.offset));
      at = section.bodyRange.end.offset;
    }
  }
  parts.push(text.slice(at));
  return parts.join('\u0000');
}

const rulesKeys = new WeakMap<ResolvedConfig['rules'], string>();

function rulesKey(rules: ResolvedConfig['rules']): string {
  let key = rulesKeys.get(rules);
  if (key === undefined) rulesKeys.set(rules, (key = JSON.stringify(rules)));
  return key;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * The kept findings of one document. Give the same object to every lint of that document
 * (`runRules(file, config, { sectionResults })`); a new configuration or a changed frame empties it.
 */
export class SectionResults {
  private rules = '';
  private settings = '';
  private slotIds = '';
  private frame: string | undefined;
  private kept: (KeptSection | undefined)[] = [];
  /** What the last lint did: sections whose findings were reused, and sections linted. */
  readonly last = { reused: 0, linted: 0 };

  clear(): void {
    this.frame = undefined;
    this.kept = [];
  }

  /** Starts one lint: decides which sections can reuse their findings. */
  begin(file: ParsedFile, config: ResolvedConfig, slots: readonly Rule[]): SectionRun {
    const slotIds = slots.map((rule) => rule.meta.id).join(',');
    const frame = frameOf(file);
    // By value: lint() copies the settings when it merges `--build-arg` values, and a config
    // resolved again for the same file holds equal rules in a new object.
    const rules = rulesKey(config.rules);
    const settings = JSON.stringify(config.settings);
    if (rules !== this.rules || settings !== this.settings || slotIds !== this.slotIds || frame !== this.frame) {
      this.clear();
      this.rules = rules;
      this.settings = settings;
      this.slotIds = slotIds;
      this.frame = frame;
    }
    return new SectionRun(file, this.kept, slots.length, this.last);
  }
}

/** A section being linted afresh: what it will keep, with its position in the file. */
interface Pending extends Kept {
  index: number;
  end: number;
}

/** One lint's view of the kept findings: reuse for unchanged sections, capture for the others. */
export class SectionRun {
  private readonly reuses = new Map<Section, Reuse>();
  private readonly pending = new Map<Section, Pending>();

  constructor(
    file: ParsedFile,
    private readonly kept: (KeptSection | undefined)[],
    slotCount: number,
    stats: { reused: number; linted: number },
  ) {
    const { text } = file;
    let index = 0;
    stats.reused = 0;
    stats.linted = 0;
    for (const stage of file.stages) {
      for (const section of stage.sections) {
        const offset = lineStartOf(text, section.range.start.offset);
        const end = section.range.end.offset;
        const sectionText = text.slice(offset, end);
        const previous = kept[index];
        // Sections start at a line start unless their `%` line is indented.
        const line = offset === section.range.start.offset ? section.range.start.line : file.positionAt(offset).line;
        if (previous && previous.text === sectionText) {
          this.reuses.set(section, { kept: previous, offsetDelta: offset - previous.offset, lineDelta: line - previous.line });
          stats.reused++;
        } else {
          const empty = () => Array.from({ length: slotCount }, (): Finding[] => []);
          this.pending.set(section, { index, text: sectionText, offset, line, end, section: empty(), script: empty() });
          stats.linted++;
        }
        index++;
      }
    }
    kept.length = index;
  }

  /** The kept findings for this section, when it is unchanged. */
  reuse(section: Section): Reuse | undefined {
    return this.reuses.get(section);
  }

  /** Appends a rule's kept findings for a section, moved to where the section is now. */
  replay(reuse: Reuse, slot: number, phase: Phase, into: Finding[]): void {
    for (const finding of reuse.kept[phase][slot]) into.push(moved(finding, reuse.offsetDelta, reuse.lineDelta));
  }

  /**
   * Appends the kept `script`-phase findings of every slot at once, in slot order: what replaying
   * each slot in turn would append, without one call per slot and script (a 2,000-line file has
   * hundreds of scripts and dozens of slots, and most slots hold nothing).
   */
  replayScript(reuse: Reuse, into: Finding[]): void {
    const { scriptFindings } = reuse.kept;
    for (let i = 0; i < scriptFindings.length; i++) into.push(moved(scriptFindings[i], reuse.offsetDelta, reuse.lineDelta));
  }

  /** Records what a rule reported (`findings` from `from` on) about a section being linted. */
  capture(section: Section, slot: number, phase: Phase, findings: readonly Finding[], from: number): void {
    const pending = this.pending.get(section);
    if (!pending) return;
    // Copies: the lint goes on to mark suppressed findings in place.
    for (let i = from; i < findings.length; i++) pending[phase][slot].push({ ...findings[i] });
  }

  /** Keeps the findings of every section linted in this run whose findings stay inside it. */
  finish(): void {
    for (const pending of this.pending.values()) {
      const inside = (offset: number) => offset >= pending.offset && offset <= pending.end;
      const fits = (finding: Finding) =>
        inside(finding.range.start.offset) &&
        inside(finding.range.end.offset) &&
        [finding.fix, ...(finding.suggestions ?? [])].every((fix) => !fix || fix.edits.every((edit) => inside(edit.start) && inside(edit.end)));
      const ok = [...pending.section, ...pending.script].every((list) => list.every(fits));
      this.kept[pending.index] = ok
        ? {
            text: pending.text,
            offset: pending.offset,
            line: pending.line,
            section: pending.section,
            script: pending.script,
            sectionFindings: pending.section.some((list) => list.length > 0),
            scriptFindings: pending.script.flat(),
          }
        : undefined;
    }
  }
}

function movePosition(position: Position, offsetDelta: number, lineDelta: number): Position {
  return { offset: position.offset + offsetDelta, line: position.line + lineDelta, column: position.column, character: position.character };
}

function moveFix(fix: Fix, offsetDelta: number): Fix {
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, start: edit.start + offsetDelta, end: edit.end + offsetDelta })) };
}

/** A copy of a kept finding for a section that moved by whole lines (columns stay). */
function moved(finding: Finding, offsetDelta: number, lineDelta: number): Finding {
  if (offsetDelta === 0 && lineDelta === 0) return { ...finding };
  const copy: Finding = {
    ...finding,
    range: { start: movePosition(finding.range.start, offsetDelta, lineDelta), end: movePosition(finding.range.end, offsetDelta, lineDelta) },
  };
  if (finding.fix) copy.fix = moveFix(finding.fix, offsetDelta);
  if (finding.suggestions) copy.suggestions = finding.suggestions.map((fix) => moveFix(fix, offsetDelta));
  return copy;
}
