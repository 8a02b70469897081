// The lint engine: one parse, then every enabled rule over the parsed file, then ShellCheck,
// then suppressions. Parse diagnostics are NOT turned into findings here: the syntax rules
// (src/lint/rules/syntax/) surface them, so each problem is reported exactly once.
import type { ParsedFile, Stage } from '../parse/model.js';
import type { Finding, MessageData, ReportInput, Rule, RuleContext, RuleListeners, Severity, ShellScript, SuppressionRun } from './types.js';
import type { ResolvedConfig } from './config.js';
import { allRules, canonicalRuleId, suggestRuleNames } from './registry.js';
import { applyPragmas, scanPragmas, type PragmaUse, type RuleNames } from './pragmas.js';
import { capBashismsOnBashBases, dropShadowed, groupRepeats } from './overlap.js';
import { fitLineBreaks } from './vocab/fixes.js';
import type { SectionResults, SectionRun } from './section-results.js';

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

/** Lints a parsed file with a resolved configuration. */
export async function runRules(file: ParsedFile, config: ResolvedConfig, options: EngineOptions = {}): Promise<Finding[]> {
  const isOn = (id: string) => config.rules[id] !== undefined && config.rules[id].severity !== 'off';
  const enabled = allRules.filter((rule) => isOn(rule.meta.id));
  const buildArgs = config.settings.buildArgs;

  let scriptsPromise: Promise<ShellScript[]> | undefined;
  const scripts = () => (scriptsPromise ??= hasShellSections(file) ? loadShellScripts(file) : Promise.resolve([]));
  const parsedScripts = enabled.some((rule) => rule.meta.needsShell) ? await scripts() : [];
  const pragmaScan = scanPragmas(file, registryNames);

  const findings: Finding[] = [];
  const contextFor = (rule: Rule): RuleContext => {
    const ruleConfig = config.rules[rule.meta.id];
    const severity = ruleConfig.severity as Severity;
    return {
      file,
      options: ruleConfig.options,
      settings: config.settings,
      scripts: parsedScripts,
      pragmas: pragmaScan,
      templateValue: (stage, name) => templateValueOf(stage, name, buildArgs),
      resolvedHeader: (stage, key) => resolvedHeaderOf(stage, key, buildArgs),
      report: (input: ReportInput) => {
        findings.push(toFinding(rule, input, ruleConfig.explicit || !input.severity ? severity : input.severity, file));
      },
    };
  };

  const sectionScoped = options.sectionResults ? enabled.filter((rule) => rule.meta.scope === 'section') : [];
  const sectionRun = options.sectionResults?.begin(file, config, sectionScoped);
  const listening: Listening[] = [];
  for (const rule of enabled) {
    const slot = sectionScoped.indexOf(rule);
    runSafely(rule, () => listening.push({ rule, listeners: rule.create(contextFor(rule)), slot }), file, findings);
  }
  const onError: OnListenerError = (rule, err) => findings.push(internalError(rule, err, file));
  if (sectionRun) {
    walkKeeping(file, parsedScripts, listening, onError, sectionRun, findings);
    sectionRun.finish();
  } else walk(file, parsedScripts, listening, onError);

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
    for (const { rule, listeners } of listening) {
      const { suppressions } = listeners;
      if (suppressions) runSafely(rule, () => suppressions.call(listeners, run), file, findings);
    }
    applyPragmas(findings.slice(metaFindingsStart), pragmas, use, { notBySelf: true });
  }
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
  walk(ctx.file, ctx.scripts, [{ rule, listeners: rule.create(ctx), slot: -1 }], (_rule, err) => {
    throw err;
  });
}

/** What the walk does with a listener's exception. */
type OnListenerError = (rule: Rule, err: unknown) => void;

/** One walk over the file, calling each rule's listeners (see RuleListeners for the order). */
function walk(file: ParsedFile, scripts: readonly ShellScript[], listening: readonly Listening[], onError: OnListenerError): void {
  // The listener lists are gathered once per key: the walk calls them for every section and
  // command, and on a large file that loop is the engine's main cost (the language server
  // re-lints on every edit).
  const l = listenersByKey(listening);
  callAll(l.file, onError, file);
  if (l.chunk.length > 0 || l.stage.length > 0 || l.headerEntry.length > 0 || l.section.length > 0) {
    for (const stage of file.stages) {
      visitStageHead(l, onError, stage);
      for (const section of stage.sections) callAll(l.section, onError, section, stage);
    }
  }
  if (l.script.length > 0 || l.command.length > 0) {
    for (const script of scripts) {
      callAll(l.script, onError, script);
      for (const command of script.commands) callAll(l.command, onError, command, script);
    }
  }
}

/** Every walk key's listeners, gathered once per walk. */
function listenersByKey(listening: readonly Listening[]) {
  return {
    file: listenersFor(listening, 'file'),
    chunk: listenersFor(listening, 'chunk'),
    stage: listenersFor(listening, 'stage'),
    headerEntry: listenersFor(listening, 'headerEntry'),
    section: listenersFor(listening, 'section'),
    script: listenersFor(listening, 'script'),
    command: listenersFor(listening, 'command'),
  };
}

/** A stage chunk's own listeners and its header entries' (everything before its sections). */
function visitStageHead(l: ReturnType<typeof listenersByKey>, onError: OnListenerError, stage: ParsedFile['stages'][number]): void {
  callAll(l.chunk, onError, stage);
  if (!stage.empty) callAll(l.stage, onError, stage);
  for (const entry of stage.header ?? []) callAll(l.headerEntry, onError, entry, stage);
}

/**
 * The walk for a lint that keeps per-section findings: the same calls in the same order, except
 * that the section-scoped rules are not called for an unchanged section (their kept findings are
 * replayed where they would have reported), and what they report elsewhere is captured per section.
 */
function walkKeeping(
  file: ParsedFile,
  scripts: readonly ShellScript[],
  listening: readonly Listening[],
  onError: OnListenerError,
  run: SectionRun,
  findings: Finding[],
): void {
  const l = listenersByKey(listening);
  const { section: sectionListeners, script: scriptListeners, command: commandListeners } = l;
  const otherScriptListeners = scriptListeners.filter((bound) => bound.slot < 0);
  const otherCommandListeners = commandListeners.filter((bound) => bound.slot < 0);
  const scriptSlots = [...new Set([...scriptListeners, ...commandListeners].filter((bound) => bound.slot >= 0).map((bound) => bound.slot))].sort(
    (a, b) => a - b,
  );
  callAll(l.file, onError, file);
  for (const stage of file.stages) {
    visitStageHead(l, onError, stage);
    for (const section of stage.sections) {
      const reuse = run.reuse(section);
      for (const bound of sectionListeners) {
        if (bound.slot < 0) callOne(bound, onError, [section, stage]);
        else if (reuse) run.replay(reuse, bound.slot, 'section', findings);
        else {
          const from = findings.length;
          callOne(bound, onError, [section, stage]);
          run.capture(section, bound.slot, 'section', findings, from);
        }
      }
    }
  }
  for (const script of scripts) {
    const reuse = run.reuse(script.section);
    if (reuse) {
      for (const slot of scriptSlots) run.replay(reuse, slot, 'script', findings);
      callAll(otherScriptListeners, onError, script);
      for (const command of script.commands) callAll(otherCommandListeners, onError, command, script);
      continue;
    }
    for (const bound of scriptListeners) callCapturing(bound, onError, [script], run, script.section, findings);
    for (const command of script.commands) {
      for (const bound of commandListeners) callCapturing(bound, onError, [command, script], run, script.section, findings);
    }
  }
}

function callCapturing<A extends unknown[]>(
  bound: BoundListener<A>,
  onError: OnListenerError,
  args: A,
  run: SectionRun,
  section: ShellScript['section'],
  findings: Finding[],
): void {
  if (bound.slot < 0) return callOne(bound, onError, args);
  const from = findings.length;
  callOne(bound, onError, args);
  run.capture(section, bound.slot, 'script', findings, from);
}

function callOne<A extends unknown[]>(bound: BoundListener<A>, onError: OnListenerError, args: A): void {
  try {
    bound.listener.apply(bound.listeners, args);
  } catch (err) {
    onError(bound.rule, err);
  }
}

type WalkKey = Exclude<keyof RuleListeners, 'suppressions'>;

interface BoundListener<A extends unknown[]> {
  rule: Rule;
  listeners: RuleListeners;
  listener: (...args: A) => void;
  slot: number;
}

function listenersFor<K extends WalkKey>(listening: readonly Listening[], key: K): BoundListener<Parameters<NonNullable<RuleListeners[K]>>>[] {
  const bound: BoundListener<Parameters<NonNullable<RuleListeners[K]>>>[] = [];
  for (const { rule, listeners, slot } of listening) {
    const listener = listeners[key] as ((...args: Parameters<NonNullable<RuleListeners[K]>>) => void) | undefined;
    if (listener) bound.push({ rule, listeners, listener, slot });
  }
  return bound;
}

function callAll<A extends unknown[]>(bound: readonly BoundListener<A>[], onError: OnListenerError, ...args: A): void {
  for (const { rule, listeners, listener } of bound) {
    try {
      listener.apply(listeners, args);
    } catch (err) {
      onError(rule, err);
    }
  }
}

/** The text of a message id with its `{{ name }}` placeholders filled from `data`. */
export function formatMessage(rule: Rule, messageId: string, data: MessageData = {}): string {
  const template = Object.hasOwn(rule.meta.messages, messageId) ? rule.meta.messages[messageId] : undefined;
  if (template === undefined) throw new Error(`${rule.meta.id} has no message "${messageId}"`);
  return template.replace(MESSAGE_PLACEHOLDER, (_placeholder, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`${rule.meta.id} message "${messageId}" needs data.${name}`);
    return String(data[name]);
  });
}

const MESSAGE_PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

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
