// DEF216 label-schema: Required labels missing, or label values in the wrong format.
import { finalStage } from '../../vocab/sections.js';
import { q, rangeOf, sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { labelEntries, FORMATS, BUILTIN_LABEL_SCHEMA } from '../../vocab/sections-files-labels.js';

export const labelSchema = defineRule({
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
        : (stage.header?.[0]?.range ?? (stage.sections[0] ? sectionHeadRange(ctx.file, stage.sections[0]) : rangeOf(ctx.file, 0, 0)));
      ctx.report({ messageId: 'requiredLabelMissing', data: { name: q(name) }, range: anchor });
    }
    const schema = { ...BUILTIN_LABEL_SCHEMA, ...ctx.settings.labelSchema };
    for (const { label } of labels) {
      const format = schema[label.key];
      if (format === undefined || label.value.includes('{{') || label.value.includes('$')) continue;
      // A named format, or else a regular expression (the config loader has checked that it compiles).
      const named = Object.hasOwn(FORMATS, format);
      if (named ? FORMATS[format](label.value) : new RegExp(format).test(label.value)) continue;
      const expected = named ? `should be ${format}` : `should match /${format}/`;
      ctx.report({ messageId: 'labelDoesNot', data: { key: q(label.key), expected, label: q(label.value) }, range: label.valueRange ?? label.keyRange });
    }
  },
  meta: {
    id: 'DEF216',
    slug: 'label-schema',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Required labels missing, or label values in the wrong format.',
    description: [
      "Labels are the image's searchable metadata. Configure required labels (`requiredLabels` setting or the",
      '`required` option, e.g. `[Maintainer, Version]`) and value formats (`labelSchema`: key → `semver`, `url`,',
      '`email`, `spdx`, `rfc3339`, `githash`, or a regular expression such as `^\\d+\\.\\d+$`). Well-known OCI and label-schema keys are checked out of the box',
      '(`org.opencontainers.image.created` must be RFC 3339, `...source` a URL, `...licenses` an SPDX expression).',
      "Only the final stage's `%labels` reach the image.",
      '',
      '**Fix:** add the label, or correct its value.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    org.opencontainers.image.created yesterday\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    org.opencontainers.image.created 2026-01-31T12:00:00Z\n',
    source: 'HL DL3049–DL3058; AP-DEF (%labels); OCI image-spec annotations',
    optionsSchema: {
      type: 'object',
      properties: {
        required: {
          type: 'array',
          items: { type: 'string' },
          default: [],
          description: 'Labels the final stage must set (added to the requiredLabels setting).',
        },
      },
      additionalProperties: false,
    },
    messages: {
      requiredLabelMissing: 'Required label {{ name }} is missing',
      labelDoesNot: 'Label {{ key }} {{ expected }}: {{ label }} does not',
    },
  },
});
