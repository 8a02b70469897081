// DEF007 duplicate-section: The same section appears twice in a stage; Apptainer concatenates the bodies.
import type { Section } from '../../../parse/model.js';
import { sectionKey, sectionLabel } from '../../vocab/sections.js';
import { q, sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { WARN_ON_DUPLICATE } from '../../vocab/syntax-sections.js';

export const duplicateSection = defineRule({
  create(ctx) {
    // The first section of each name in the current stage (a later stage starts afresh).
    let first = new Map<string, Section>();
    return {
      chunk() {
        first = new Map();
      },
      section(section) {
        if (section.kind === 'unknown' || section.name === 'files' || section.name === 'appfiles') return;
        const key = sectionKey(section);
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, section);
          return;
        }
        const argsReplaced = section.app === undefined && section.hasArgs && section.args !== earlier.args && earlier.args.trim() !== '';
        ctx.report({
          messageId: argsReplaced ? 'argumentsReplaced' : 'appended',
          data: { section: sectionLabel(section), line: earlier.lineRange.start.line, args: q(section.args), earlierArgs: q(earlier.args) },
          range: sectionHeadRange(ctx.file, section),
          severity: WARN_ON_DUPLICATE.has(section.name) ? undefined : 'info',
        });
      },
    };
  },
  meta: {
    id: 'DEF007',
    slug: 'duplicate-section',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'The same section appears twice in a stage; Apptainer concatenates the bodies.',
    description: [
      'Repeating a section (or an app section for the same app) does not replace the first one: Apptainer appends the',
      'bodies in file order, and the arguments of the last occurrence that has any win (`%post ` with a trailing space',
      'even clears them). Two `%runscript`, `%help` or `%test` bodies glued together are rarely intended (warning);',
      'a second `%post`, `%environment` or `%labels` is usually harmless but harder to read (info). Repeated `%files`',
      'blocks are not reported: they are a normal way to copy from several stages.',
      '',
      '**Fix:** merge the sections into one.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    echo one\n\n%runscript\n    echo two\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    echo one\n    echo two\n',
    source: 'AP-DEF ("appended"), AP-PARSER; deffile-format.md §7.4',
    messages: {
      appended: '{{ section }} already appears on line {{ line }}: Apptainer appends this body to it',
      argumentsReplaced:
        '{{ section }} already appears on line {{ line }}: Apptainer appends this body to it, and the arguments {{ args }} replace {{ earlierArgs }}',
    },
  },
});
