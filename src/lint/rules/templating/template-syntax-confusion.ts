// DEF907 template-syntax-confusion: Template-like text Apptainer does not substitute: `${{X}}`, `{{ X }`, `$VAR` or `%{X}` in the header.
import { q, rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { SHELL_VAR_IN_HEADER, PERCENT_MACRO, MACRO_KEYS, NO_SHELL_KEYS } from '../../vocab/templating-templates.js';

export const templateSyntaxConfusion = defineRule({
  create: (ctx) => ({
    headerEntry(entry) {
      if (!entry.valid || entry.key === 'productpgp') return;
      const valueStart = entry.valueRange.start.offset;
      const value = ctx.file.text.slice(valueStart, entry.valueRange.end.offset);
      for (const match of NO_SHELL_KEYS.has(entry.key) ? value.matchAll(SHELL_VAR_IN_HEADER) : []) {
        const start = valueStart + match.index!;
        const name = match[0].replace(/[${}]/g, '');
        ctx.report({
          messageId: 'headerValuesNotShell',
          data: { match: q(match[0]), placeholder: `{{ ${name} }}` },
          range: rangeOf(ctx.file, start, start + match[0].length),
          suggestions: [replaceFix(`Use {{ ${name} }}`, start, start + match[0].length, `{{ ${name} }}`)],
        });
      }
      if (MACRO_KEYS.has(entry.key) || /^otherurl\d+$/.test(entry.key)) return;
      for (const match of value.matchAll(PERCENT_MACRO)) {
        const start = valueStart + match.index!;
        ctx.report({
          messageId: 'onlyReplacedMirrorURLUpdateURL',
          data: { match: q(match[0]) },
          range: rangeOf(ctx.file, start, start + match[0].length),
        });
      }
    },
    chunk(stage) {
      const stageText = ctx.file.text.slice(stage.range.start.offset, stage.range.end.offset);
      for (const { pattern, messageId } of BRACE_MISTAKES) {
        for (const match of stageText.matchAll(pattern)) {
          const start = stage.range.start.offset + match.index!;
          ctx.report({
            messageId,
            data: { match: q(match[0]), braces: '{{ }}', form: '`{{ NAME }}`' },
            range: rangeOf(ctx.file, start, start + match[0].length),
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF907',
    slug: 'template-syntax-confusion',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Template-like text Apptainer does not substitute: `${{X}}`, `{{ X }`, `$VAR` or `%{X}` in the header.',
    description: [
      'Only `{{ NAME }}` is templated. `${{ X }}` leaves a stray `$`, unbalanced `{{ X }` stays literal, header',
      'values are never shell-expanded (`From: ubuntu:$TAG` is taken literally), and `%{OSVERSION}` is only',
      'replaced in the yum/zypper mirror URLs.',
      '',
      '**Fix:** use `{{ NAME }}` with a default in `%arguments` (the quick fix rewrites `$NAME`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:$UBUNTU_TAG\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:{{ UBUNTU_TAG }}\n\n%arguments\n    UBUNTU_TAG=24.04\n',
    source: 'AP-ARGS regex; AP-APPX (`%{OSVERSION}` only in MirrorURL); apptainer/singularity#1188',
    fixKind: 'suggestion',
    messages: {
      dollarInFront: '{{ match }}: Apptainer substitutes the {{ braces }} part and leaves the `$` in front',
      unbalanced: 'Unbalanced {{ match }}: only {{ form }} is substituted, this stays literal',
      headerValuesNotShell: 'Header values are not shell-expanded: {{ match }} is taken literally; use {{ placeholder }}',
      onlyReplacedMirrorURLUpdateURL: '{{ match }} is only replaced in MirrorURL/UpdateURL of yum/zypper bootstraps: here it stays literal',
    },
  },
});

/** Placeholders written with one brace too many or too few. */
const BRACE_MISTAKES: { pattern: RegExp; messageId: 'dollarInFront' | 'unbalanced' }[] = [
  { pattern: /\$\{\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}\}/g, messageId: 'dollarInFront' },
  { pattern: /(?<!\{)\{\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}(?!\})/g, messageId: 'unbalanced' },
  { pattern: /(?<![{$])\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}\}(?!\})/g, messageId: 'unbalanced' },
];
