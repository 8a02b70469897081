// Shared argv parsing for the commands, on Node's built-in `util.parseArgs` (strict, with
// positionals). One place decides how options are spelled (`--opt value`, `--opt=value`, `-o value`,
// `-ovalue`, short groups like `-qf json`, `--` ends options, `-` is a positional meaning stdin),
// how `--help`/`-h` behaves, and how usage errors read:
//
//   apptainer-gen lint: unknown option '--foo'
//   Run 'apptainer-gen lint --help' for the options.
//
// Usage errors exit with status 2; `--help` prints the usage to stdout and exits 0.
// Only built-in modules here: this runs on every start-up.
import { parseArgs } from 'node:util';
import { UsageError } from './io.js';

export { UsageError };

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** One-letter alias: `-f` for `--format`. */
  short?: string;
  /** Repeatable: the value is an array of every occurrence, in order. */
  multiple?: boolean;
  /** Allowed values of a string option; anything else is a usage error. */
  choices?: readonly string[];
}

export interface CommandSpec {
  /** How the command is named in messages: `apptainer-gen lint`. */
  name: string;
  /** The full help text, printed for `--help`. */
  usage: string;
  /** Long option names (without `--`). `help`/`h` is added by the parser. */
  options: Readonly<Record<string, OptionSpec>>;
  /** Whether operands are accepted at all (default true). */
  positionals?: boolean;
}

type OptionValue<O extends OptionSpec> = O['type'] extends 'string'
  ? O['multiple'] extends true
    ? string[]
    : string
  : O['multiple'] extends true
    ? boolean[]
    : boolean;

export type OptionValues<S extends CommandSpec> = { -readonly [K in keyof S['options']]?: OptionValue<S['options'][K]> };

export interface ParsedArgs<S extends CommandSpec> {
  values: OptionValues<S>;
  positionals: string[];
  /** `--help` or `-h` was given (anywhere before `--`). */
  help: boolean;
  /**
   * The option among `names` that was given last, with its value: for pairs like
   * `--color`/`--no-color` or aliases like `--image`/`--def`, where the last one wins.
   */
  last(...names: (keyof S['options'] & string)[]): { name: string; value: string | undefined } | undefined;
}

/** Declares a command spec, keeping its literal types so `values` is typed per option. */
export function defineCommand<const S extends CommandSpec>(spec: S): S {
  return spec;
}

/** A usage error worded like the parser's own: `apptainer-gen lint: <detail>`. */
export function usageError(spec: Pick<CommandSpec, 'name'>, detail: string): UsageError {
  return new UsageError(`${spec.name}: ${detail}`);
}

interface Token {
  kind: 'option' | 'positional' | 'option-terminator';
  index: number;
  name?: string;
  rawName?: string;
  value?: string;
  inlineValue?: boolean;
}

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h' };

function parserOptions(spec: CommandSpec): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, option] of Object.entries({ help: HELP_OPTION, ...spec.options })) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  return options;
}

function optionFor(spec: CommandSpec, name: string | undefined): OptionSpec | undefined {
  if (name === 'help') return HELP_OPTION;
  return name !== undefined && Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
}

function isKnown(spec: CommandSpec, token: Token): boolean {
  const option = optionFor(spec, token.name);
  if (!option) return false;
  // A lenient parse names an unknown short option by its letter, which could collide with a one-letter long option.
  return token.rawName?.startsWith('--') === true || option.short === token.rawName?.slice(1);
}

/** Rewords what strict parsing rejected, from a lenient parse of the same arguments. */
function diagnose(spec: CommandSpec, argv: string[], fallback: string): string {
  const allowPositionals = spec.positionals !== false;
  let tokens: Token[];
  try {
    tokens = parseArgs({ args: argv, options: parserOptions(spec), strict: false, allowPositionals: true, tokens: true }).tokens as Token[];
  } catch {
    return fallback;
  }
  for (const token of tokens) {
    if (token.kind === 'positional' && !allowPositionals) return `unexpected argument '${token.value}'`;
    if (token.kind !== 'option') continue;
    const raw = token.rawName ?? `--${token.name}`;
    if (!isKnown(spec, token)) return `unknown option '${raw}'`;
    const type = optionFor(spec, token.name)?.type;
    if (type === 'boolean' && token.value !== undefined) return `option '${raw}' takes no value`;
    if (type === 'string') {
      if (token.value === undefined) return `option '${raw}' needs a value`;
      if (!token.inlineValue && token.value.length > 1 && token.value.startsWith('-')) {
        return `option '${raw}' needs a value, got '${token.value}' (write --${token.name}=${token.value} if that is the value)`;
      }
    }
  }
  return fallback;
}

/**
 * Parses `argv` for one command. Throws a `UsageError` whose message names the command
 * (`apptainer-gen lint: unknown option '--foo'`); `--help` is reported in `help`, not thrown,
 * even when other arguments are wrong.
 */
export function parseCommandArgs<S extends CommandSpec>(spec: S, argv: string[]): ParsedArgs<S> {
  const options = parserOptions(spec);
  const allowPositionals = spec.positionals !== false;
  let parsed: { values: Record<string, unknown>; positionals: string[]; tokens: Token[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals, tokens: true }) as typeof parsed;
  } catch (err) {
    if (wantsHelp(spec, argv)) return helpOnly(spec);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS_')) throw err;
    const fallback = (err as Error).message.split('\n')[0].replace(/^Option /, 'option ');
    throw usageError(spec, diagnose(spec, argv, fallback));
  }
  const values = { ...parsed.values } as Record<string, unknown>;
  const help = values.help === true;
  delete values.help;
  if (!help) {
    for (const [name, option] of Object.entries(spec.options)) {
      if (!option.choices || values[name] === undefined) continue;
      const given = Array.isArray(values[name]) ? (values[name] as string[]) : [values[name] as string];
      const bad = given.find((value) => !option.choices!.includes(value));
      if (bad !== undefined) throw usageError(spec, `option '--${name}' must be ${listOr(option.choices)}, not '${bad}'`);
    }
  }
  const tokens = parsed.tokens;
  return {
    values: values as OptionValues<S>,
    positionals: parsed.positionals,
    help,
    last(...names) {
      for (let i = tokens.length - 1; i >= 0; i--) {
        const token = tokens[i];
        if (token.kind === 'option' && names.includes(token.name as never)) return { name: token.name!, value: token.value };
      }
      return undefined;
    },
  };
}

function wantsHelp(spec: CommandSpec, argv: string[]): boolean {
  try {
    const { tokens } = parseArgs({ args: argv, options: parserOptions(spec), strict: false, allowPositionals: true, tokens: true });
    return (tokens as Token[]).some((token) => token.kind === 'option' && token.name === 'help' && isKnown(spec, token));
  } catch {
    return false;
  }
}

function helpOnly<S extends CommandSpec>(_spec: S): ParsedArgs<S> {
  return { values: {} as OptionValues<S>, positionals: [], help: true, last: () => undefined };
}

/** `a, b or c` */
export function listOr(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Prints a usage error and the `--help` hint to stderr; returns exit status 2. */
export function reportUsageError(spec: Pick<CommandSpec, 'name'>, err: UsageError | string): number {
  const message = typeof err === 'string' ? `${spec.name}: ${err}` : err.message;
  process.stderr.write(`${message}\nRun '${spec.name} --help' for the options.\n`);
  return 2;
}

/** Prints the command's usage to stdout; returns exit status 0. */
export function printUsage(spec: Pick<CommandSpec, 'usage'>): number {
  process.stdout.write(spec.usage.endsWith('\n') ? spec.usage : spec.usage + '\n');
  return 0;
}

/**
 * The usual start of a command: parse, and settle `--help` and usage errors. Returns the
 * parsed arguments, or the exit status when the command is already done (0 help, 2 usage error).
 * `validate` may throw `UsageError`s of its own (bad option values), reported the same way.
 */
export function parseOrExit<S extends CommandSpec, T = ParsedArgs<S>>(spec: S, argv: string[], validate?: (parsed: ParsedArgs<S>) => T): T | number {
  let parsed: ParsedArgs<S>;
  try {
    parsed = parseCommandArgs(spec, argv);
    if (parsed.help) return printUsage(spec);
    return validate ? validate(parsed) : (parsed as T);
  } catch (err) {
    if (err instanceof UsageError) return reportUsageError(spec, err);
    throw err;
  }
}
