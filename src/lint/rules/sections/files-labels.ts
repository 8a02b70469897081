// %files and %labels rules (DEF201–DEF204, DEF216).
import type { FileEntry, LabelEntry, Section, Stage } from '../../../parse/model.js';
import type { Fix, Rule, RuleContext } from '../../types.js';
import { finalStage } from '../util/sections.js';
import { deleteFix, endOfLine, endOfLineIncludingNewline, q, rangeOf, replaceFix, sectionHeadRange, startOfLine } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

function filesSections(stage: Stage): Section[] {
  return stage.sections.filter((section) => section.name === 'files' && section.kind === 'standard');
}

/** Raw text of a token range, quotes included. */
function rawOf(ctx: RuleContext, range: { start: { offset: number }; end: { offset: number } }): string {
  return ctx.file.text.slice(range.start.offset, range.end.offset);
}

export const filesExtraFields = defineRule({
  meta: {
    id: 'DEF201',
    slug: 'files-extra-fields',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%files` line with more than two fields (or an inline comment): the rest is silently dropped.',
    description: [
      'Each `%files` line is `source [destination]`. Apptainer takes the first two fields and silently ignores the',
      'rest, so the Docker habit `a b c /dest/` copies only `a` to `b`. An inline `# comment` is no comment here:',
      '`src # note` copies `src` to a file named `#`.',
      '',
      '**Fix:** one line per source (the quick fix splits the line when the last field is a directory ending in `/`);',
      'put comments on their own line.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    run.sh config.yaml /opt/app/\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    run.sh /opt/app/\n    config.yaml /opt/app/\n',
    source: 'AP-PARSER (files); deffile-format.md §9.1, §16 item 39',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const section of filesSections(stage)) {
        for (const entry of section.files ?? []) {
          if (!entry.destinationRange) continue;
          const lineStart = startOfLine(text, entry.range.start.offset);
          const lineEnd = endOfLine(text, entry.range.start.offset);
          const indent = /^[ \t]*/.exec(text.slice(lineStart, lineEnd))![0];
          if (entry.destination.startsWith('#')) {
            ctx.report({
              message: `Inline comments do not exist in %files: ${q(entry.source)} is copied to a file named ${q(entry.destination)}`,
              range: rangeOf(ctx.file, entry.destinationRange.start.offset, lineEnd),
            });
            continue;
          }
          // A trailing `# note` after source and destination is dropped, which is what its author wanted.
          if (entry.extra.length === 0 || entry.extra[0].startsWith('#')) continue;
          let extraStart = entry.destinationRange.end.offset;
          while (extraStart < lineEnd && /\s/.test(text[extraStart])) extraStart++;
          const tokens = [rawOf(ctx, entry.sourceRange), rawOf(ctx, entry.destinationRange), ...entry.extra.map((t) => (/\s/.test(t) ? `"${t}"` : t))];
          const last = tokens[tokens.length - 1];
          const suggestions: Fix[] = last.replace(/"$/, '').endsWith('/')
            ? [replaceFix(`One line per source, each into ${last}`, lineStart, lineEnd, tokens.slice(0, -1).map((t) => `${indent}${t} ${last}`).join('\n'))]
            : [replaceFix('Remove the ignored fields', entry.destinationRange.end.offset, lineEnd, '')];
          ctx.report({
            message: `%files uses only the first two fields (${q(entry.source)} → ${q(entry.destination)}); ${q(entry.extra.join(' '))} is ignored`,
            range: rangeOf(ctx.file, extraStart, lineEnd),
            suggestions,
          });
        }
      }
    }
  },
});

const BOUND_DIRS = ['/tmp', '/var/tmp', '/home'];

/** Where a %files entry lands in the container ('' if it cannot be told). */
function landingPath(entry: FileEntry): string {
  const raw = entry.destination !== '' ? entry.destination : entry.source;
  if (raw.includes('{{')) return '';
  if (/^(\$HOME|\$\{HOME\}|~)(\/|$)/.test(raw)) return raw;
  const absolute = raw.startsWith('/') ? raw : `/${raw.replace(/^\.\//, '')}`;
  return absolute.replace(/\/{2,}/g, '/').replace(/\/\.(\/|$)/g, '/');
}

function boundDirOf(path: string): string | undefined {
  if (/^(\$HOME|\$\{HOME\}|~)(\/|$)/.test(path)) return '$HOME';
  return BOUND_DIRS.find((dir) => path === dir || path.startsWith(`${dir}/`));
}

export const filesDestInBoundDir = defineRule({
  meta: {
    id: 'DEF202',
    slug: 'files-dest-in-bound-dir',
    group: 'sections',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`%files` copies into `/tmp`, `/var/tmp` or `/home`, which are hidden by host mounts.',
    description: [
      'Apptainer mounts the host\'s `/tmp`, `/var/tmp` and `$HOME` over the container\'s at run time (and during',
      '`%post`), so whatever the image holds there is invisible. A relative source without destination lands at the',
      'same path under `/`, so `tmp/x` lands in `/tmp/x` too.',
      '',
      '**Fix:** copy into a system location such as `/opt/...` (the quick fix proposes it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    data.csv /tmp/data.csv\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    data.csv /opt/data/data.csv\n',
    source: 'apptainer/singularity#2707, #5514, #5848; AP-BIND; AP-BUILD',
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const section of filesSections(stage)) {
        for (const entry of section.files ?? []) {
          const path = landingPath(entry);
          const dir = path ? boundDirOf(path) : undefined;
          if (!dir) continue;
          const explicit = entry.destination !== '' && entry.destinationRange !== undefined;
          const range = explicit ? entry.destinationRange! : entry.sourceRange;
          const suggestions: Fix[] = [];
          if (explicit && dir !== '$HOME') {
            const start = entry.destinationRange!.start.offset + ctx.file.text.slice(entry.destinationRange!.start.offset).indexOf(dir);
            suggestions.push(replaceFix(`Copy into /opt instead of ${dir}`, start, start + dir.length, '/opt'));
          }
          ctx.report({
            message: `${q(path)} is under ${dir}, which the host mounts over at run time: the copied file is invisible`,
            range,
            suggestions,
          });
        }
      }
    }
  },
});

function labelEntries(stage: Stage): { section: Section; label: LabelEntry }[] {
  const out: { section: Section; label: LabelEntry }[] = [];
  for (const section of stage.sections) {
    if (section.kind === 'unknown' || (section.name !== 'labels' && section.name !== 'applabels')) continue;
    for (const label of section.labels ?? []) out.push({ section, label });
  }
  return out;
}

const SEPARATOR = /[=:\t]/;

export const labelsSeparator = defineRule({
  meta: {
    id: 'DEF203',
    slug: 'labels-separator',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Label written `Key=value`, `Key: value` or with a tab: only a space separates key and value.',
    description: [
      'Apptainer splits each `%labels` line at the first space, nothing else: `Author=me` is a label named',
      '`Author=me` with an empty value, `Version: 1.0` a label named `Version:`, and `Author<TAB>me` one key with',
      'an empty value.',
      '',
      '**Fix:** write `Key value` (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author=me@example.org\n    Version: 1.0\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me@example.org\n    Version 1.0\n',
    source: 'AP-PARSER `GetLabels`; HL DL3048; deffile-format.md §10',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const { label } of labelEntries(stage)) {
        const at = label.key.search(SEPARATOR);
        if (at <= 0) continue;
        const sepStart = label.keyRange.start.offset + at;
        const lineEnd = endOfLine(text, sepStart);
        let sepEnd = sepStart + 1;
        while (sepEnd < lineEnd && /[ \t]/.test(text[sepEnd])) sepEnd++;
        const separator = label.key[at] === '\t' ? 'a tab' : q(label.key[at]);
        const name = label.key.slice(0, at);
        // `Key="a b"`: quotes are not syntax in %labels, so the fix drops them with the separator.
        const quoted = /^(["'])(.*)\1\s*$/.exec(text.slice(sepEnd, lineEnd));
        const fix = quoted
          ? replaceFix(`Write \`${name} ${quoted[2]}\``, sepStart, lineEnd, ` ${quoted[2]}`)
          : replaceFix(`Write \`${name} <value>\``, sepStart, sepEnd, sepEnd === lineEnd ? '' : ' ');
        ctx.report({
          message: `Labels are split at the first space only: with ${separator} this is a label named ${q(label.key)}${label.value ? '' : ' with an empty value'}`,
          range: rangeOf(ctx.file, sepStart, sepStart + 1),
          fix,
        });
      }
    }
  },
});

export const labelEmptyOrDuplicate = defineRule({
  meta: {
    id: 'DEF204',
    slug: 'label-empty-or-duplicate',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Label without a value, or the same label twice.',
    description: [
      'A label line with a single word gets an empty value; a key set twice keeps only the last value (for app',
      'labels: per app).',
      '',
      '**Fix:** give the label a value, and keep one line per key (the quick fix deletes the overridden line).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Version 1.0\n    Maintainer\n    Version 1.1\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Maintainer me@example.org\n    Version 1.1\n',
    source: 'AP-PARSER `GetLabels`; HL DL3051',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      const seen = new Map<string, LabelEntry>();
      for (const { section, label } of labelEntries(stage)) {
        if (label.value === '' && !SEPARATOR.test(label.key)) {
          ctx.report({ message: `Label ${q(label.key)} has no value`, range: label.keyRange });
        }
        const scope = section.name === 'applabels' ? `app ${section.app} ` : '';
        const key = `${scope}${label.key}`;
        const earlier = seen.get(key);
        seen.set(key, label);
        if (!earlier) continue;
        const start = startOfLine(text, earlier.range.start.offset);
        ctx.report({
          message: `Label ${q(label.key)} is already set on line ${earlier.range.start.line}; this value wins`,
          range: label.keyRange,
          suggestions: [deleteFix(`Delete line ${earlier.range.start.line}`, start, endOfLineIncludingNewline(text, earlier.range.start.offset))],
        });
      }
    }
  },
});

type FormatCheck = (value: string) => boolean;

const FORMATS: Record<string, FormatCheck> = {
  semver: (v) => /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v),
  url: (v) => /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(v),
  email: (v) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v) || /^[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v),
  spdx: (v) => /^\(?[A-Za-z0-9.+-]+(?:\s+(?:AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*\)?$/.test(v),
  rfc3339: (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(v),
  githash: (v) => /^[0-9a-f]{7,40}$/.test(v),
};

/** Well-known label keys and their formats (OCI annotations, label-schema). */
const BUILTIN_LABEL_SCHEMA: Record<string, string> = {
  'org.opencontainers.image.created': 'rfc3339',
  'org.opencontainers.image.url': 'url',
  'org.opencontainers.image.source': 'url',
  'org.opencontainers.image.documentation': 'url',
  'org.opencontainers.image.licenses': 'spdx',
  'org.label-schema.build-date': 'rfc3339',
  'org.label-schema.url': 'url',
  'org.label-schema.vcs-url': 'url',
  'org.label-schema.vcs-ref': 'githash',
};

export const labelSchema = defineRule({
  meta: {
    id: 'DEF216',
    slug: 'label-schema',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Required labels missing, or label values in the wrong format.',
    description: [
      'Labels are the image\'s searchable metadata. Configure required labels (`requiredLabels` setting or the',
      '`required` option, e.g. `[Maintainer, Version]`) and value formats (`labelSchema`: key → `semver`, `url`,',
      '`email`, `spdx`, `rfc3339`, `githash`, or a regular expression such as `^\\d+\\.\\d+$`). Well-known OCI and label-schema keys are checked out of the box',
      '(`org.opencontainers.image.created` must be RFC 3339, `...source` a URL, `...licenses` an SPDX expression).',
      'Only the final stage\'s `%labels` reach the image.',
      '',
      '**Fix:** add the label, or correct its value.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    org.opencontainers.image.created yesterday\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    org.opencontainers.image.created 2026-01-31T12:00:00Z\n',
    source: 'HL DL3049–DL3058; AP-DEF (%labels); OCI image-spec annotations',
    optionsSchema: {
      type: 'object',
      properties: {
        required: { type: 'array', items: { type: 'string' }, default: [], description: 'Labels the final stage must set (added to the requiredLabels setting).' },
      },
      additionalProperties: false,
    },
  },
  check(ctx) {
    const stage = finalStage(ctx.file);
    if (!stage) return;
    const labels = labelEntries(stage).filter(({ section }) => section.name === 'labels');
    const required = [...new Set([...ctx.settings.requiredLabels, ...((ctx.options.required as string[] | undefined) ?? [])])];
    const present = new Set(labels.map(({ label }) => label.key.toLowerCase()));
    const labelsSection = stage.sections.find((section) => section.name === 'labels');
    for (const name of required) {
      if (present.has(name.toLowerCase())) continue;
      const anchor = labelsSection
        ? sectionHeadRange(ctx.file, labelsSection)
        : stage.header?.[0]?.range ?? (stage.sections[0] ? sectionHeadRange(ctx.file, stage.sections[0]) : rangeOf(ctx.file, 0, 0));
      ctx.report({ message: `Required label ${q(name)} is missing`, range: anchor });
    }
    const schema = { ...BUILTIN_LABEL_SCHEMA, ...ctx.settings.labelSchema };
    for (const { label } of labels) {
      const format = schema[label.key];
      if (format === undefined || label.value.includes('{{') || label.value.includes('$')) continue;
      // A named format, or else a regular expression (the config loader has checked that it compiles).
      const named = Object.hasOwn(FORMATS, format);
      if (named ? FORMATS[format](label.value) : new RegExp(format).test(label.value)) continue;
      const expected = named ? `should be ${format}` : `should match /${format}/`;
      ctx.report({ message: `Label ${q(label.key)} ${expected}: ${q(label.value)} does not`, range: label.valueRange ?? label.keyRange });
    }
  },
});

export const filesLabelsRules: Rule[] = [filesExtraFields, filesDestInBoundDir, labelsSeparator, labelEmptyOrDuplicate, labelSchema];

