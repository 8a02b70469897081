// DEF804 app-install-outside-app-dir: `%appinstall` writes outside the app's own directory.
import { shellDetails } from '../../shell/index.js';
import type { ShellWord } from '../../types.js';
import { declarationOf, pathText, redirectWords } from '../../vocab/shell-tree.js';
import { q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { WRITERS, PREFIX_ARG, outsideApp } from '../../vocab/apps-apps.js';

export const appInstallOutsideAppDir = defineRule({
  create(ctx) {
    const text = ctx.file.text;
    const prefixPath = (word: { raw: string; text: string; range: { start: { offset: number } } }): ShellWord | undefined => {
      const match = PREFIX_ARG.exec(word.text);
      if (!match) return undefined;
      const path = match[1];
      const at = word.raw.lastIndexOf(path);
      const start = word.range.start.offset + (at >= 0 ? at : word.raw.length - path.length);
      return { raw: path, text: path, isStatic: !/[$`]/.test(path), range: rangeOf(ctx.file, start, start + path.length) };
    };
    return {
      script(script) {
        const { section } = script;
        if (section.kind !== 'app' || section.name !== 'appinstall' || !section.app) return;
        const targets: ShellWord[] = [];
        for (const cmd of script.commands) {
          const paths = cmd.args.filter((arg) => !pathText(arg).startsWith('-'));
          if (WRITERS.has(cmd.baseName)) targets.push(...(['mkdir', 'touch', 'tee'].includes(cmd.baseName) ? paths : paths.slice(-1)));
          targets.push(...redirectWords(cmd, ctx.file));
          for (const arg of cmd.args) {
            const path = prefixPath(arg);
            if (path) targets.push(path);
          }
          for (const a of cmd.assignments) {
            const path = prefixPath({ raw: text.slice(a.range.start.offset, a.range.end.offset), text: `${a.name}=${a.value}`, range: a.range });
            if (path) targets.push(path);
          }
        }
        // `PREFIX=/usr/local` on its own: the prefix the following build installs into.
        for (const a of shellDetails(script).assignments) {
          if (declarationOf(script, a)) continue; // `export PREFIX=/x`: an argument of export, seen above
          const path = prefixPath({ raw: text.slice(a.range.start.offset, a.range.end.offset), text: `${a.name}=${a.value}`, range: a.range });
          if (path) targets.push(path);
        }
        targets.sort((a, b) => a.range.start.offset - b.range.start.offset);
        const seen = new Set<number>(); // `export PREFIX=/x` is both an argument and an assignment
        for (const target of targets) {
          if (seen.has(target.range.start.offset) || !outsideApp(pathText(target), section.app)) continue;
          seen.add(target.range.start.offset);
          ctx.report({
            messageId: 'appinstallWritesOutsideApp',
            data: { app: section.app, target: q(target.raw) },
            range: target.range,
          });
        }
      },
    };
  },
  meta: {
    id: 'DEF804',
    slug: 'app-install-outside-app-dir',
    group: 'apps',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: "`%appinstall` writes outside the app's own directory.",
    description: [
      "Every `%appinstall` is appended to `%post` and runs in every build, in the app's directory",
      '(`$SCIF_APPROOT` = `/scif/apps/<name>`). Installing into shared places (`/usr/local`, `/opt`) lets apps',
      'overwrite each other and defeats the point of SCIF apps.',
      '',
      "**Fix:** install under `$SCIF_APPROOT` (its `bin/` and `lib/` are on the app's paths).",
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%appinstall hello\n    cp hello.sh /usr/local/bin/hello\n\n%apprun hello\n    exec hello "$@"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%appinstall hello\n    cp hello.sh "$SCIF_APPROOT/bin/hello"\n\n%apprun hello\n    exec hello "$@"\n',
    source: 'AP-DEF (SCIF paragraph); deffile-format.md §11.2',
    needsShell: true,
    messages: {
      appinstallWritesOutsideApp: '%appinstall {{ app }} writes to {{ target }}, outside its app directory ($SCIF_APPROOT)',
    },
  },
});
