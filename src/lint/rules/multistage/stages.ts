// Multi-stage rules (DEF851–DEF857).
import type { Section, Stage } from '../../../parse/model.js';
import type { Fix, Rule, RuleContext } from '../../types.js';
import { lastEntry } from '../util/header.js';
import { liveStages, sectionLabel } from '../util/sections.js';
import { endOfLine, nearest, q, rangeOf, replaceFix, sectionHeadRange } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** A stage's name, with placeholders resolved when possible. */
function stageName(ctx: RuleContext, stage: Stage): string | undefined {
  return ctx.resolvedHeader(stage, 'stage');
}

/** The `%files from X` stage name, resolved through templates; undefined when not resolvable. */
function fromStageOf(ctx: RuleContext, stage: Stage, section: Section): string | undefined {
  if (section.fromStage === undefined) return undefined;
  let unresolved = false;
  const value = section.fromStage.replace(PLACEHOLDER, (whole, name: string) => {
    const resolved = ctx.templateValue(stage, name);
    if (resolved === undefined) unresolved = true;
    return resolved ?? whole;
  });
  return unresolved ? undefined : value;
}

function fromSections(stage: Stage): Section[] {
  return stage.sections.filter((section) => section.kind === 'standard' && section.name === 'files' && section.fromStage !== undefined);
}

/** Range of the stage word in `%files from X`. */
function fromWordRange(ctx: RuleContext, section: Section) {
  const lineStart = section.lineRange.start.offset;
  const line = ctx.file.text.slice(lineStart, endOfLine(ctx.file.text, lineStart));
  const raw = section.fromStage ?? '';
  const at = line.lastIndexOf(raw);
  return at === -1 ? sectionHeadRange(ctx.file, section) : rangeOf(ctx.file, lineStart + at, lineStart + at + raw.length);
}

function stageAnchor(ctx: RuleContext, stage: Stage) {
  const entry = lastEntry(stage, 'stage') ?? stage.header?.find((e) => e.key === 'bootstrap') ?? stage.header?.[0];
  if (entry) return entry.range;
  const start = stage.sections[0]?.lineRange.start.offset ?? stage.range.start.offset;
  return rangeOf(ctx.file, start, endOfLine(ctx.file.text, start));
}

export const stageWithoutHeader = defineRule({
  meta: {
    id: 'DEF851',
    slug: 'stage-without-header',
    group: 'multistage',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A stage (or a whole file) with sections but no header.',
    description: [
      'At build time every stage needs a header; otherwise `apptainer build` stops with `multiple stages detected,',
      'all must have headers` — even for a single-stage file. Sections written before the first `Bootstrap:` form',
      'such a headerless stage.',
      '',
      '**Fix:** add `Bootstrap:`/`From:` above the sections, or move the sections below the right header.',
    ].join('\n'),
    bad: '%post\n    echo hi\n\nBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-BUILD `build.go`; deffile-format.md §12',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    for (const stage of stages) {
      if (stage.header !== null || stage.sections.length === 0) continue;
      const where = stages.length > 1 ? 'These sections come before any `Bootstrap:` and form a stage without header' : 'This file has no header';
      ctx.report({
        message: `${where}: the build fails with "multiple stages detected, all must have headers"`,
        range: sectionHeadRange(ctx.file, stage.sections[0]),
      });
    }
  },
});

export const stageUnnamed = defineRule({
  meta: {
    id: 'DEF852',
    slug: 'stage-unnamed',
    group: 'multistage',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A non-final stage without a usable `Stage:` name.',
    description: [
      'In a multi-stage file, earlier stages exist to be copied from with `%files from <name>`. Without `Stage:` —',
      'or with a name containing spaces, which `%files from` cannot express — nothing can reference the stage.',
      '',
      '**Fix:** add `Stage: <name>` (the quick fix inserts `Stage: stageN`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\n\n%post\n    go build -o /hello ./...\n\nBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\n%post\n    go build -o /hello ./...\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /usr/local/bin/hello\n',
    source: 'AP-DEF (multi-stage); deffile-format.md §12',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    if (stages.length < 2) return;
    stages.slice(0, -1).forEach((stage, index) => {
      // Headerless chunks and chunks without Bootstrap (keys before `Bootstrap:`) are DEF851/DEF102.
      if (stage.header === null || stage.headerValues.bootstrap === undefined) return;
      const name = stageName(ctx, stage);
      const entry = lastEntry(stage, 'stage');
      if (name !== undefined && name !== '' && !/\s/.test(name)) return;
      if (entry && name && /\s/.test(name)) {
        ctx.report({ message: `Stage name ${q(name)} contains spaces: \`%files from\` cannot reference it`, range: entry.valueRange });
        return;
      }
      const bootstrap = lastEntry(stage, 'bootstrap');
      const suggestions: Fix[] = [];
      if (bootstrap && !entry) {
        const at = endOfLine(ctx.file.text, bootstrap.range.start.offset);
        suggestions.push({ description: `Name the stage stage${index + 1}`, edits: [{ start: at, end: at, text: `\nStage: stage${index + 1}` }] });
      }
      ctx.report({ message: 'This stage has no `Stage:` name, so no later stage can copy from it with `%files from`', range: stageAnchor(ctx, stage), suggestions });
    });
  },
});

export const stageNameDuplicate = defineRule({
  meta: {
    id: 'DEF853',
    slug: 'stage-name-duplicate',
    group: 'multistage',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Two stages with the same `Stage:` name.',
    description: [
      '`%files from <name>` copies from the **first** stage with that name; a later stage with the same name can',
      'never be referenced and its work is silently ignored.',
      '',
      '**Fix:** give every stage its own name.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /a /a\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\nStage: docs\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /a /a\n\n%files from docs\n    /b /b\n',
    source: 'AP-BUILD `findStageIndex`; HL DL3024; deffile-format.md §12',
  },
  check(ctx) {
    const seen = new Map<string, Stage>();
    for (const stage of liveStages(ctx.file)) {
      const name = stageName(ctx, stage);
      const entry = lastEntry(stage, 'stage');
      if (!name || !entry) continue;
      const earlier = seen.get(name);
      if (!earlier) {
        seen.set(name, stage);
        continue;
      }
      ctx.report({
        message: `Stage name ${q(name)} is already used by the stage on line ${lastEntry(earlier, 'stage')!.range.start.line}: \`%files from ${name}\` always picks that one`,
        range: entry.valueRange,
      });
    }
  },
});

export const filesFromBadStage = defineRule({
  meta: {
    id: 'DEF854',
    slug: 'files-from-bad-stage',
    group: 'multistage',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`%files from X` where X is unknown, the current stage or a later one.',
    description: [
      '`%files from X` copies from the stage named X. An unknown name fails the build (`stage X was not found`).',
      'The current stage or a later one passes the lookup but copies from a root filesystem that is not built yet;',
      'only earlier stages are allowed.',
      '',
      '**Fix:** name an earlier stage (the quick fix proposes the nearest name).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from biuld\n    /hello /usr/local/bin/hello\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /usr/local/bin/hello\n',
    source: 'AP-DEF ("only from stages declared before"); AP-BUILD `findStageIndex`; HL DL3022/DL3023',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    const names = stages.map((stage) => stageName(ctx, stage));
    stages.forEach((stage, index) => {
      for (const section of fromSections(stage)) {
        const wanted = fromStageOf(ctx, stage, section);
        if (wanted === undefined) continue;
        const range = fromWordRange(ctx, section);
        const found = names.indexOf(wanted);
        if (found === -1) {
          const known = names.slice(0, index).filter((name): name is string => !!name);
          const candidate = nearest(wanted, known, 2);
          ctx.report({
            message: `No stage is named ${q(wanted)}: the build fails ("stage ${wanted} was not found")`,
            range,
            suggestions: candidate && wanted === section.fromStage ? [replaceFix(`Copy from ${candidate}`, range.start.offset, range.end.offset, candidate)] : [],
          });
        } else if (found === index) {
          ctx.report({ message: `%files from ${wanted} names the current stage: it would copy from its own unfinished root filesystem`, range });
        } else if (found > index) {
          ctx.report({ message: `Stage ${q(wanted)} is declared later: stages are built in order, so it is not built yet when this one copies from it`, range });
        }
      }
    });
  },
});

export const stageUnused = defineRule({
  meta: {
    id: 'DEF855',
    slug: 'stage-unused',
    group: 'multistage',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'A non-final stage that no `%files from` uses.',
    description: [
      'Only the last stage becomes the image; earlier stages matter only through `%files from <name>`. A named stage',
      'nothing copies from is built and thrown away.',
      '',
      '**Fix:** copy what you need from it, or delete it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: tools\n\n%post\n    echo building\n\nBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: tools\n\n%post\n    echo building > /built.txt\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from tools\n    /built.txt /opt/built.txt\n',
    source: 'AP-BUILD (only the last stage is assembled)',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    if (stages.length < 2) return;
    const used = new Set<string>();
    for (const stage of stages) for (const section of fromSections(stage)) {
      const name = fromStageOf(ctx, stage, section) ?? section.fromStage;
      if (name) used.add(name);
    }
    for (const stage of stages.slice(0, -1)) {
      const name = stageName(ctx, stage);
      if (!name || used.has(name) || /\s/.test(name)) continue;
      ctx.report({
        message: `Stage ${q(name)} is never used by \`%files from\`: only the last stage becomes the image, so its work is thrown away`,
        range: stageAnchor(ctx, stage),
        tags: ['unnecessary'],
      });
    }
  },
});

const RUNTIME_SECTIONS = new Set(['runscript', 'startscript', 'environment', 'labels', 'help', 'apprun', 'appstart', 'apphelp', 'applabels', 'appenv', 'apptest']);

export const runtimeSectionInIntermediateStage = defineRule({
  meta: {
    id: 'DEF856',
    slug: 'runtime-section-in-intermediate-stage',
    group: 'multistage',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Run-time sections (`%runscript`, `%environment`, `%labels`, ...) in a stage that is not the last.',
    description: [
      'Only the last stage is assembled into the image. `%runscript`, `%startscript`, `%environment`, `%labels`,',
      '`%help` and app metadata in an earlier stage never reach it (and `%environment` does not apply during that',
      'stage\'s build either).',
      '',
      '**Fix:** move these sections to the final stage.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\n%runscript\n    exec /hello\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /hello\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /hello\n\n%runscript\n    exec /hello\n',
    source: 'AP-BUILD (only the last stage is assembled)',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    for (const stage of stages.slice(0, -1)) {
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || !RUNTIME_SECTIONS.has(section.name) || section.body.trim() === '') continue;
        ctx.report({
          message: `${sectionLabel(section)} in a stage that is not the last: it never reaches the final image`,
          range: sectionHeadRange(ctx.file, section),
          tags: ['unnecessary'],
        });
      }
    }
  },
});

const WHOLE_TREE = new Set(['/', '/*', '/usr', '/usr/', '/usr/*']);

export const filesFromWholeTree = defineRule({
  meta: {
    id: 'DEF857',
    slug: 'files-from-whole-tree',
    group: 'multistage',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%files from <stage>` copying `/` or `/usr`.',
    description: [
      'Copying the whole root or `/usr` of a build stage drags its compilers, headers and caches back into the',
      'final image, which is what a multi-stage build is meant to avoid.',
      '',
      '**Fix:** copy only the installed prefix or the built binaries.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /usr /usr\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /usr/local/bin/hello /usr/local/bin/hello\n',
    source: 'HL DL3067 (analogue)',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      for (const section of fromSections(stage)) {
        for (const entry of section.files ?? []) {
          if (!WHOLE_TREE.has(entry.source)) continue;
          ctx.report({ message: `Copying ${q(entry.source)} from stage ${q(section.fromStage ?? '')} brings the whole build toolchain into the image`, range: entry.sourceRange });
        }
      }
    }
  },
});

export const stageRules: Rule[] = [
  stageWithoutHeader, stageUnnamed, stageNameDuplicate, filesFromBadStage, stageUnused, runtimeSectionInIntermediateStage, filesFromWholeTree,
];
