// DEF805 app-missing-help: App without `%apphelp`.
import { defineRule } from '../../define-rule.js';
import { reportAppsWithout } from '../../vocab/apps-apps.js';

export const appMissingHelp = defineRule({
  check(ctx) {
    reportAppsWithout(ctx, 'apphelp', 'noApphelp', (app) => ({
      text: `%apphelp ${app}\n    Describe what ${app} does and how to run it.\n`,
      description: `Add %apphelp ${app}`,
    }));
  },
  meta: {
    id: 'DEF805',
    slug: 'app-missing-help',
    group: 'apps',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'App without `%apphelp`.',
    description: [
      '`apptainer run-help --app <name>` shows `%apphelp`; without it users of the app get nothing.',
      '',
      '**Fix:** add `%apphelp <name>` (the quick fix adds a stub).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun hello\n    exec echo hi "$@"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apphelp hello\n    Prints a greeting.\n\n%apprun hello\n    exec echo hi "$@"\n',
    source: 'AP-BP #2',
    fixKind: 'suggestion',
    messages: {
      noApphelp: 'App {{ app }} has no %apphelp',
    },
  },
});
