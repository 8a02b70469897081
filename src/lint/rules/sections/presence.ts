// Section presence rules (DEF214, DEF215, DEF217, DEF218).
import type { Stage } from '../../../parse/model.js';
import type { Fix, Rule, RuleContext } from '../../types.js';
import { finalStage } from '../util/sections.js';
import { endOfLine, endOfLineIncludingNewline, rangeOf, sectionHeadRange } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

/** Where to point for a stage-wide finding: its Bootstrap line, or its first line. */
function stageAnchor(ctx: RuleContext, stage: Stage) {
  const bootstrap = stage.header?.find((entry) => entry.key === 'bootstrap') ?? stage.header?.[0];
  if (bootstrap) return bootstrap.range;
  const start = stage.sections[0]?.lineRange.start.offset ?? stage.range.start.offset;
  return rangeOf(ctx.file, start, endOfLine(ctx.file.text, start));
}

/** Appends a section at the end of a stage. */
function appendSection(ctx: RuleContext, stage: Stage, sectionText: string, description: string): Fix {
  const text = ctx.file.text;
  const at = stage.range.end.offset;
  const needsNewline = at > 0 && text[at - 1] !== '\n';
  return { description, edits: [{ start: at, end: at, text: `${needsNewline ? '\n' : ''}\n${sectionText}` }] };
}

export const missingHelp = defineRule({
  meta: {
    id: 'DEF214',
    slug: 'missing-help',
    group: 'sections',
    defaultSeverity: 'off',
    presets: ['hpc'],
    summary: 'The image has no `%help`.',
    description: [
      '`apptainer run-help image` shows the `%help` text; without it users have to guess what the container does and',
      'how to run it. Only the final stage counts (apps are checked by DEF805).',
      '',
      'Off by default (on in the `hpc` and `strict` presets): 78% of the real-world recipes in our corpus have no',
      '`%help`, so in the default preset it would drown the findings that matter.',
      '',
      '**Fix:** add a `%help` section (the quick fix adds a stub).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%help\n    Prints a greeting.\n\n%runscript\n    exec echo hi\n',
    source: 'AP-BP #2',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stage = finalStage(ctx.file);
    if (!stage || stage.sections.some((section) => section.kind === 'standard' && section.name === 'help')) return;
    ctx.report({
      message: 'No %help section: `apptainer run-help` has nothing to show',
      range: stageAnchor(ctx, stage),
      suggestions: [appendSection(ctx, stage, '%help\n    Describe what this container does and how to run it.\n', 'Add a %help stub')],
    });
  },
});

export const missingTest = defineRule({
  meta: {
    id: 'DEF215',
    slug: 'missing-test',
    group: 'sections',
    defaultSeverity: 'off',
    presets: [],
    summary: 'The image has no `%test`.',
    description: [
      '`%test` runs at the end of the build (and with `apptainer test`): a short smoke test catches a broken image',
      'before anyone uses it. Off by default.',
      '',
      '**Fix:** add a `%test` section that runs the main program once.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec echo hi\n\n%test\n    echo hi | grep -q hi\n',
    source: 'AP-DEF (%test)',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stage = finalStage(ctx.file);
    if (!stage || stage.sections.some((section) => section.kind === 'standard' && section.name === 'test')) return;
    ctx.report({
      message: 'No %test section: nothing checks the image at the end of the build',
      range: stageAnchor(ctx, stage),
      suggestions: [appendSection(ctx, stage, '%test\n    # run the main program once, e.g.: mytool --version\n    true\n', 'Add a %test stub')],
    });
  },
});

export const emptySection = defineRule({
  meta: {
    id: 'DEF217',
    slug: 'empty-section',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'A section with no body.',
    description: [
      'A section header with nothing under it does nothing (and a `%files from x` with no lines copies nothing).',
      'Usually a leftover from a template.',
      '',
      '**Fix:** delete it (safe fix), or fill it in.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-PARSER (empty scripts are ignored)',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    const parseFailures = new Set(ctx.file.diagnostics.map((diagnostic) => diagnostic.range.start.line));
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || section.body.trim() !== '' || parseFailures.has(section.lineRange.start.line)) continue;
        // Script args without a body still change nothing; but `%post -c x` alone is odd, not empty.
        if (section.name !== 'files' && section.args.trim() !== '' && !section.args.trim().startsWith('#')) continue;
        const start = section.lineRange.start.offset;
        const lastLine = section.bodyLines[section.bodyLines.length - 1];
        const end = endOfLineIncludingNewline(text, lastLine ? lastLine.offset : start);
        ctx.report({
          message: `Empty ${section.app === undefined ? `%${section.name}` : `%${section.name} ${section.app}`} section`,
          range: sectionHeadRange(ctx.file, section),
          tags: ['unnecessary'],
          fix: { description: 'Delete the empty section', edits: [{ start, end, text: '' }] },
        });
      }
    }
  },
});

export const preSection = defineRule({
  meta: {
    id: 'DEF218',
    slug: 'pre-section',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%pre` runs on the host before the container exists.',
    description: [
      'Apptainer still runs `%pre` (on the host, as the building user, before bootstrap) but the current',
      'documentation no longer describes it. Its effects are on the build machine, not in the image.',
      '',
      '**Fix:** use `%setup` (host, with `$APPTAINER_ROOTFS`) or `%files`/`%post` instead.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%pre\n    echo preparing\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo preparing\n',
    source: 'AP-PARSER, AP-BUILD; deffile-format.md §8',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (section.kind !== 'standard' || section.name !== 'pre') continue;
        ctx.report({ message: '%pre runs on the build host before bootstrap and is undocumented: prefer %setup, %files or %post', range: sectionHeadRange(ctx.file, section) });
      }
    }
  },
});

export const presenceRules: Rule[] = [missingHelp, missingTest, emptySection, preSection];
