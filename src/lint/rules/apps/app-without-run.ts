// DEF803 app-without-run: App with sections but no `%apprun`.
import { finalStage } from '../../vocab/sections.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { appNameRange, appsOf, appendToStage } from '../../vocab/apps-apps.js';

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
    messages: {
      appHasNoApprun: 'App {{ app }} has no %apprun: `apptainer run --app {{ app2 }}` has nothing to run',
    },
  },
  check(ctx) {
    const stage = finalStage(ctx.file);
    if (!stage) return;
    for (const [app, sections] of appsOf(stage)) {
      if (app === '' || sections.some((section) => section.name === 'apprun')) continue;
      ctx.report({
        messageId: 'appHasNoApprun',
        data: { app: q(app), app2: app },
        range: appNameRange(ctx, sections[0]),
        suggestions: [appendToStage(ctx, stage, `%apprun ${app}\n    exec ${app} "$@"\n`, `Add %apprun ${app}`)],
      });
    }
  },
});
