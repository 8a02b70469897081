// Shell quoting shared by the def emitter, the job script and the application build.

// A leading `=` is quoted: a bare `=` word reads like a spaced assignment (ShellCheck SC2283).
const SAFE_WORD = /^[A-Za-z0-9_/.,:+@-][A-Za-z0-9_/.,:=+@-]*$/;

/**
 * Quotes a word for POSIX sh (`{{ }}` placeholders still get substituted by Apptainer). Words with
 * `$` or a backtick are double-quoted with those escaped: the same literal word, and ShellCheck
 * does not mistake it for an expansion meant to happen (SC2016).
 */
export function shQuote(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  if (/[$`\\]/.test(word)) return `"${word.replace(/[\\"$`]/g, (c) => '\\' + c)}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A double-quoted shell string. `$NAME` and `${NAME}` still expand (values may refer to other
 * variables); every other `$` (command substitution, `${` fragments) and `"`, `\`, backtick are
 * taken literally.
 */
export function dq(value: string): string {
  const escaped = value.replace(/\$(?=[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})|([\\"`$])/g, (m, special: string | undefined) =>
    special ? '\\' + special : m,
  );
  return `"${escaped}"`;
}

/** Comments never carry placeholders: Apptainer would skip them anyway and linters flag that. */
export function comment(text: string): string {
  return `# ${text.replace(/\{\{\s*(\w+)\s*\}\}/g, '$1')}`;
}
