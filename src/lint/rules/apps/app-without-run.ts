// DEF803 app-without-run: App with sections but no `%apprun`.
import { defineRule } from '../../define-rule.js';
import { reportAppsWithout } from '../../vocab/apps-apps.js';

export const appWithoutRun = defineRule({
  check(ctx) {
    reportAppsWithout(ctx, 'apprun', 'noApprun', (app) => ({ text: `%apprun ${app}\n    exec ${app} "$@"\n`, description: `Add %apprun ${app}` }));
  },
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
      noApprun: 'App {{ app }} has no %apprun: `apptainer run --app {{ name }}` has nothing to run',
    },
  },
});
