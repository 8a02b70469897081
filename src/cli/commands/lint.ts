// `apptainer-gen lint [PATH|GLOB|-]...` (also `apptainer-lint`).
// Exit codes: 0 nothing at/above the failure threshold, 1 findings at/above it,
// 2 usage, configuration or input error.
import { basename, dirname, relative, resolve, sep } from 'node:path';
import v8 from 'node:v8';
import type { Finding, Severity } from '../../lint/types.js';
import type { FileResult, FormatName } from '../../report/index.js';
import {
  ConfigError,
  configToJSON,
  fix,
  lint,
  loadConfigFile,
  loadConfigFor,
  prepareConfig,
  reachesThreshold,
  resolveConfig,
  canonicalRuleId,
  prepareOneShotRun,
  formatTimingTable,
  startRuleTiming,
  stopRuleTiming,
  timingRowsFrom,
  type FailOn,
  type LintConfig,
  type ResolvedConfig,
  type RuleSetting,
} from '../../lint/index.js';
import { defineCommand, parseCommandArgs, parseOrExit, reportUsageError, usageError, UsageError, type CommandSpec, type ParsedArgs } from '../args.js';
import { expandOperands, OperandError, type Operand } from '../find-def-files.js';
import { colorWanted } from '../color.js';
import { FileError, planOutput, readFileBounded, readInput, readTextBounded, sameFile, writeOutput, writePlanned, type Input } from '../io.js';
import { mapPaced } from '../paced.js';
import { LINT_TURBOFAN_AFTER_BYTES, turbofanAfter } from '../batch-tuning.js';

const FORMAT_NAMES = ['stylish', 'json', 'sarif', 'checkstyle', 'gnu', 'github', 'junit', 'codequality'] as const;
const SEVERITY_NAMES = ['error', 'warning', 'info', 'style'] as const;

export const LINT_USAGE = `Usage: apptainer-lint [options] [PATH|GLOB|-]...
       apptainer-gen lint [options] [PATH|GLOB|-]...

Lints Apptainer definition files. Directories are searched for *.def, Singularity,
Singularity.*, Apptainer and Apptainer.* (honouring .gitignore); '-' reads stdin.
With no operand the current directory is searched.

Options:
  -f, --format FORMAT      stylish (default), json, sarif, checkstyle, gnu, github, junit,
                           codequality (GitLab Code Quality)
  -o, --output FILE        write the report to FILE (atomically) instead of stdout
  -c, --config FILE        use this configuration instead of the nearest .apptainer-lint.yaml
      --print-config FILE  print the effective configuration for FILE (JSON) and exit
      --init               write a commented .apptainer-lint.yaml in the current folder and exit
      --fix                apply safe fixes in place (never to a file that is not valid UTF-8)
      --force              let --fix and -o rewrite read-only files
      --fix-dry-run        print the fixes as a unified diff instead of applying them
      --no-shellcheck      do not run ShellCheck on script sections
      --shellcheck-path P  ShellCheck executable (also APPTAINER_LINT_SHELLCHECK; a config
                           file may only name a 'shellcheck*' command on PATH)
      --build-arg K=V      template value, as for 'apptainer build' (repeatable)
      --build-arg-file F   file of K=V lines
      --fail-on SEVERITY   error (default), warning, info, style or none
      --max-warnings N     also fail when there are more than N warnings
      --rule RULE=SEVERITY set a rule's severity (id or slug; SEVERITY may be off; repeatable)
      --ignore-pattern P   skip files matching P (.gitignore syntax, relative to the current
                           folder; repeatable; adds to the config's ignorePatterns)
      --stdin-filename N   name used for stdin ('-') in reports and for config lookup
      --color, --no-color  force or turn off colour (default: colour on a terminal; NO_COLOR=1
                           or FORCE_COLOR=0 turn it off, FORCE_COLOR=1 forces it)
  -q, --quiet              report only findings at or above the failure threshold
  -v, --version            print the version and exit
  -h, --help               show this help

Environment: APPTAINER_LINT_TIMING=1 (or N, or all) prints the slowest rules to stderr.

Exit status: 0 no finding at or above the threshold, 1 some, 2 usage, configuration or I/O error.`;

interface LintArgs {
  operands: string[];
  format: FormatName;
  output?: string;
  config?: string;
  printConfig?: string;
  fix: boolean;
  force: boolean;
  fixDryRun: boolean;
  shellcheck: boolean;
  shellcheckPath?: string;
  buildArgs: Record<string, string>;
  buildArgFiles: string[];
  failOn?: FailOn;
  rules: Record<string, RuleSetting>;
  ignorePatterns: string[];
  maxWarnings?: number;
  init: boolean;
  version: boolean;
  stdinFilename?: string;
  color?: boolean;
  quiet: boolean;
  help: boolean;
}

/** How the command names itself: `apptainer-lint` when run through that binary. */
function programName(): string {
  return basename(process.argv[1] ?? '').startsWith('apptainer-lint') ? 'apptainer-lint' : 'apptainer-gen lint';
}

export const LINT_COMMAND = defineCommand({
  name: 'apptainer-gen lint' as string, // `apptainer-lint` when run as that; see programName()
  usage: LINT_USAGE as string,
  options: {
    format: { type: 'string', short: 'f', choices: FORMAT_NAMES },
    output: { type: 'string', short: 'o' },
    config: { type: 'string', short: 'c' },
    'print-config': { type: 'string' },
    fix: { type: 'boolean' },
    force: { type: 'boolean' },
    'fix-dry-run': { type: 'boolean' },
    'no-shellcheck': { type: 'boolean' },
    'shellcheck-path': { type: 'string' },
    'build-arg': { type: 'string', multiple: true },
    'build-arg-file': { type: 'string', multiple: true },
    'fail-on': { type: 'string', choices: [...SEVERITY_NAMES, 'none'] },
    rule: { type: 'string', multiple: true },
    'ignore-pattern': { type: 'string', multiple: true },
    'max-warnings': { type: 'string' },
    init: { type: 'boolean' },
    version: { type: 'boolean', short: 'v' },
    'stdin-filename': { type: 'string' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  },
});

/** Parses argv (strictly; see ../args.ts) and checks the option values. Throws `UsageError`. */
export function parseLintArgs(argv: string[], spec: typeof LINT_COMMAND = LINT_COMMAND): LintArgs {
  return lintArgsFrom(parseCommandArgs(spec, argv), spec);
}

function lintArgsFrom(parsed: ParsedArgs<typeof LINT_COMMAND>, spec: typeof LINT_COMMAND): LintArgs {
  const { values } = parsed;
  const keyValue = (option: string, text: string): [string, string] => {
    const at = text.indexOf('=');
    if (at <= 0) throw usageError(spec, `option '--${option}' expects KEY=VALUE, got '${text}'`);
    return [text.slice(0, at), text.slice(at + 1)];
  };
  const buildArgs: Record<string, string> = {};
  for (const text of values['build-arg'] ?? []) {
    const [key, val] = keyValue('build-arg', text);
    buildArgs[key] = val;
  }
  const rules: Record<string, RuleSetting> = {};
  for (const text of values.rule ?? []) {
    const [name, severity] = keyValue('rule', text);
    if (!canonicalRuleId(name)) throw usageError(spec, `--rule: unknown rule '${name}'`);
    if (![...SEVERITY_NAMES, 'off'].includes(severity)) throw usageError(spec, `--rule ${name}: severity must be error, warning, info, style or off`);
    rules[name] = severity as RuleSetting;
  }
  const color = parsed.last('color', 'no-color');
  const maxWarnings = values['max-warnings'];
  if (maxWarnings !== undefined && !/^\d+$/.test(maxWarnings)) throw usageError(spec, `--max-warnings must be a whole number, not '${maxWarnings}'`);
  const args: LintArgs = {
    operands: parsed.positionals,
    format: (values.format ?? 'stylish') as FormatName,
    output: values.output,
    config: values.config,
    printConfig: values['print-config'],
    fix: values.fix === true,
    force: values.force === true,
    fixDryRun: values['fix-dry-run'] === true,
    shellcheck: values['no-shellcheck'] !== true,
    shellcheckPath: values['shellcheck-path'],
    buildArgs,
    buildArgFiles: values['build-arg-file'] ?? [],
    failOn: values['fail-on'] as FailOn | undefined,
    rules,
    ignorePatterns: values['ignore-pattern'] ?? [],
    maxWarnings: maxWarnings === undefined ? undefined : Number(maxWarnings),
    init: values.init === true,
    version: values.version === true,
    stdinFilename: values['stdin-filename'],
    color: color ? color.name === 'color' : undefined,
    quiet: values.quiet === true,
    help: parsed.help,
  };
  if (args.fix && args.fixDryRun) throw usageError(spec, '--fix and --fix-dry-run exclude each other');
  if (args.stdinFilename !== undefined && !args.operands.includes('-')) {
    throw usageError(spec, "--stdin-filename names standard input: give '-' among the operands");
  }
  return args;
}

/** Apptainer's build-arg file syntax: `KEY=VALUE` lines, no comments; bad lines are skipped with a warning. */
function readBuildArgFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileBounded(path).text;
  } catch (err) {
    throw new InputError(`${path}: cannot read build-arg file (${err instanceof FileError ? err.reason : String(err)})`);
  }
  const values: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    const at = line.indexOf('=');
    const key = at === -1 ? '' : line.slice(0, at).trim();
    if (!key) {
      process.stderr.write(`${path}:${index + 1}:1: warning: skipping '${line}': not a KEY=VALUE pair\n`);
      return;
    }
    values[key] = line.slice(at + 1).trim();
  });
  return values;
}

class InputError extends Error {}

/** A `.` or `..` segment, an empty one (`//`) or a trailing slash: a path `resolve` would change. */
const UNNORMALIZED = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|\/$/;

/**
 * How a report names a file: relative to the current folder when inside it, else as given;
 * always with `/`. Files found in a folder are plain paths (`dir/x.def`, `/abs/dir/x.def`), for
 * which the answer is the path itself or its part below the current folder: those skip the
 * three path normalisations of `relative(cwd, resolve(path))` (a few per cent of a
 * no-rules run over 600 small files). Same result as that formula for every path.
 */
export function displayPath(path: string): string {
  if (sep === '/' && path !== '' && !UNNORMALIZED.test(path)) {
    if (!path.startsWith('/')) {
      if (!path.startsWith('..')) return path;
    } else {
      const cwd = process.cwd();
      const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
      if (path.startsWith(base) && path.length > base.length) {
        const rel = path.slice(base.length);
        return rel.startsWith('..') ? path : rel;
      }
    }
  }
  const rel = relative(process.cwd(), resolve(path));
  return (rel && !rel.startsWith('..') ? rel : path).split(sep).join('/');
}

export async function run(argv: string[]): Promise<number> {
  const spec = { ...LINT_COMMAND, name: programName() };
  const args = parseOrExit(spec, argv, (parsed) => lintArgsFrom(parsed, spec));
  if (typeof args === 'number') return args;
  try {
    return await lintCommand(args, spec);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.format()}\n`);
      return 2;
    }
    if (err instanceof UsageError) return reportUsageError(spec, err);
    if (err instanceof OperandError || err instanceof InputError || err instanceof FileError) {
      process.stderr.write(`apptainer-lint: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function lintCommand(args: LintArgs, spec: Pick<CommandSpec, 'name'>): Promise<number> {
  if (args.version) {
    const { VERSION } = await import('../../version.js');
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (args.init) {
    const { writeInitialConfig } = await import('../init-config.js');
    return writeInitialConfig(process.cwd());
  }
  const buildArgs: Record<string, string> = {};
  for (const file of args.buildArgFiles) Object.assign(buildArgs, readBuildArgFile(file));
  Object.assign(buildArgs, args.buildArgs);

  const explicitConfig = args.config ? await loadConfigFile(args.config) : undefined;
  const configFor = async (path: string): Promise<LintConfig> => {
    const config = explicitConfig ?? (await loadConfigFor(path));
    await prepareConfig(config);
    return config;
  };
  const resolveOne = (config: LintConfig, path: string) =>
    resolveConfig(config, {
      filename: path,
      ruleOverrides: args.rules,
      failOn: args.failOn,
      buildArgs,
      shellcheck: args.shellcheck,
      shellcheckPath: args.shellcheckPath,
    });
  // A configuration without `overrides` resolves the same for every file: once per configuration
  // (per config file, and once for all files that have none), not once per file.
  const resolved = new Map<LintConfig, ResolvedConfig>();
  const noConfig: LintConfig = {};
  const resolveFor = async (path: string) => {
    const config = await configFor(path);
    if (config.overrides?.length) return resolveOne(config, path);
    const key = Object.keys(config).length === 0 ? noConfig : config;
    let result = resolved.get(key);
    if (!result) resolved.set(key, (result = resolveOne(config, path)));
    return result;
  };

  if (args.printConfig) {
    process.stdout.write(JSON.stringify(configToJSON(await resolveFor(args.printConfig)), null, 2) + '\n');
    return 0;
  }

  const operands: Operand[] = await expandOperands(args.operands.length > 0 ? args.operands : ['.'], (path, why) =>
    process.stderr.write(`apptainer-lint: skipping ${displayPath(path)}: ${why}, not a regular file\n`),
  );
  await prepareOneShotRun();
  if (operands.filter((operand) => operand.kind === 'stdin').length > 1) throw usageError(spec, "'-' (stdin) may be given only once");
  if (args.fix && operands.some((operand) => operand.kind === 'stdin')) throw usageError(spec, '--fix cannot write to stdin; use --fix-dry-run');

  const isIgnored = await ignoreChecker(args.ignorePatterns, configFor);
  // The report's destination is checked before any file is linted or fixed.
  const reportPlan = args.output ? planReport(args.output, operands, args.force) : undefined;
  const results: FileResult[] = [];
  const diffs: string[] = [];
  let failed = false;
  let inputError = false;
  let warnings = 0;
  // Files are linted a window at a time, one started per turn of the event loop (see mapPaced),
  // so that ShellCheck checks the scripts of the first files while the rules run on the next;
  // results keep the command line's order.
  // Every configuration is resolved before any file is linted or fixed: a bad one stops the run
  // with nothing written.
  const planned: { operand: Operand; config: ResolvedConfig }[] = [];
  for (const operand of operands) {
    if (operand.kind === 'file' && (await isIgnored(operand.path))) continue;
    planned.push({ operand, config: await resolveFor(operand.kind === 'stdin' ? resolve(args.stdinFilename ?? 'stdin.def') : operand.path) });
  }
  // APPTAINER_LINT_TIMING: the slowest rules over all files, printed to stderr after the report.
  const timingRows = timingRowsFrom(process.env.APPTAINER_LINT_TIMING);
  const timing = timingRows === undefined ? undefined : startRuleTiming();
  const noteRead = turbofanAfter(LINT_TURBOFAN_AFTER_BYTES, (flags) => v8.setFlagsFromString(flags));
  let outcomes: OperandOutcome[];
  try {
    outcomes = await mapPaced(planned, LINT_WINDOW, ({ operand, config }) => lintOperand(operand, args, config, noteRead));
  } finally {
    if (timing) stopRuleTiming();
  }
  for (const outcome of outcomes) {
    results.push(outcome.result);
    if (outcome.diff) diffs.push(outcome.diff);
    if (outcome.result.error) inputError = true;
    if (outcome.failed) failed = true;
    warnings += outcome.result.findings.filter((f) => !f.suppressed && f.severity === 'warning').length;
  }

  let report: string;
  if (args.fixDryRun) {
    report = diffs.join('');
  } else {
    const { formatResults } = await import('../../report/index.js');
    const { VERSION } = await import('../../version.js');
    report = await formatResults(args.format, results, { color: colorWanted(args.color, args.output !== undefined), version: VERSION });
  }
  if (reportPlan) {
    try {
      writePlanned(reportPlan, report);
    } catch (err) {
      process.stderr.write(`apptainer-lint: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  } else if (report) {
    process.stdout.write(report);
  }
  if (timing && timingRows !== undefined) process.stderr.write(formatTimingTable(timing.rows(timingRows)));
  for (const result of results) if (result.error) process.stderr.write(`${result.path}: ${result.error}\n`);
  if (args.maxWarnings !== undefined && warnings > args.maxWarnings) {
    process.stderr.write(`apptainer-lint: too many warnings (${warnings}; --max-warnings ${args.maxWarnings})\n`);
    failed = true;
  }
  return inputError ? 2 : failed ? 1 : 0;
}

/**
 * Files in flight at once. A file waiting for ShellCheck holds its parse (about 30 KB): enough
 * files for the rules to run well ahead of ShellCheck, few enough to keep memory small.
 */
const LINT_WINDOW = 512;

/**
 * Whether a file is skipped: `--ignore-pattern` (relative to the current folder) or the
 * `ignorePatterns` of the file's configuration (relative to the configuration file's folder),
 * both in .gitignore syntax. Applies to files found in folders and globs and to files named
 * on the command line (as pre-commit does), like ESLint's ignore patterns.
 */
async function ignoreChecker(cliPatterns: string[], configFor: (path: string) => Promise<LintConfig>): Promise<(path: string) => Promise<boolean>> {
  const { ignoreMatcher } = await import('../find-def-files.js');
  const fromCli = cliPatterns.length > 0 ? await ignoreMatcher(process.cwd(), cliPatterns) : undefined;
  const fromConfig = new Map<string, (path: string) => boolean>();
  return async (path) => {
    if (fromCli?.(path)) return true;
    const config = await configFor(path);
    if (!config.ignorePatterns?.length) return false;
    const base = config.configFile ? dirname(config.configFile) : process.cwd();
    let matcher = fromConfig.get(base);
    if (!matcher) {
      matcher = await ignoreMatcher(base, config.ignorePatterns);
      fromConfig.set(base, matcher);
    }
    return matcher(path);
  };
}

/** Where the report goes; never one of the linted files. Throws FileError. */
function planReport(output: string, operands: Operand[], force: boolean) {
  for (const operand of operands) {
    if (operand.kind === 'file' && sameFile(operand.path, output))
      throw new FileError(output, 'is one of the linted files; refusing to overwrite it with the report');
  }
  return planOutput(output, { force });
}

interface OperandOutcome {
  result: FileResult;
  diff?: string;
  failed: boolean;
}

/** Lints (and fixes) one file. Never throws for one bad file: its problem becomes the result's error. */
async function lintOperand(operand: Operand, args: LintArgs, config: ResolvedConfig, noteRead: (bytes: number) => void): Promise<OperandOutcome> {
  const path = operand.kind === 'stdin' ? (args.stdinFilename ?? '<stdin>') : operand.path;
  const shownPath = operand.kind === 'stdin' ? (args.stdinFilename ? displayPath(args.stdinFilename) : '<stdin>') : displayPath(path);
  let input: Input | undefined;
  let text: string;
  let size: number;
  try {
    // Synchronous reads: for hundreds of small files, each async read costs more than the read.
    // A plain lint keeps only the text: the file goes through the buffer shared from file to file
    // (no fstat, no buffer per file); --fix and --fix-dry-run need the bytes (Input.isText).
    if (operand.kind === 'file' && !args.fix && !args.fixDryRun) {
      ({ text, size } = readTextBounded(path));
    } else {
      input = operand.kind === 'stdin' ? await readInput('-') : readFileBounded(path);
      text = input.text;
      size = input.bytes.length;
    }
  } catch (err) {
    return {
      result: { path: shownPath, text: '', findings: [], error: `cannot read file (${err instanceof FileError ? err.reason : String(err)})` },
      failed: false,
    };
  }
  noteRead(size);
  let findings: Finding[];
  let diff: string | undefined;
  let error: string | undefined;
  try {
    if (args.fix || args.fixDryRun) {
      const fixed = await fix(text, { filename: path, config });
      findings = fixed.findings;
      if (fixed.output !== text && input?.isText === false) {
        error = 'fixes not applied: the file is not valid UTF-8 text (or is binary), and rewriting it would change its bytes';
      } else if (fixed.output !== text && args.fix) {
        try {
          writeOutput(path, fixed.output, { force: args.force });
          text = fixed.output;
        } catch (err) {
          error = `cannot write fixes (${err instanceof FileError ? err.reason : String(err)})`;
        }
      } else if (fixed.output !== text) {
        const { unifiedDiff } = await import('../../report/diff.js');
        const diffName = shownPath.replace(/^\/+/, '');
        diff = unifiedDiff(text, fixed.output, `a/${diffName}`, `b/${diffName}`);
      }
    } else {
      findings = await lint(text, { filename: path, config });
    }
  } catch (err) {
    // A configuration problem stops the run; anything else is this file's problem only.
    if (err instanceof ConfigError) throw err;
    return {
      result: { path: shownPath, text, findings: [], error: `internal error while linting: ${err instanceof Error ? err.message : String(err)}` },
      failed: false,
    };
  }
  if (args.quiet) findings = findings.filter((f) => reachesThreshold(f.severity, config.failOn === 'none' ? 'error' : config.failOn));
  const failed = findings.some((f) => !f.suppressed && reachesThreshold(f.severity as Severity, config.failOn));
  return { result: { path: shownPath, text, findings, failOn: config.failOn, ...(error ? { error } : {}) }, diff, failed };
}
