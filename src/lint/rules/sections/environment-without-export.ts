// DEF206 environment-without-export: `NAME=value` in `%environment` without `export`.
import { assignmentStatements, declarationOf, isAmbient } from '../../vocab/shell-tree.js';
import { isEnvironmentSection } from '../../vocab/sections.js';
import { q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const environmentWithoutExport = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!isEnvironmentSection(script.section)) return;
      if (script.setOptions.some((o) => o.option === 'allexport')) return;
      const assignments = assignmentStatements(script, ctx.file);
      const exported = new Set(assignments.filter((a) => a.exported).map((a) => a.name));
      const text = ctx.file.text;
      let groupStart = -1;
      let previousEnd = -1;
      for (const assignment of assignments) {
        const start = assignment.range.start.offset;
        // `A=1 B=2`: one statement; `export ` goes before its first assignment.
        if (previousEnd < 0 || !/^[ \t]+$/.test(text.slice(previousEnd, start))) groupStart = start;
        previousEnd = assignment.exported || assignment.nested ? -1 : assignment.range.end.offset;
        const { name } = assignment;
        // Lowercase names are the script's own helpers, not settings meant for the program.
        if (assignment.exported || assignment.nested || exported.has(name) || isAmbient(name) || /[a-z]/.test(name)) continue;
        if (declarationOf(script, assignment)) continue; // `readonly X=1`, `local X=1`
        ctx.report({
          messageId: 'setButNotExported',
          data: { name: q(name) },
          range: rangeOf(ctx.file, start, start + name.length),
          fix: { description: `export ${name}`, edits: [{ start: groupStart, end: groupStart, text: 'export ' }] },
        });
      }
    },
  }),
  meta: {
    id: 'DEF206',
    slug: 'environment-without-export',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`NAME=value` in `%environment` without `export`.',
    description: [
      '`%environment` is sourced by the shell that then `exec`s the program. A variable that is set but not',
      'exported stays in that shell: the program never sees it. (Variables that are already exported, such as',
      '`PATH` or `LD_LIBRARY_PATH`, stay exported and are not reported.)',
      '',
      '**Fix:** `export NAME=value` (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    OMP_NUM_THREADS=1\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export OMP_NUM_THREADS=1\n',
    source: 'AP-DEF (%environment: export needed for all processes)',
    fixKind: 'safe',
    needsShell: true,
    messages: {
      setButNotExported: '{{ name }} is set but not exported: the program started by the container does not see it',
    },
  },
});
