// DEF605 install-into-bound-dir: Software installed into `/tmp`, `/var/tmp`, `/mnt`, `/srv` or a site-bound directory.
import { isBuildSection } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { installDestinations, BOUND_BY_DEFAULT } from '../../vocab/size-install-locations.js';

export const installIntoBoundDir = defineRule({
  create(ctx) {
    const site = Array.isArray(ctx.options.boundDirs) ? (ctx.options.boundDirs as string[]) : ['/scratch', '/lscratch'];
    const bound = [...BOUND_BY_DEFAULT, ...site].map((d) => d.replace(/\/+$/, ''));
    return {
      command(cmd, script) {
        if (!isBuildSection(script.section)) return;
        for (const d of installDestinations(cmd)) {
          const dir = bound.find((b) => d.path === b || d.path.startsWith(`${b}/`));
          if (!dir) continue;
          const why =
            dir === '/tmp' || dir === '/var/tmp'
              ? "is the host's directory during the build, so nothing installed there is kept"
              : 'is commonly bind-mounted at run time, hiding what the image has there';
          ctx.report({ messageId: 'installsIntoInstallUnder', data: { what: d.what, path: d.path, dir, why }, range: d.range });
        }
      },
    };
  },
  meta: {
    id: 'DEF605',
    slug: 'install-into-bound-dir',
    group: 'size',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Software installed into `/tmp`, `/var/tmp`, `/mnt`, `/srv` or a site-bound directory.',
    description: [
      "The host's `/tmp` and `/var/tmp` are mounted over the image during the build, so anything",
      'installed there is never stored; `/mnt`, `/srv` and site directories (option `boundDirs`,',
      'default `/scratch`, `/lscratch`) are commonly bind-mounted at run time and hide what the',
      'image has there. Install under `/opt` or `/usr/local`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt/src/tool-1.0\n    ./configure --prefix=/tmp/tool\n    make install\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt/src/tool-1.0\n    ./configure --prefix=/opt/tool\n    make install\n',
    source: 'AP-BP #1; apptainer/singularity#5514; apptainer/apptainer#490',
    needsShell: true,
    optionsSchema: { type: 'object', properties: { boundDirs: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    messages: {
      installsIntoInstallUnder: '{{ what }} installs into {{ path }}: {{ dir }} {{ why }}. Install under /opt or /usr/local.',
    },
  },
});
