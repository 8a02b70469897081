// Configuration: `.apptainer-lint.yaml` lookup, validation (with line/column in errors) and
// resolution into the effective settings for one file (presets → rules → overrides → CLI).
// yaml, ajv and picomatch are loaded only when a config file or override actually needs them.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LintSettings, PresetName, Severity, SeveritySetting } from './types.js';
import { allRules, canonicalRuleId, findRule, isShellCheckCode, suggestRuleNames } from './registry.js';
import { precompiledConfigValidator } from './config-validator.js';
import { isPresetName, severitiesFor } from './presets.js';

export const CONFIG_FILE_NAMES = ['.apptainer-lint.yaml', '.apptainer-lint.yml'] as const;

export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, Record<string, unknown>];
export type FailOn = Severity | 'none';

export interface ShellCheckConfig {
  enabled?: boolean;
  /** ShellCheck codes never reported. */
  exclude?: string[];
  /** Lowest ShellCheck severity reported (like `shellcheck -S`). */
  severity?: Severity;
  /**
   * ShellCheck command name looked up on PATH (default `shellcheck`). A config file sits in the
   * repository being linted, so it may only name a command starting with `shellcheck`, never a
   * path: an executable of the user's choice comes from `--shellcheck-path` or the
   * APPTAINER_LINT_SHELLCHECK environment variable (see docs/security.md).
   */
  path?: string;
}

/** What a config file may put in `shellcheck.path`: a bare command name such as `shellcheck-0.10`. */
export const SHELLCHECK_COMMAND_NAME = /^shellcheck[A-Za-z0-9._+-]{0,64}$/;

/** The environment variable that chooses the ShellCheck executable (a path or a command name). */
export const SHELLCHECK_ENV = 'APPTAINER_LINT_SHELLCHECK';

export interface ConfigOverride {
  files: string | string[];
  excludedFiles?: string | string[];
  rules?: Record<string, RuleSetting>;
}

/** The configuration as written in `.apptainer-lint.yaml` (see schemas/lint-config.schema.json). */
export interface LintConfig {
  extends?: PresetName | PresetName[];
  rules?: Record<string, RuleSetting>;
  overrides?: ConfigOverride[];
  failOn?: FailOn;
  trustedRegistries?: string[];
  requiredLabels?: string[];
  labelSchema?: Record<string, string>;
  buildArgs?: Record<string, string>;
  noInlineConfig?: boolean;
  shellcheck?: boolean | ShellCheckConfig;
  /** Files not to lint, in .gitignore syntax, relative to this file's folder. */
  ignorePatterns?: string[];
  /** Absolute path of the file this was read from; override globs are relative to its folder. */
  configFile?: string;
}

export interface RuleConfig {
  severity: SeveritySetting;
  options: Record<string, unknown>;
  /** True when the severity was set by the user (config `rules`, override, CLI), not a preset. */
  explicit: boolean;
}

/** The effective configuration for one file. */
export interface ResolvedConfig {
  resolved: true;
  configFile?: string;
  extends: PresetName[];
  /** Every DEF rule by id. */
  rules: Record<string, RuleConfig>;
  /** Severity overrides for ShellCheck codes (`off` drops the code). */
  shellCheckRules: Record<string, SeveritySetting>;
  failOn: FailOn;
  settings: LintSettings;
  /** `path` is set only when someone chose it; `pathFrom` says who (for error messages). */
  shellcheck: { enabled: boolean; exclude: string[]; severity: Severity; path?: string; pathFrom?: string };
  noInlineConfig: boolean;
}

/** A configuration problem, with where it is (exit code 2 in the CLI). */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `file:line:column: message`, the format editors and terminals link. */
  format(): string {
    const where = [this.file, this.line, this.column].filter((part) => part !== undefined).join(':');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

export const SEVERITY_RANK: Record<Severity, number> = { style: 0, info: 1, warning: 2, error: 3 };

/** True when a finding of `severity` reaches the failure threshold. */
export function reachesThreshold(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

// ---- lookup -------------------------------------------------------------------------------------

const configPathCache = new Map<string, string | null>();

/** The nearest `.apptainer-lint.yaml`/`.yml` in `dir` or its ancestors. */
export function findConfigFile(dir: string): string | undefined {
  const visited: string[] = [];
  let current = resolve(dir);
  let found: string | null = null;
  for (;;) {
    const cached = configPathCache.get(current);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(current);
    const candidate = CONFIG_FILE_NAMES.map((name) => join(current, name)).find((path) => existsSync(path));
    if (candidate) {
      found = candidate;
      break;
    }
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of visited) configPathCache.set(path, found);
  return found ?? undefined;
}

const loadedConfigs = new Map<string, Promise<LintConfig>>();

/** Reads and validates a config file (cached per path). Throws ConfigError. */
export function loadConfigFile(path: string): Promise<LintConfig> {
  const absolute = resolve(path);
  let pending = loadedConfigs.get(absolute);
  if (!pending) {
    pending = (async () => {
      const text = readConfigText(absolute, path);
      return { ...(await parseConfigText(text, path)), configFile: absolute };
    })();
    loadedConfigs.set(absolute, pending);
    // A failed load is not cached: once the file is fixed, the next lint reads it again.
    pending.catch(() => loadedConfigs.delete(absolute));
  }
  return pending;
}

/** Largest configuration file read; real ones are well under a KiB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads a config file: a regular file of at most MAX_CONFIG_BYTES (a config that is a symlink to
 * /dev/zero or a FIFO must not hang the linter or the editor). Throws ConfigError naming `shown`.
 */
export function readConfigText(path: string, shown = path): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new ConfigError('cannot read configuration: not a regular file', shown);
    if (stats.size > MAX_CONFIG_BYTES) throw new ConfigError(`cannot read configuration: larger than ${MAX_CONFIG_BYTES / 1024} KiB`, shown);
    const buffer = Buffer.alloc(Math.min(stats.size, MAX_CONFIG_BYTES) + 1);
    let total = 0;
    for (let count = 1; count > 0 && total < buffer.length; total += count) count = readSync(fd, buffer, total, buffer.length - total, null);
    if (total > MAX_CONFIG_BYTES) throw new ConfigError(`cannot read configuration: larger than ${MAX_CONFIG_BYTES / 1024} KiB`, shown);
    return buffer.subarray(0, total).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`cannot read configuration: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, shown);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Text from a file the user may not have meant to show (a config symlinked to a secret): a short excerpt only. */
export function excerpt(text: string, max = 24): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is masked
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Forgets found and loaded config files (an editor calls this when a config file changes). */
export function clearConfigCache(): void {
  configPathCache.clear();
  loadedConfigs.clear();
}

/** The configuration that applies to a file: the nearest config file, or `{}` when none. */
export async function loadConfigFor(filePath: string): Promise<LintConfig> {
  const configFile = findConfigFile(dirname(resolve(filePath)));
  return configFile ? loadConfigFile(configFile) : {};
}

// ---- parsing and validation ---------------------------------------------------------------------

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

let compiledValidator: Promise<Validator> | undefined;

function schemaPath(): string {
  // src/lint/config.ts (tests) and dist/src/lint/config.js (built) sit at different depths.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const candidate = join(here, up, 'schemas', 'lint-config.schema.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('schemas/lint-config.schema.json not found');
}

function getAjv(): typeof import('ajv').default {
  // Only without a build (src/, dist/src/): the bundles carry the validator compiled (see
  // config-validator.ts), and required here, not imported, ajv is not in them at all.
  const module = createRequire(import.meta.url)('ajv') as { default?: unknown };
  // ajv is CommonJS: the class is its `default` export.
  return (module.default ?? module) as typeof import('ajv').default;
}

async function configValidator(): Promise<Validator> {
  compiledValidator ??= (async () => {
    if (precompiledConfigValidator) return precompiledConfigValidator as Validator;
    const Ajv = getAjv();
    const ajv = new Ajv({ allErrors: true, strict: false });
    return ajv.compile(JSON.parse(readFileSync(schemaPath(), 'utf8'))) as unknown as Validator;
  })();
  return compiledValidator;
}

/** Parses and validates YAML config text. Throws ConfigError with the offending line/column. */
export async function parseConfigText(text: string, file?: string): Promise<LintConfig> {
  const yamlModule = await import('yaml');
  // Bundled as CommonJS in a chunk of its own (scripts/bundle.mjs), the module is its `default`.
  const YAML = ('LineCounter' in yamlModule ? yamlModule : (yamlModule as { default: unknown }).default) as typeof import('yaml');
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const pos = lineCounter.linePos(error.pos[0]);
    throw new ConfigError(`invalid YAML: ${error.message.split('\n')[0]}`, file, pos.line, pos.col);
  }
  let data: unknown;
  try {
    // yaml stops alias expansion beyond maxAliasCount (a "billion laughs" document).
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new ConfigError(`invalid YAML: ${excerpt((err as Error).message.split('\n')[0], 120)}`, file, 1, 1);
  }
  const at = (path: (string | number)[], key?: string): { line?: number; column?: number } => {
    const offset = offsetOf(doc, path, key);
    if (offset === undefined) return {};
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const fail = (message: string, path: (string | number)[], key?: string): never => {
    const { line, column } = at(path, key);
    throw new ConfigError(message, file, line, column);
  };

  const validate = await configValidator();
  if (!validate(data)) {
    const error = pickError(validate.errors ?? []);
    const path = pointerToPath(error.instancePath);
    const key = typeof error.params.additionalProperty === 'string' ? error.params.additionalProperty : undefined;
    const where = excerpt(error.instancePath, 60) || '(top level)';
    const detail =
      key !== undefined
        ? `unknown key '${excerpt(key)}'`
        : error.keyword === 'enum'
          ? `${error.message}: ${(error.params.allowedValues as unknown[]).join(', ')}`
          : (error.message ?? 'is invalid');
    fail(`invalid configuration at ${where}: ${detail}`, path, key);
  }

  const config = data as LintConfig;
  checkRuleNames(config.rules, ['rules'], fail);
  config.overrides?.forEach((override, index) => checkRuleNames(override.rules, ['overrides', index, 'rules'], fail));
  await checkRuleOptions(config.rules, ['rules'], fail);
  for (const [index, override] of (config.overrides ?? []).entries()) {
    await checkRuleOptions(override.rules, ['overrides', index, 'rules'], fail);
  }
  const shellcheckPath = typeof config.shellcheck === 'object' ? config.shellcheck.path : undefined;
  if (shellcheckPath !== undefined && !SHELLCHECK_COMMAND_NAME.test(shellcheckPath)) {
    fail(
      `shellcheck.path: a configuration file may only name a command starting with 'shellcheck' that is looked up on PATH, ` +
        `not a path or another program (choose an executable with --shellcheck-path or ${SHELLCHECK_ENV})`,
      ['shellcheck', 'path'],
    );
  }
  for (const [label, pattern] of Object.entries(config.labelSchema ?? {})) {
    try {
      new RegExp(pattern);
    } catch (err) {
      fail(`labelSchema.${label}: invalid regular expression: ${(err as Error).message}`, ['labelSchema', label]);
    }
  }
  return config;
}

type Fail = (message: string, path: (string | number)[], key?: string) => never;

function checkRuleNames(rules: Record<string, RuleSetting> | undefined, path: (string | number)[], fail: Fail): void {
  for (const name of Object.keys(rules ?? {})) {
    if (canonicalRuleId(name)) continue;
    const hint = suggestRuleNames(name)[0];
    fail(`unknown rule '${excerpt(name)}'${hint ? ` (did you mean '${hint}'?)` : ''}`, path, name);
  }
}

async function checkRuleOptions(rules: Record<string, RuleSetting> | undefined, path: (string | number)[], fail: Fail) {
  for (const [name, setting] of Object.entries(rules ?? {})) {
    if (!Array.isArray(setting) || setting.length < 2) continue;
    const rule = findRule(name);
    if (!rule) continue;
    if (!rule.meta.optionsSchema) {
      if (Object.keys(setting[1] ?? {}).length > 0) fail(`rule '${name}' takes no options`, [...path, name, 1]);
      continue;
    }
    const Ajv = getAjv();
    const validate = new Ajv({ allErrors: true, strict: false }).compile(rule.meta.optionsSchema!);
    if (!validate(setting[1])) {
      const error = validate.errors![0];
      fail(`options of rule '${name}'${error.instancePath}: ${error.message}`, [...path, name, 1, ...pointerToPath(error.instancePath)]);
    }
  }
}

/** Prefers the most specific error: for `oneOf` failures ajv also reports each branch. */
function pickError(errors: AjvError[]): AjvError {
  const meaningful = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const pool = meaningful.length > 0 ? meaningful : errors;
  return pool.reduce((best, e) => (e.instancePath.length > best.instancePath.length ? e : best), pool[0]);
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

interface YamlNodeLike {
  range?: [number, number, number] | null;
  items?: { key?: unknown; value?: unknown }[] | unknown[];
}

/** Source offset of the node at `path` (or of the key `key` inside it). */
function offsetOf(doc: import('yaml').Document, path: (string | number)[], key?: string): number | undefined {
  let node = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as YamlNodeLike | undefined;
  // Fall back to the nearest ancestor that exists (e.g. an array item that is a scalar).
  for (let cut = path.length - 1; !node && cut >= 0; cut--) {
    node = (cut === 0 ? doc.contents : doc.getIn(path.slice(0, cut), true)) as YamlNodeLike | undefined;
  }
  if (!node) return undefined;
  if (key !== undefined && Array.isArray(node.items)) {
    for (const item of node.items as { key?: { value?: unknown; range?: [number, number, number] } }[]) {
      if (item && typeof item === 'object' && item.key && String(item.key.value) === key && item.key.range) {
        return item.key.range[0];
      }
    }
  }
  return node.range?.[0];
}

// ---- resolution ---------------------------------------------------------------------------------

export interface ResolveOptions {
  /** The linted file (relative or absolute), for `overrides`. */
  filename?: string;
  /** Rule settings given on the command line (`--rule ID=SEV`), applied last. */
  ruleOverrides?: Record<string, RuleSetting>;
  failOn?: FailOn;
  /** Build args given on the command line; they win over the config's `buildArgs`. */
  buildArgs?: Record<string, string>;
  shellcheck?: boolean;
  /** ShellCheck executable chosen on the command line (wins over the environment and the config). */
  shellcheckPath?: string;
}

export function isResolvedConfig(config: unknown): config is ResolvedConfig {
  return typeof config === 'object' && config !== null && (config as ResolvedConfig).resolved === true;
}

type GlobMatcher = (path: string) => boolean;
let picomatchModule: typeof import('picomatch') | undefined;
const matcherCache = new Map<string, GlobMatcher>();

/** Call once before resolveConfig when the config has overrides (picomatch is loaded lazily). */
export async function prepareConfig(config: LintConfig): Promise<void> {
  if (config.overrides?.length && !picomatchModule) {
    const module = await import('picomatch');
    picomatchModule = ((module as unknown as { default?: typeof import('picomatch') }).default ?? module) as typeof import('picomatch');
  }
}

function globMatches(patterns: string | string[] | undefined, relativePath: string): boolean {
  if (patterns === undefined) return false;
  if (!picomatchModule) throw new Error('prepareConfig() must be awaited before resolving overrides');
  for (const pattern of Array.isArray(patterns) ? patterns : [patterns]) {
    let matcher = matcherCache.get(pattern);
    if (!matcher) {
      matcher = picomatchModule(pattern, { dot: true, basename: !pattern.includes('/') });
      matcherCache.set(pattern, matcher);
    }
    if (matcher(relativePath)) return true;
  }
  return false;
}

function ruleDefaults(ruleId: string): Record<string, unknown> {
  const schema = findRule(ruleId)?.meta.optionsSchema as { properties?: Record<string, { default?: unknown }> } | undefined;
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if (property && 'default' in property) defaults[name] = property.default;
  }
  return defaults;
}

function normalizeSetting(setting: RuleSetting): { severity: SeveritySetting; options?: Record<string, unknown> } {
  if (Array.isArray(setting)) return { severity: setting[0], options: setting[1] };
  return { severity: setting };
}

/** The effective configuration for one file. Synchronous; call prepareConfig() first if it has overrides. */
export function resolveConfig(config: LintConfig = {}, opts: ResolveOptions = {}): ResolvedConfig {
  const presets = config.extends === undefined ? ['recommended' as const] : [config.extends].flat();
  for (const preset of presets) if (!isPresetName(preset)) throw new ConfigError(`unknown preset '${preset}'`, config.configFile);
  const severities = severitiesFor(presets, allRules);

  const rules: Record<string, RuleConfig> = {};
  for (const rule of allRules) {
    rules[rule.meta.id] = { severity: severities.get(rule.meta.id) ?? 'off', options: ruleDefaults(rule.meta.id), explicit: false };
  }
  const shellCheckRules: Record<string, SeveritySetting> = {};
  const apply = (settings: Record<string, RuleSetting> | undefined) => {
    for (const [name, setting] of Object.entries(settings ?? {})) {
      const id = canonicalRuleId(name);
      if (!id) throw new ConfigError(`unknown rule '${name}'`, config.configFile);
      const { severity, options } = normalizeSetting(setting);
      if (isShellCheckCode(id)) {
        shellCheckRules[id] = severity;
        continue;
      }
      const current = rules[id];
      rules[id] = { severity, options: options ? { ...current.options, ...options } : current.options, explicit: true };
    }
  };
  apply(config.rules);

  if (config.overrides?.length && opts.filename !== undefined) {
    const base = config.configFile ? dirname(config.configFile) : process.cwd();
    const relativePath = relative(base, resolve(opts.filename)).split(sep).join('/');
    for (const override of config.overrides) {
      if (globMatches(override.files, relativePath) && !globMatches(override.excludedFiles, relativePath)) apply(override.rules);
    }
  }
  apply(opts.ruleOverrides);

  const shellcheckSetting = typeof config.shellcheck === 'object' ? config.shellcheck : { enabled: config.shellcheck };
  const chosen = shellCheckExecutable(opts.shellcheckPath, shellcheckSetting.path, config.configFile);
  return {
    resolved: true,
    configFile: config.configFile,
    extends: presets,
    rules,
    shellCheckRules,
    failOn: opts.failOn ?? config.failOn ?? 'error',
    settings: {
      trustedRegistries: config.trustedRegistries ?? [],
      requiredLabels: config.requiredLabels ?? [],
      labelSchema: config.labelSchema ?? {},
      buildArgs: { ...config.buildArgs, ...opts.buildArgs },
    },
    shellcheck: {
      enabled: (opts.shellcheck ?? true) && shellcheckSetting.enabled !== false,
      exclude: (shellcheckSetting.exclude ?? []).map((code) => code.toUpperCase()),
      severity: shellcheckSetting.severity ?? 'style',
      ...chosen,
    },
    noInlineConfig: config.noInlineConfig ?? false,
  };
}

/**
 * Who chose the ShellCheck executable: the command line, then the environment, then the config
 * (a bare `shellcheck*` name only; parseConfigText enforces that, and it is checked again here for
 * configs built in code).
 */
function shellCheckExecutable(
  fromCli: string | undefined,
  fromConfig: string | undefined,
  configFile: string | undefined,
): { path?: string; pathFrom?: string } {
  if (fromCli) return { path: fromCli, pathFrom: '--shellcheck-path' };
  const fromEnv = process.env[SHELLCHECK_ENV];
  if (fromEnv) return { path: fromEnv, pathFrom: SHELLCHECK_ENV };
  if (fromConfig === undefined) return {};
  if (!SHELLCHECK_COMMAND_NAME.test(fromConfig)) {
    throw new ConfigError(`shellcheck.path: '${fromConfig.slice(0, 80)}' is not a command name starting with 'shellcheck'`, configFile);
  }
  return { path: fromConfig, pathFrom: configFile ? `shellcheck.path in ${configFile}` : 'shellcheck.path' };
}

/** The effective configuration as plain JSON (for --print-config). */
export function configToJSON(config: ResolvedConfig): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  for (const [id, rule] of Object.entries(config.rules)) {
    rules[id] = Object.keys(rule.options).length > 0 ? [rule.severity, rule.options] : rule.severity;
  }
  for (const [id, severity] of Object.entries(config.shellCheckRules)) rules[id] = severity;
  return {
    configFile: config.configFile ?? null,
    extends: config.extends,
    failOn: config.failOn,
    noInlineConfig: config.noInlineConfig,
    shellcheck: config.shellcheck,
    trustedRegistries: config.settings.trustedRegistries,
    requiredLabels: config.settings.requiredLabels,
    labelSchema: config.settings.labelSchema,
    buildArgs: config.settings.buildArgs,
    rules,
  };
}
