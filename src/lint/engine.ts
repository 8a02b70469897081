// The lint engine: one parse, then every enabled rule over the parsed file, then ShellCheck,
// then suppressions. Parse diagnostics are NOT turned into findings here: the syntax rules
// (src/lint/rules/syntax/) surface them, so each problem is reported exactly once.
import type { ParsedFile, Stage } from '../parse/model.js';
import type {
  Finding,
  LintSettings,
  MessageData,
  PragmaScan,
  ReportInput,
  Rule,
  RuleContext,
  RuleListeners,
  Severity,
  ShellScript,
  SuppressionRun,
} from './types.js';
import type { ResolvedConfig, RuleConfig } from './config.js';
import { allRules, canonicalRuleId, suggestRuleNames } from './registry.js';
import { applyPragmas, scanPragmas, type PragmaUse, type RuleNames } from './pragmas.js';
import { capBashismsOnBashBases, dropShadowed, groupRepeats } from './overlap.js';
import { fitLineBreaks } from './vocab/fixes.js';
import type { SectionResults, SectionRun } from './section-results.js';
import { activeRuleTiming } from './timing.js';

/** Pragma rule names are read with the registry's lookups. */
export const registryNames: RuleNames = { canonical: canonicalRuleId, suggest: (name) => suggestRuleNames(name) };

/** The id under which the ShellCheck pass is configured and documented. */
export const SHELLCHECK_RULE_ID = 'DEF300';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** `--build-arg` value, else the stage's `%arguments` default; nested `{{ }}` resolved one level. */
export function templateValueOf(stage: Stage, name: string, buildArgs: Record<string, string>): string | undefined {
  const lookup = (key: string) =>
    Object.hasOwn(buildArgs, key) ? buildArgs[key] : Object.hasOwn(stage.argumentDefaults, key) ? stage.argumentDefaults[key] : undefined;
  const value = lookup(name);
  if (value === undefined) return undefined;
  return value.replace(PLACEHOLDER, (whole, inner: string) => lookup(inner) ?? whole);
}

/** A header value with resolvable placeholders substituted (as Apptainer re-parses it: cut at `#`). */
export function resolvedHeaderOf(stage: Stage, key: string, buildArgs: Record<string, string>): string | undefined {
  const value = stage.headerValues[key.toLowerCase()];
  if (value === undefined || !value.includes('{{')) return value;
  const substituted = value.replace(PLACEHOLDER, (whole, name: string) => templateValueOf(stage, name, buildArgs) ?? whole);
  const hash = substituted.indexOf('#');
  return (hash === -1 ? substituted : substituted.slice(0, hash)).trim();
}

function hasShellSections(file: ParsedFile): boolean {
  return file.stages.some((stage) =>
    stage.sections.some((section) => (section.shell && section.shell.dialect !== 'other') || section.name === 'environment' || section.name === 'appenv'),
  );
}

async function loadShellScripts(file: ParsedFile): Promise<ShellScript[]> {
  const shell = await import('./shell/index.js');
  return shell.parseShellScripts(file);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    a.range.end.offset - b.range.end.offset ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}

export interface EngineOptions {
  /** Runs ShellCheck over the file's shell sections (when enabled and installed). */
  shellcheck?: (file: ParsedFile, scripts: () => Promise<ShellScript[]>, config: ResolvedConfig) => Promise<Finding[]>;
  /**
   * Findings kept from the previous lint of the same document: the rules with `scope: 'section'`
   * run only on the sections that changed since (src/lint/section-results.ts).
   */
  sectionResults?: SectionResults;
}

/** A rule's listeners for one file, with the rule they report for. */
interface Listening {
  rule: Rule;
  listeners: RuleListeners;
  /** Index among the section-scoped rules whose findings are kept per section; -1 for the others. */
  slot: number;
}

/** What the rule contexts of one lint share: the file, its findings so far and the build args. */
interface LintRun {
  file: ParsedFile;
  settings: ResolvedConfig['settings'];
  scripts: ShellScript[];
  pragmas: PragmaScan;
  findings: Finding[];
}

/**
 * One rule's context: plain fields and methods on the prototype, so that a lint makes one object
 * per enabled rule rather than an object and three closures (a CLI run creates a context for every
 * rule of every file). The fields are declared and set in the constructor: as class fields (or
 * constructor parameter properties) each would first be defined as `undefined` in a separate
 * initialiser function, then set.
 */
class Context implements RuleContext {
  declare readonly file: ParsedFile;
  declare readonly settings: LintSettings;
  declare readonly scripts: ShellScript[];
  declare readonly pragmas: PragmaScan;
  declare readonly options: Record<string, unknown>;
  declare private readonly run: LintRun;
  declare private readonly rule: Rule;
  declare private readonly severity: Severity;
  declare private readonly explicit: boolean;

  constructor(run: LintRun, rule: Rule, options: Record<string, unknown>, severity: Severity, explicit: boolean) {
    this.run = run;
    this.rule = rule;
    this.options = options;
    this.severity = severity;
    this.explicit = explicit;
    this.file = run.file;
    this.settings = run.settings;
    this.scripts = run.scripts;
    this.pragmas = run.pragmas;
  }

  templateValue(stage: Stage, name: string): string | undefined {
    return templateValueOf(stage, name, this.settings.buildArgs);
  }

  resolvedHeader(stage: Stage, key: string): string | undefined {
    return resolvedHeaderOf(stage, key, this.settings.buildArgs);
  }

  report(input: ReportInput): void {
    this.run.findings.push(toFinding(this.rule, input, this.explicit || !input.severity ? this.severity : input.severity, this.file));
  }
}

/** The rules a configuration turns on, in registry order, and whether any of them reads shell trees. */
interface EnabledRules {
  enabled: readonly Rule[];
  /** Each enabled rule's severity and options, at the same index. */
  ruleConfigs: readonly RuleConfig[];
  needsShell: boolean;
}

// Worked out once per configuration's rule table: a run over many files shares one table (see
// `resolveFor` in src/cli/commands/lint.ts), and so does every lint of a document in the editor.
const enabledRules = new WeakMap<ResolvedConfig['rules'], EnabledRules>();

function enabledRulesOf(rules: ResolvedConfig['rules']): EnabledRules {
  let found = enabledRules.get(rules);
  if (found) return found;
  const enabled: Rule[] = [];
  const ruleConfigs: RuleConfig[] = [];
  let needsShell = false;
  for (const rule of allRules) {
    const setting = rules[rule.meta.id];
    if (setting === undefined || setting.severity === 'off') continue;
    enabled.push(rule);
    ruleConfigs.push(setting);
    if (rule.meta.needsShell) needsShell = true;
  }
  found = { enabled, ruleConfigs, needsShell };
  enabledRules.set(rules, found);
  return found;
}

/** Lints a parsed file with a resolved configuration. */
export async function runRules(file: ParsedFile, config: ResolvedConfig, options: EngineOptions = {}): Promise<Finding[]> {
  const isOn = (id: string) => config.rules[id] !== undefined && config.rules[id].severity !== 'off';
  const { enabled, ruleConfigs, needsShell } = enabledRulesOf(config.rules);
  const buildArgs = config.settings.buildArgs;

  let scriptsPromise: Promise<ShellScript[]> | undefined;
  const scripts = () => (scriptsPromise ??= hasShellSections(file) ? loadShellScripts(file) : Promise.resolve([]));
  const parsedScripts = needsShell ? await scripts() : [];
  const pragmaScan = scanPragmas(file, registryNames);

  const findings: Finding[] = [];
  const lintRun: LintRun = { file, settings: config.settings, scripts: parsedScripts, pragmas: pragmaScan, findings };

  const sectionScoped = options.sectionResults ? enabled.filter((rule) => rule.meta.scope === 'section') : [];
  const sectionRun = options.sectionResults?.begin(file, config, sectionScoped);
  const listening: Listening[] = [];
  let nextSlot = 0;
  // APPTAINER_LINT_TIMING (src/lint/timing.ts): asked once per file; when on, each rule's listeners
  // are wrapped in timed closures, so the walk itself never checks or reads a clock.
  const timing = activeRuleTiming();
  for (let i = 0; i < enabled.length; i++) {
    const rule = enabled[i];
    // Slots number the section-scoped rules in `enabled` order, as `sectionScoped` lists them.
    const slot = sectionRun && rule.meta.scope === 'section' ? nextSlot++ : -1;
    const ruleConfig = ruleConfigs[i];
    try {
      const context = new Context(lintRun, rule, ruleConfig.options, ruleConfig.severity as Severity, ruleConfig.explicit);
      listening.push({ rule, listeners: timing ? timing.create(rule, context) : rule.create(context), slot });
    } catch (err) {
      findings.push(internalError(rule, err, file));
    }
  }
  const onError: OnListenerError = (rule, err) => findings.push(internalError(rule, err, file));
  const byKey = listenersByKey(listening);
  if (sectionRun) {
    walkKeeping(file, parsedScripts, byKey, onError, sectionRun, findings);
    sectionRun.finish();
  } else walk(file, parsedScripts, byKey, onError);

  let shellCheckRan = false;
  if (config.shellcheck.enabled && isOn(SHELLCHECK_RULE_ID) && options.shellcheck && hasShellSections(file)) {
    const shellFindings = await options.shellcheck(file, scripts, config);
    shellCheckRan = true;
    for (const finding of shellFindings) {
      const override = config.shellCheckRules[finding.ruleId];
      if (override === 'off' || config.shellcheck.exclude.includes(finding.ruleId)) continue;
      findings.push(override ? { ...finding, severity: override } : finding);
    }
  }

  if (!config.noInlineConfig) {
    // What the pragmas suppressed belongs to this run only: the scan itself is cached per file.
    const use: PragmaUse = new Map();
    const { pragmas } = pragmaScan;
    applyPragmas(findings, pragmas, use);
    const run: SuppressionRun = {
      pragmas,
      used: (pragma, ruleId) => use.get(pragma)?.has(ruleId) ?? false,
      ran: (ruleId) => (ruleId.startsWith('SC') ? shellCheckRan : true),
    };
    const metaFindingsStart = findings.length;
    // Gathered with the other listeners (one rule has one): asking every rule's listener object,
    // each of its own shape, for a key it lacks cost more than the loop.
    for (const { rule, listener } of byKey.suppressions) runSafely(rule, () => listener(run), file, findings);
    applyPragmas(findings.slice(metaFindingsStart), pragmas, use, { notBySelf: true });
  }
  // A file without findings stops here: its empty list has another elements kind than a list of
  // findings, and handing both kinds to the steps below made V8 throw away and recompile all of
  // runRules, a large function (twice in a CLI run over many files; overlap.ts keeps the list).
  if (findings.length === 0) return [];
  // One problem, one finding (overlap.ts): after pragmas, so a pragma that silenced a dropped
  // finding still counts as used.
  const fromOf = (stage: Stage) => resolvedHeaderOf(stage, 'from', buildArgs);
  const merged = capBashismsOnBashBases(dropShadowed(findings), file, fromOf).sort(compareFindings);
  return capFindings(groupRepeats(merged, file));
}

/** Findings reported per file at most: a pathological file must not produce a gigabyte report. */
export const MAX_FINDINGS_PER_FILE = 1000;

function capFindings(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_FILE) return findings;
  const left = findings.length - MAX_FINDINGS_PER_FILE;
  const kept = findings.slice(0, MAX_FINDINGS_PER_FILE);
  const at = kept[kept.length - 1].range;
  kept.push({
    ruleId: 'DEF022',
    slug: 'analysis-limit',
    severity: 'warning',
    message: `${left} more findings were not reported (at most ${MAX_FINDINGS_PER_FILE} per file); fix these and lint again`,
    range: { start: at.start, end: at.start },
  });
  return kept;
}

/**
 * Runs one rule's walk with a context built elsewhere (unit tests of a single rule): errors
 * propagate, and `suppressions` is not called.
 */
export function runRuleWalk(rule: Rule, ctx: RuleContext): void {
  walk(ctx.file, ctx.scripts, listenersByKey([{ rule, listeners: rule.create(ctx), slot: -1 }]), (_rule, err) => {
    throw err;
  });
}

/** What the walk does with a listener's exception. */
type OnListenerError = (rule: Rule, err: unknown) => void;

/** One walk over the file, calling each rule's listeners (see RuleListeners for the order). */
function walk(file: ParsedFile, scripts: readonly ShellScript[], l: ListenersByKey, onError: OnListenerError): void {
  // The listener lists are gathered once per key (listenersByKey): the walk calls them for every
  // section and command, and on a large file that loop is the engine's main cost (the language
  // server re-lints on every edit).
  call1(l.file, onError, file);
  if (l.chunk.length > 0 || l.stage.length > 0 || l.headerEntry.length > 0 || l.section.length > 0) {
    for (const stage of file.stages) {
      visitStageHead(l, onError, stage);
      for (const section of stage.sections) call2(l.section, onError, section, stage);
    }
  }
  if (l.script.length > 0 || l.command.length > 0) {
    for (const script of scripts) {
      call1(l.script, onError, script);
      for (const command of script.commands) call2(l.command, onError, command, script);
    }
  }
}

/** A listener with the rule it reports for (called as a plain function: see RuleListeners). */
interface BoundListener<A extends unknown[]> {
  rule: Rule;
  listener: (this: void, ...args: A) => void;
  slot: number;
}

type Bound<K extends keyof RuleListeners> = BoundListener<Parameters<NonNullable<RuleListeners[K]>>>;

interface ListenersByKey {
  file: Bound<'file'>[];
  chunk: Bound<'chunk'>[];
  stage: Bound<'stage'>[];
  headerEntry: Bound<'headerEntry'>[];
  section: Bound<'section'>[];
  script: Bound<'script'>[];
  command: Bound<'command'>[];
  suppressions: Bound<'suppressions'>[];
}

const LISTENER_KEYS: readonly (keyof RuleListeners)[] = ['file', 'chunk', 'stage', 'headerEntry', 'section', 'script', 'command', 'suppressions'];

/**
 * Every key's listeners (the walk's and `suppressions`), gathered in one pass over the rules'
 * listeners. A plain object (what every rule returns) is enumerated, since it holds one or two
 * listeners: looking up all eight keys on each rule's object, each of its own shape, cost more. Any other object (listeners
 * inherited from a class, say) is asked for each key.
 */
function listenersByKey(listening: readonly Listening[]): ListenersByKey {
  const byKey: ListenersByKey = { file: [], chunk: [], stage: [], headerEntry: [], section: [], script: [], command: [], suppressions: [] };
  const lists = byKey as unknown as Record<keyof RuleListeners, BoundListener<unknown[]>[]>;
  for (const { rule, listeners, slot } of listening) {
    if (Object.getPrototypeOf(listeners) === Object.prototype) {
      for (const key in listeners) addListener(lists, key, rule, listeners, slot);
    } else for (const key of LISTENER_KEYS) addListener(lists, key, rule, listeners, slot);
  }
  return byKey;
}

function addListener(lists: Record<keyof RuleListeners, BoundListener<unknown[]>[]>, key: string, rule: Rule, listeners: RuleListeners, slot: number): void {
  if (!Object.hasOwn(lists, key)) return; // not a listener
  const listener = listeners[key as keyof RuleListeners] as ((this: void, ...args: unknown[]) => void) | undefined;
  if (listener) lists[key as keyof RuleListeners].push({ rule, listener, slot });
}

/** A stage chunk's own listeners and its header entries' (everything before its sections). */
function visitStageHead(l: ListenersByKey, onError: OnListenerError, stage: Stage): void {
  call1(l.chunk, onError, stage);
  if (!stage.empty) call1(l.stage, onError, stage);
  if (l.headerEntry.length > 0) for (const entry of stage.header ?? []) call2(l.headerEntry, onError, entry, stage);
}

/**
 * The walk for a lint that keeps per-section findings: the same calls in the same order, except
 * that the section-scoped rules are not called for an unchanged section (their kept findings are
 * replayed where they would have reported), and what they report elsewhere is captured per section.
 */
function walkKeeping(
  file: ParsedFile,
  scripts: readonly ShellScript[],
  l: ListenersByKey,
  onError: OnListenerError,
  run: SectionRun,
  findings: Finding[],
): void {
  const { section: sectionListeners, script: scriptListeners, command: commandListeners } = l;
  const otherSectionListeners = sectionListeners.filter((bound) => bound.slot < 0);
  const otherScriptListeners = scriptListeners.filter((bound) => bound.slot < 0);
  const otherCommandListeners = commandListeners.filter((bound) => bound.slot < 0);
  call1(l.file, onError, file);
  for (const stage of file.stages) {
    visitStageHead(l, onError, stage);
    for (const section of stage.sections) {
      const reuse = run.reuse(section);
      if (reuse && !reuse.kept.sectionFindings) {
        // Nothing kept to replay in this phase: only the other rules are called.
        call2(otherSectionListeners, onError, section, stage);
        continue;
      }
      for (const bound of sectionListeners) {
        if (bound.slot < 0) callOne2(bound, onError, section, stage);
        else if (reuse) run.replay(reuse, bound.slot, 'section', findings);
        else {
          const from = findings.length;
          callOne2(bound, onError, section, stage);
          run.capture(section, bound.slot, 'section', findings, from);
        }
      }
    }
  }
  for (const script of scripts) {
    const reuse = run.reuse(script.section);
    if (reuse) {
      // The same findings, in the same order, as replaying each slot of a script or command listener.
      run.replayScript(reuse, findings);
      call1(otherScriptListeners, onError, script);
      if (otherCommandListeners.length > 0) for (const command of script.commands) call2(otherCommandListeners, onError, command, script);
      continue;
    }
    for (const bound of scriptListeners) {
      if (bound.slot < 0) {
        callOne1(bound, onError, script);
        continue;
      }
      const from = findings.length;
      callOne1(bound, onError, script);
      run.capture(script.section, bound.slot, 'script', findings, from);
    }
    for (const command of script.commands) {
      for (const bound of commandListeners) {
        if (bound.slot < 0) {
          callOne2(bound, onError, command, script);
          continue;
        }
        const from = findings.length;
        callOne2(bound, onError, command, script);
        run.capture(script.section, bound.slot, 'script', findings, from);
      }
    }
  }
}

// The dispatch: fixed-arity calls (no rest parameters or argument arrays per call).

function callOne1<A>(bound: BoundListener<[A]>, onError: OnListenerError, a: A): void {
  try {
    const listener = bound.listener;
    listener(a);
  } catch (err) {
    onError(bound.rule, err);
  }
}

function callOne2<A, B>(bound: BoundListener<[A, B]>, onError: OnListenerError, a: A, b: B): void {
  try {
    const listener = bound.listener;
    listener(a, b);
  } catch (err) {
    onError(bound.rule, err);
  }
}

// The loops call each listener themselves rather than through callOne1/callOne2: they run for
// every command of every script, and on V8's baseline compilers (the CLI's first MiB) each call
// level costs a frame set-up that nothing inlines away.

function call1<A>(bound: readonly BoundListener<[A]>[], onError: OnListenerError, a: A): void {
  for (let i = 0; i < bound.length; i++) {
    const one = bound[i];
    const listener = one.listener;
    try {
      listener(a);
    } catch (err) {
      onError(one.rule, err);
    }
  }
}

function call2<A, B>(bound: readonly BoundListener<[A, B]>[], onError: OnListenerError, a: A, b: B): void {
  for (let i = 0; i < bound.length; i++) {
    const one = bound[i];
    const listener = one.listener;
    try {
      listener(a, b);
    } catch (err) {
      onError(one.rule, err);
    }
  }
}

/** The text of a message id with its `{{ name }}` placeholders filled from `data`. */
export function formatMessage(rule: Rule, messageId: string, data: MessageData = {}): string {
  const template = Object.hasOwn(rule.meta.messages, messageId) ? rule.meta.messages[messageId] : undefined;
  if (template === undefined) throw new Error(`${rule.meta.id} has no message "${messageId}"`);
  const parts = templateParts(template);
  if (parts.length === 1) return parts[0];
  let text = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    if (!Object.hasOwn(data, name)) throw new Error(`${rule.meta.id} message "${messageId}" needs data.${name}`);
    text += String(data[name]) + parts[i + 1];
  }
  return text;
}

const MESSAGE_PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** Message templates cut once at their placeholders: text, name, text, name, ..., text. */
const templates = new Map<string, string[]>();

function templateParts(template: string): string[] {
  let parts = templates.get(template);
  if (!parts) {
    // split() with a capturing group keeps the names between the texts.
    parts = template.split(MESSAGE_PLACEHOLDER);
    templates.set(template, parts);
  }
  return parts;
}

function toFinding(rule: Rule, input: ReportInput, severity: Severity, file: ParsedFile): Finding {
  const message = formatMessage(rule, input.messageId, input.data);
  const finding: Finding = { ruleId: rule.meta.id, slug: rule.meta.slug, severity, message, messageId: input.messageId, range: input.range };
  // Fixes insert the file's own line break whatever the rule wrote (a CRLF file stays CRLF).
  if (input.fix) finding.fix = fitLineBreaks(input.fix, file);
  if (input.suggestions?.length) finding.suggestions = input.suggestions.map((suggestion) => fitLineBreaks(suggestion, file));
  if (input.tags?.length) finding.tags = input.tags;
  return finding;
}

/** A crashing rule must not take the whole lint down: it becomes an error finding at the file start. */
function runSafely(rule: Rule, body: () => void, file: ParsedFile, findings: Finding[]): void {
  try {
    body();
  } catch (err) {
    findings.push(internalError(rule, err, file));
  }
}

function internalError(rule: Rule, err: unknown, file: ParsedFile): Finding {
  const start = file.positionAt(0);
  return {
    ruleId: rule.meta.id,
    slug: rule.meta.slug,
    severity: 'error',
    message: `Internal error in rule ${rule.meta.id} (${rule.meta.slug}): ${err instanceof Error ? err.message : String(err)}`,
    range: { start, end: start },
  };
}
