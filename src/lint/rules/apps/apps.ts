// SCIF app rules (DEF801–DEF805).
import type { Section, Stage } from '../../../parse/model.js';
import { shellDetails } from '../../shell/index.js';
import type { Fix, Rule, RuleContext, ShellWord } from '../../types.js';
import { reportParserDiagnostics } from '../util/diagnostics.js';
import { declarationOf, pathText, redirectWords } from '../util/shell-tree.js';
import { finalStage } from '../util/sections.js';
import { q, rangeOf, replaceFix, sectionLineRange, sectionWordSpan } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

function appSections(stage: Stage): Section[] {
  return stage.sections.filter((section) => section.kind === 'app' && section.app !== undefined);
}

/** Range of the app name on a section line. */
function appNameRange(ctx: RuleContext, section: Section) {
  const span = sectionWordSpan(ctx.file, section);
  const start = span.wordEnd + 1;
  return rangeOf(ctx.file, start, Math.min(start + (section.app ?? '').length, span.lineEnd));
}

/** First section of each app, in order of first mention. */
function appsOf(stage: Stage): Map<string, Section[]> {
  const apps = new Map<string, Section[]>();
  for (const section of appSections(stage)) {
    const list = apps.get(section.app!) ?? [];
    list.push(section);
    apps.set(section.app!, list);
  }
  return apps;
}

function appendToStage(ctx: RuleContext, stage: Stage, sectionText: string, description: string): Fix {
  const at = stage.range.end.offset;
  const needsNewline = at > 0 && ctx.file.text[at - 1] !== '\n';
  return { description, edits: [{ start: at, end: at, text: `${needsNewline ? '\n' : ''}\n${sectionText}` }] };
}

export const appNameMissing = defineRule({
  meta: {
    id: 'DEF801',
    slug: 'app-name-missing',
    group: 'apps',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'App section with an empty app name (two spaces after the section word).',
    description: [
      'The app name is the second piece when the line is split on single spaces: `%apprun  foo` (two spaces) has',
      'the app name `""` and `foo` is dropped. The parse succeeds but the build fails',
      '(`no BuildApp record for app`). A section with no name at all is DEF017.',
      '',
      '**Fix:** a single space between the section word and the app name.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun  hello\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun hello\n    exec echo hi\n',
    source: 'AP-PARSER; deffile-format.md §11.1 (verified a02)',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF801');
    for (const stage of ctx.file.stages) {
      for (const section of appSections(stage)) {
        if (section.app !== '' || reported.has(section.lineRange.start.line)) continue;
        const span = sectionWordSpan(ctx.file, section);
        let end = span.wordEnd;
        while (end < span.lineEnd && ctx.file.text[end] === ' ') end++;
        ctx.report({
          message: `%${section.name} followed by two spaces has an empty app name: the build fails ("no BuildApp record for app")`,
          range: sectionLineRange(ctx.file, section),
          suggestions: end < span.lineEnd ? [replaceFix('Use a single space', span.wordEnd, end, ' ')] : [],
        });
      }
    }
  },
});

/** Environment-variable form of an app name (SCIF replaces non-word characters with `_`). */
function envName(app: string): string {
  return app.replace(/[^A-Za-z0-9_]/g, '_');
}

export const appNameInvalid = defineRule({
  meta: {
    id: 'DEF802',
    slug: 'app-name-invalid',
    group: 'apps',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'App name with path or shell characters, or that collides with another app.',
    description: [
      'App names become directories (`/scif/apps/<name>`) and parts of variable names (`SCIF_APPROOT_<name>` with',
      'every character outside `[A-Za-z0-9_]` turned into `_`). Names with `/`, `..`, quotes, `$` or backslashes escape',
      'or break those paths, and `my-app` / `my_app` end up with the same variables.',
      '',
      '**Fix:** use letters, digits and `_` (or `-`, if no other app differs only by it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun tools/convert\n    exec echo convert\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun convert\n    exec echo convert\n',
    source: 'AP-DEF (SCIF); deffile-format.md §11.2, §16 item 46',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const seen = new Map<string, string>();
      for (const [app, sections] of appsOf(stage)) {
        if (app === '') continue;
        const range = appNameRange(ctx, sections[0]);
        if (/[/\\"'$`*?]|\.\./.test(app) || app.startsWith('-')) {
          ctx.report({ message: `App name ${q(app)} contains characters that break its /scif/apps path or variables`, range });
          continue;
        }
        const env = envName(app);
        const other = seen.get(env);
        if (other !== undefined && other !== app) {
          ctx.report({ message: `Apps ${q(other)} and ${q(app)} share the SCIF variable suffix ${q(env)}: their SCIF_APP* variables collide`, range });
        }
        seen.set(env, app);
      }
    }
  },
});

export const appWithoutRun = defineRule({
  meta: {
    id: 'DEF803',
    slug: 'app-without-run',
    group: 'apps',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'App with sections but no `%apprun`.',
    description: [
      'An app that installs things but has no `%apprun` gives `apptainer run --app <name>` nothing to run.',
      '',
      '**Fix:** add `%apprun <name>` (the quick fix adds a stub), or fold the install into `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%appinstall hello\n    echo installing\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%appinstall hello\n    echo installing\n\n%apprun hello\n    exec echo hi "$@"\n',
    source: 'AP-DEF (SCIF)',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stage = finalStage(ctx.file);
    if (!stage) return;
    for (const [app, sections] of appsOf(stage)) {
      if (app === '' || sections.some((section) => section.name === 'apprun')) continue;
      ctx.report({
        message: `App ${q(app)} has no %apprun: \`apptainer run --app ${app}\` has nothing to run`,
        range: appNameRange(ctx, sections[0]),
        suggestions: [appendToStage(ctx, stage, `%apprun ${app}\n    exec ${app} "$@"\n`, `Add %apprun ${app}`)],
      });
    }
  },
});

const WRITERS = new Set(['cp', 'mv', 'install', 'ln', 'rsync', 'mkdir', 'touch', 'tee']);

/** `--prefix=/x`, `PREFIX=/x`, `prefix=/x` (also `--exec-prefix=/x`): the path is group 1. */
const PREFIX_ARG = /(?:^|[^\w])(?:PREFIX|prefix)=(\/.*)$/;

function outsideApp(clean: string, app: string): boolean {
  if (!clean.startsWith('/')) return false;
  if (/^\/(tmp|dev|proc)(\/|$)/.test(clean)) return false;
  return !(clean === `/scif/apps/${app}` || clean.startsWith(`/scif/apps/${app}/`) || clean.startsWith(`/scif/data/${app}`));
}

export const appInstallOutsideAppDir = defineRule({
  meta: {
    id: 'DEF804',
    slug: 'app-install-outside-app-dir',
    group: 'apps',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%appinstall` writes outside the app\'s own directory.',
    description: [
      'Every `%appinstall` is appended to `%post` and runs in every build, in the app\'s directory',
      '(`$SCIF_APPROOT` = `/scif/apps/<name>`). Installing into shared places (`/usr/local`, `/opt`) lets apps',
      'overwrite each other and defeats the point of SCIF apps.',
      '',
      '**Fix:** install under `$SCIF_APPROOT` (its `bin/` and `lib/` are on the app\'s paths).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%appinstall hello\n    cp hello.sh /usr/local/bin/hello\n\n%apprun hello\n    exec hello "$@"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%appinstall hello\n    cp hello.sh "$SCIF_APPROOT/bin/hello"\n\n%apprun hello\n    exec hello "$@"\n',
    source: 'AP-DEF (SCIF paragraph); deffile-format.md §11.2',
    needsShell: true,
  },
  check(ctx) {
    // On the shell syntax tree: `>` or `--prefix=` inside quotes or heredoc bodies is not a write,
    // and wrappers (`sudo`, `env`...) are seen through.
    const text = ctx.file.text;
    /** The path part of a `--prefix=/x` / `PREFIX=/x` word, as a word of its own. */
    const prefixPath = (word: { raw: string; text: string; range: { start: { offset: number } } }): ShellWord | undefined => {
      const match = PREFIX_ARG.exec(word.text);
      if (!match) return undefined;
      const path = match[1];
      const at = word.raw.lastIndexOf(path);
      const start = word.range.start.offset + (at >= 0 ? at : word.raw.length - path.length);
      return { raw: path, text: path, isStatic: !/[$`]/.test(path), range: rangeOf(ctx.file, start, start + path.length) };
    };
    for (const script of ctx.scripts) {
      const { section } = script;
      if (section.kind !== 'app' || section.name !== 'appinstall' || !section.app) continue;
      const targets: ShellWord[] = [];
      for (const cmd of script.commands) {
        const paths = cmd.args.filter((arg) => !pathText(arg).startsWith('-'));
        if (WRITERS.has(cmd.baseName)) targets.push(...(['mkdir', 'touch', 'tee'].includes(cmd.baseName) ? paths : paths.slice(-1)));
        targets.push(...redirectWords(cmd, ctx.file));
        for (const arg of cmd.args) {
          const path = prefixPath(arg);
          if (path) targets.push(path);
        }
        for (const a of cmd.assignments) {
          const path = prefixPath({ raw: text.slice(a.range.start.offset, a.range.end.offset), text: `${a.name}=${a.value}`, range: a.range });
          if (path) targets.push(path);
        }
      }
      // `PREFIX=/usr/local` on its own: the prefix the following build installs into.
      for (const a of shellDetails(script).assignments) {
        if (declarationOf(script, a)) continue; // `export PREFIX=/x`: an argument of export, seen above
        const path = prefixPath({ raw: text.slice(a.range.start.offset, a.range.end.offset), text: `${a.name}=${a.value}`, range: a.range });
        if (path) targets.push(path);
      }
      targets.sort((a, b) => a.range.start.offset - b.range.start.offset);
      const seen = new Set<number>(); // `export PREFIX=/x` is both an argument and an assignment
      for (const target of targets) {
        if (seen.has(target.range.start.offset) || !outsideApp(pathText(target), section.app)) continue;
        seen.add(target.range.start.offset);
        ctx.report({
          message: `%appinstall ${section.app} writes to ${q(target.raw)}, outside its app directory ($SCIF_APPROOT)`,
          range: target.range,
        });
      }
    }
  },
});

export const appMissingHelp = defineRule({
  meta: {
    id: 'DEF805',
    slug: 'app-missing-help',
    group: 'apps',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'App without `%apphelp`.',
    description: [
      '`apptainer run-help --app <name>` shows `%apphelp`; without it users of the app get nothing.',
      '',
      '**Fix:** add `%apphelp <name>` (the quick fix adds a stub).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun hello\n    exec echo hi "$@"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apphelp hello\n    Prints a greeting.\n\n%apprun hello\n    exec echo hi "$@"\n',
    source: 'AP-BP #2',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stage = finalStage(ctx.file);
    if (!stage) return;
    for (const [app, sections] of appsOf(stage)) {
      if (app === '' || sections.some((section) => section.name === 'apphelp')) continue;
      ctx.report({
        message: `App ${q(app)} has no %apphelp`,
        range: appNameRange(ctx, sections[0]),
        suggestions: [appendToStage(ctx, stage, `%apphelp ${app}\n    Describe what ${app} does and how to run it.\n`, `Add %apphelp ${app}`)],
      });
    }
  },
});

export const appRules: Rule[] = [appNameMissing, appNameInvalid, appWithoutRun, appInstallOutsideAppDir, appMissingHelp];

