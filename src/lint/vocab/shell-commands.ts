// Shared helpers for the shell, reproducibility, security and size rule families.
import type { ParsedFile, Range, Section, Stage } from '../../parse/model.js';
import type { RuleContext, ShellCommand, ShellScript } from '../types.js';

/** Scripts whose section satisfies `where`. */
export function scriptsWhere(ctx: RuleContext, where: (section: Section) => boolean): ShellScript[] {
  return ctx.scripts.filter((s) => where(s.section));
}

/** Every command of the scripts whose section satisfies `where`, with its script. */
export function* commandsWhere(ctx: RuleContext, where: (section: Section) => boolean): Generator<[ShellCommand, ShellScript]> {
  for (const script of scriptsWhere(ctx, where)) for (const cmd of script.commands) yield [cmd, script];
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

/** Commands in file order that come after `cmd` (same script later, or later scripts of the same stage). */
export function commandsAfter(ctx: RuleContext, cmd: ShellCommand, stage: Stage): ShellCommand[] {
  const result: ShellCommand[] = [];
  for (const script of ctx.scripts) {
    if (script.stage !== stage) continue;
    for (const other of script.commands) if (other.range.start.offset > cmd.range.start.offset) result.push(other);
  }
  return result;
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
