// Shared helpers for the shell, reproducibility, security and size rule families.
import type { HeaderEntry, ParsedFile, Range, Section, Stage } from '../../parse/model.js';
import type { Fix, RuleContext, ShellCommand, ShellScript, ShellWord } from '../types.js';

/** Scripts whose section satisfies `where`. */
export function scriptsWhere(ctx: RuleContext, where: (section: Section) => boolean): ShellScript[] {
  return ctx.scripts.filter((s) => where(s.section));
}

/** Every command of the scripts whose section satisfies `where`, with its script. */
export function* commandsWhere(ctx: RuleContext, where: (section: Section) => boolean): Generator<[ShellCommand, ShellScript]> {
  for (const script of scriptsWhere(ctx, where)) for (const cmd of script.commands) yield [cmd, script];
}

/** The file's line break, so inserted lines match (CRLF files stay CRLF). */
export function lineBreak(file: ParsedFile): string {
  return file.text.includes('\r\n') ? '\r\n' : '\n';
}

export function insertFix(description: string, offset: number, text: string): Fix {
  return { description, edits: [{ start: offset, end: offset, text }] };
}

export function replaceFix(description: string, range: Range, text: string): Fix {
  return { description, edits: [{ start: range.start.offset, end: range.end.offset, text }] };
}

function indentOf(text: string): string {
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** Inserts `line` as the first body line of a section, indented like the body. */
export function insertLineAtBodyStart(file: ParsedFile, section: Section, line: string, description: string): Fix | undefined {
  const first = section.bodyLines[0];
  if (!first) return undefined;
  const sample = section.bodyLines.find((l) => l.text.trim() !== '') ?? first;
  return insertFix(description, first.offset, `${indentOf(sample.text)}${line}${lineBreak(file)}`);
}

/** Appends `line` after the last non-blank body line of a section. */
export function appendLineToSection(file: ParsedFile, section: Section, line: string, description: string): Fix | undefined {
  const lines = section.bodyLines.filter((l) => l.text.trim() !== '');
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  // A trailing `\` would glue our line onto the last command.
  if (/\\$/.test(last.text)) return undefined;
  return insertFix(description, last.offset + last.text.length, `${lineBreak(file)}${indentOf(last.text)}${line}`);
}

/** Range from the start of one word to the end of another. */
export function spanOf(first: { range: Range }, last: { range: Range }): Range {
  return { start: first.range.start, end: last.range.end };
}

/** The last non-empty stage: the one that becomes the image (earlier stages are build stages). */
export function isFinalStage(file: ParsedFile, stage: Stage): boolean {
  // Called per script and per command: look the stage up once per file, not per call.
  if (!finalStages.has(file)) {
    let last: Stage | undefined;
    for (const s of file.stages) if (!s.empty) last = s;
    finalStages.set(file, last);
  }
  return finalStages.get(file) === stage;
}

const finalStages = new WeakMap<ParsedFile, Stage | undefined>();

/** The header entry for a key (lower-case) that Apptainer uses (the last valid one). */
export function headerEntry(stage: Stage, key: string): HeaderEntry | undefined {
  const entries = (stage.header ?? []).filter((e) => e.key === key && e.valid && !e.dropped);
  return entries[entries.length - 1];
}

/** The bootstrap agent of a stage, lower-cased. */
export function agentOf(stage: Stage): string {
  return (stage.headerValues['bootstrap'] ?? stage.bootstrap ?? '').trim().toLowerCase();
}

/** Commands in file order that come after `cmd` (same script later, or later scripts of the same stage). */
export function commandsAfter(ctx: RuleContext, cmd: ShellCommand, stage: Stage): ShellCommand[] {
  const result: ShellCommand[] = [];
  for (const script of ctx.scripts) {
    if (script.stage !== stage) continue;
    for (const other of script.commands) if (other.range.start.offset > cmd.range.start.offset) result.push(other);
  }
  return result;
}

/** Insert text right after a word (e.g. a flag after `install`). */
export function insertAfterWord(word: ShellWord | { range: Range }, text: string, description: string): Fix {
  return insertFix(description, word.range.end.offset, text);
}

/** Secret-looking variable, label or placeholder names (`GITHUB_TOKEN`, `db_password`, `API_KEY`). */
export function looksLikeSecretName(name: string): boolean {
  if (/(_FILE|_PATH|_DIR|_URL|_ENDPOINT|_LENGTH|_TYPE|_NAME)$/i.test(name)) return false;
  // The secret word must end the name: `GITHUB_TOKEN` is a token, `REGISTRY_AUTH_TOKEN_REALM` a URL.
  return /(^|_|-)(PASS(WORD|WD)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?TOKEN)$/i.test(name);
}

/** Image reference parts for registry agents. */
export interface ImageRef {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parses `[scheme://][registry/]repo[:tag][@digest]` (library refs use the same shape). */
export function parseImageRef(value: string): ImageRef | undefined {
  let ref = value.trim().replace(/^(docker|oras|library|shub|docker-daemon):\/\//i, '');
  if (ref === '' || /\s/.test(ref)) return undefined;
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  // Library refs may carry the digest as a tag: `sha256.abc...`.
  if (tag?.startsWith('sha256.')) {
    digest = tag;
    tag = undefined;
  }
  const parts = ref.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) registry = parts.shift();
  return { registry, repository: parts.join('/'), tag, digest };
}

/** Agents whose `From:` names an image in a registry. */
export const REGISTRY_AGENTS = new Set(['docker', 'oras', 'library', 'shub']);
