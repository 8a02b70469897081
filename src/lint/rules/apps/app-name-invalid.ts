// DEF802 app-name-invalid: App name with path or shell characters, or that collides with another app.
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { appNameRange, appsOf, envName } from '../../vocab/apps-apps.js';

export const appNameInvalid = defineRule({
  create: (ctx) => ({
    chunk(stage) {
      const seen = new Map<string, string>();
      for (const [app, sections] of appsOf(stage)) {
        if (app === '') continue;
        const range = appNameRange(ctx, sections[0]);
        if (/[/\\"'$`*?]|\.\./.test(app) || app.startsWith('-')) {
          ctx.report({ messageId: 'appNameContainsCharacters', data: { app: q(app) }, range });
          continue;
        }
        const env = envName(app);
        const other = seen.get(env);
        if (other !== undefined && other !== app) {
          ctx.report({ messageId: 'appsShareScifVariable', data: { other: q(other), app: q(app), env: q(env) }, range });
        }
        seen.set(env, app);
      }
    },
  }),
  meta: {
    id: 'DEF802',
    slug: 'app-name-invalid',
    group: 'apps',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'App name with path or shell characters, or that collides with another app.',
    description: [
      'App names become directories (`/scif/apps/<name>`) and parts of variable names (`SCIF_APPROOT_<name>` with',
      'every character outside `[A-Za-z0-9_]` turned into `_`). Names with `/`, `..`, quotes, `$` or backslashes escape',
      'or break those paths, and `my-app` / `my_app` end up with the same variables.',
      '',
      '**Fix:** use letters, digits and `_` (or `-`, if no other app differs only by it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun tools/convert\n    exec echo convert\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun convert\n    exec echo convert\n',
    source: 'AP-DEF (SCIF); deffile-format.md §11.2, §16 item 46',
    messages: {
      appNameContainsCharacters: 'App name {{ app }} contains characters that break its /scif/apps path or variables',
      appsShareScifVariable: 'Apps {{ other }} and {{ app }} share the SCIF variable suffix {{ env }}: their SCIF_APP* variables collide',
    },
  },
});
