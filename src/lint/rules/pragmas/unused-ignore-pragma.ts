// DEF990: a pragma entry that suppressed nothing. Listens to `suppressions`: runs after every other rule.
import { removalFix } from '../../pragmas.js';
import { defineRule } from '../../define-rule.js';

export const unusedIgnorePragma = defineRule({
  create: (ctx) => ({
    suppressions({ pragmas, used, ran }) {
      for (const pragma of pragmas) {
        // An entry naming this rule only silences reports that come after it: never call it unused.
        const unused = pragma.rules.filter((rule) => rule.id !== 'DEF990' && ran(rule.id) && !used(pragma, rule.id));
        if (unused.length === 0) continue;
        const ids = [...new Set(unused.map((rule) => rule.id))];
        const where = pragma.scope === 'file' ? 'in this file' : pragma.scope === 'section' ? 'in this section' : 'on its line';
        ctx.report({
          messageId: 'pragmaSuppressesNothing',
          data: { where, ids: ids.join(', ') },
          range: unused.length === pragma.rules.length ? pragma.range : { start: unused[0].range.start, end: unused[unused.length - 1].range.end },
          fix: removalFix(ctx.file, pragma, ids),
          tags: ['unnecessary'],
        });
      }
    },
  }),
  meta: {
    id: 'DEF990',
    slug: 'unused-ignore-pragma',
    group: 'pragmas',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'An `# apptainer-lint ignore=` pragma suppresses nothing.',
    description: [
      'A suppression that no longer matches a finding hides nothing today but will silently hide a',
      'real problem the day one appears on that line again. Remove it, or remove the rule names it no',
      'longer needs. The fix deletes the stale names (or the whole pragma).',
      '',
      'ShellCheck codes are only checked when ShellCheck actually ran, so `--no-shellcheck` does not',
      'make every `SCxxxx` pragma look unused.',
    ].join('\n'),
    bad: [
      'Bootstrap: docker',
      'From: ubuntu:22.04',
      '',
      '%post',
      '    # apptainer-lint ignore=unknown-section -- left over from an old version',
      '    echo hello',
      '',
    ].join('\n'),
    good: ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', '    echo hello', ''].join('\n'),
    source: 'ESLint-style reporting of unused disable directives (catalogue §4.13).',
    fixKind: 'safe',
    messages: {
      pragmaSuppressesNothing: 'Pragma suppresses nothing {{ where }} for {{ ids }}.',
    },
  },
});
