// `{{ NAME }}` templating as `apptainer build` does it (internal/pkg/build/args): placeholders,
// the comment-skipping rule, and substitution with one level of nested defaults.

// Go RE2: `\s` is [\t\n\f\r ] (so a placeholder may span lines), `\w` is ASCII.
const PLACEHOLDER = /\{\{[\t\n\f\r ]*(\w+)[\t\n\f\r ]*\}\}/g;
// A `#` followed by anything but `!` disables later placeholders on the line.
const COMMENT = /[#][^!]/;

export interface RawPlaceholder {
  name: string;
  start: number;
  end: number;
  /** True when Apptainer leaves it alone because a `#` comes before it on its line. */
  skipped: boolean;
}

/**
 * Placeholders in text[start, end). `skipped` assumes every earlier non-skipped placeholder was
 * substituted (an undefined one is an error anyway), which moves the look-back boundary.
 */
export function findPlaceholders(text: string, start = 0, end = text.length): RawPlaceholder[] {
  const out: RawPlaceholder[] = [];
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  if (slice.indexOf('{{') === -1) return out;
  let boundary = 0;
  // Start of the line holding the placeholder, advanced as the matches move forward.
  let lineStart = 0;
  let scanned = 0;
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(slice); m; m = PLACEHOLDER.exec(slice)) {
    const at = m.index;
    for (; scanned < at; scanned++) if (slice.charCodeAt(scanned) === 10) lineStart = scanned + 1;
    const from = Math.max(lineStart, boundary);
    const skipped = COMMENT.test(slice.slice(from, at));
    out.push({ name: m[1], start: start + at, end: start + at + m[0].length, skipped });
    if (!skipped) boundary = at + m[0].length;
  }
  return out;
}

export interface SubstitutionResult {
  text: string;
  /** Names that were substituted. */
  used: Set<string>;
  /** Names with no value (Apptainer: `build var NAME is not defined ...`), in order of appearance. */
  undefinedNames: string[];
}

/**
 * Substitutes placeholders: `--build-arg` values win over the stage's `%arguments` defaults. A
 * value may itself contain placeholders, resolved one level deep; deeper ones stay literal.
 */
export function substituteTemplates(text: string, defaults: Record<string, string>, buildArgs: Record<string, string> = {}): SubstitutionResult {
  const used = new Set<string>();
  const undefinedNames: string[] = [];
  const lookup = (name: string): string | undefined =>
    Object.hasOwn(buildArgs, name) ? buildArgs[name] : Object.hasOwn(defaults, name) ? defaults[name] : undefined;
  let out = '';
  let last = 0;
  for (const p of findPlaceholders(text)) {
    if (p.skipped) continue;
    const value = lookup(p.name);
    out += text.slice(last, p.start);
    if (value === undefined) {
      if (!undefinedNames.includes(p.name)) undefinedNames.push(p.name);
      out += text.slice(p.start, p.end);
    } else {
      used.add(p.name);
      out += value.replace(PLACEHOLDER, (whole, inner: string) => lookup(inner) ?? whole);
    }
    last = p.end;
  }
  out += text.slice(last);
  return { text: out, used, undefinedNames };
}

export function undefinedVariableError(name: string): string {
  return `build var ${name} is not defined through either --build-arg (--build-arg-file) or 'arguments' section`;
}

/**
 * Characters a template value may hold when its placeholder sits in shell code (%post,
 * %environment, %runscript...). Apptainer pastes the value raw, so anything the shell treats
 * specially (quotes, `$`, backticks, `\`, `;`, `&`, `|`, redirections, parentheses, globs, `!`,
 * `#`, line breaks) could end a quoted string or start a command. Shared by the generator (recipe
 * `arguments`) and the linter (DEF909).
 */
const SHELL_INERT_CHAR = /[A-Za-z0-9_/.,:=+@%^~ -]/;

/** The distinct characters of `value` that are not inert in shell code (empty when it is safe). */
export function shellActiveCharacters(value: string): string[] {
  const found = new Set<string>();
  for (const ch of value) if (!SHELL_INERT_CHAR.test(ch)) found.add(ch);
  return [...found];
}

/** `'$', '('` as a short readable list (control characters shown as \u escapes, e.g. \u0007). */
export function describeCharacters(chars: string[]): string {
  return (
    chars
      .slice(0, 8)
      // eslint-disable-next-line no-control-regex -- control characters are shown escaped
      .map((ch) => (/[\u0000-\u001f\u007f]/.test(ch) ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch))
      .map((ch) => `'${ch}'`)
      .join(', ')
  );
}
