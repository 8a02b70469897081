// Known values at a point of a build script: `$VAR`/`${VAR}` assigned earlier in the same script
// and `{{ NAME }}` placeholders with a `%arguments` default or `--build-arg` (issue 13 §4: URLs
// built from `VER=1.2; wget https://x/y-$VER.tar.gz` are seen as the file they download).
import type { Stage } from '../../parse/model.js';
import { shellDetails } from '../shell/index.js';
import type { RuleContext, ShellCommand, ShellScript, ShellWord } from '../types.js';

/** The text a word expands to at `at` (a file offset), or undefined when any part is unknown. */
export type Resolver = (raw: string, at: number) => string | undefined;

/** How deep variables that are built from other variables are followed. */
const MAX_DEPTH = 8;

interface Lookups {
  variable(name: string, at: number, depth: number): string | undefined;
  template(name: string): string | undefined;
}

/**
 * Expands `raw` (a word as written: quotes, `$VAR`, `${VAR}`, `${VAR:-default}`, `{{ NAME }}`).
 * Command substitutions, backquotes and other parameter expansions make the value unknown.
 */
function expand(raw: string, at: number, depth: number, lookups: Lookups): string | undefined {
  let out = '';
  let inDouble = false;
  for (let i = 0; i < raw.length;) {
    const c = raw[i];
    if (c === "'" && !inDouble) {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return undefined;
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      inDouble = !inDouble;
      i++;
    } else if (c === '\\' && i + 1 < raw.length) {
      out += raw[i + 1];
      i += 2;
    } else if (c === '`') {
      return undefined;
    } else if (c === '{' && raw.startsWith('{{', i)) {
      const m = /^\{\{\s*(\w+)\s*\}\}/.exec(raw.slice(i));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      const value = lookups.template(m[1]);
      if (value === undefined) return undefined;
      out += value;
      i += m[0].length;
    } else if (c === '$') {
      const m = /^\$(?:\{([A-Za-z_]\w*)(?:(:?-)([^}$`]*))?\}|([A-Za-z_]\w*))/.exec(raw.slice(i));
      if (!m) return undefined;
      const name = m[1] ?? m[4];
      let value = lookups.variable(name, at, depth);
      if (m[2] !== undefined && (value === undefined || (m[2] === ':-' && value === ''))) value = m[3];
      if (value === undefined) return undefined;
      out += value;
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * A resolver for one script: variables take the value of their last top-level assignment before
 * the point (unknown when that assignment is in a function, subshell, loop or `read`, or when there
 * is none: the environment is not known), placeholders their template value in the stage.
 */
export function resolverFor(ctx: Pick<RuleContext, 'templateValue'>, script: ShellScript): Resolver {
  const assignments = [...shellDetails(script).assignments].sort((a, b) => a.range.start.offset - b.range.start.offset);
  const stage: Stage = script.stage;
  const lookups: Lookups = {
    template: (name) => ctx.templateValue(stage, name),
    variable(name, at, depth) {
      let last: (typeof assignments)[number] | undefined;
      for (const a of assignments) {
        if (a.range.start.offset >= at) break;
        if (a.name === name) last = a;
      }
      if (!last || last.nested || last.via || depth >= MAX_DEPTH) return undefined;
      if (!/[$`'"\\{]/.test(last.value)) return last.value;
      return expand(last.value, last.range.start.offset, depth + 1, lookups);
    },
  };
  return (raw, at) => expand(raw, at, 0, lookups);
}

/** A word's text with known values filled in: static words as they are, others resolved when possible. */
export function resolvedText(word: ShellWord, resolve: Resolver): string | undefined {
  if (word.isStatic) return word.text;
  if (!/[$]|\{\{/.test(word.raw)) return undefined;
  return resolve(word.raw, word.range.start.offset);
}

/** URL arguments of a download with known values filled in (`wget $URL`, `.../tool-$VER.tar.gz`). */
export function resolvedUrls(cmd: ShellCommand, resolve: Resolver): { word: ShellWord; text: string }[] {
  const found: { word: ShellWord; text: string }[] = [];
  for (const word of cmd.args) {
    const text = resolvedText(word, resolve) ?? word.text;
    if (/(^|=)(https?|ftp|git|ssh):\/\//.test(text) || /^git@/.test(text)) found.push({ word, text });
  }
  return found;
}
