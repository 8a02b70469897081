// DEF992: a pragma that cannot be understood, or names an unknown rule. Such a pragma suppresses
// nothing, so the finding it was meant for would show up anyway, and the typo would go unnoticed.
import { defineRule } from '../../define-rule.js';

export const invalidPragma = defineRule({
  check(ctx) {
    for (const problem of ctx.pragmas.problems) {
      ctx.report({ messageId: problem.messageId, data: problem.data, range: problem.range, suggestions: problem.suggestions });
    }
  },
  meta: {
    id: 'DEF992',
    slug: 'invalid-pragma',
    group: 'pragmas',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Malformed `# apptainer-lint` pragma or unknown rule name.',
    description: [
      'Pragmas have the form `# apptainer-lint ignore=RULE[,RULE...] [-- reason]`, with',
      '`ignore-section=` and `ignore-file=` for wider scopes. Rules are named by id (`DEF201`), slug',
      '(`files-extra-fields`) or ShellCheck code (`SC2086`). Anything else after `# apptainer-lint` is',
      'reported here instead of being ignored silently, with the closest rule name as a suggestion.',
    ].join('\n'),
    bad: ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', '    # apptainer-lint disable=DEF990', '    echo hello', ''].join('\n'),
    good: [
      'Bootstrap: docker',
      'From: ubuntu:22.04',
      '',
      '%post',
      '    # apptainer-lint ignore-section=SC2086 -- word splitting is wanted below',
      '    echo $FLAGS',
      '',
    ].join('\n'),
    source: "hadolint's Pragma.hs drops unparsable pragmas silently; this rule reports them (catalogue §4.13).",
    messages: {
      malformed: "Malformed pragma: expected '# apptainer-lint ignore=RULE[,RULE...] [-- reason]' (or ignore-section=, ignore-file=).",
      unknownRule: "Unknown rule '{{ name }}' in pragma.",
      unknownRuleDidYouMean: "Unknown rule '{{ name }}' in pragma (did you mean '{{ hint }}'?).",
      noRule: 'Pragma names no rule.',
      sectionOutside: 'ignore-section pragma outside a section (use it inside the section or on its section line).',
    },
  },
});
