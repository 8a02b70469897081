// DEF202 files-dest-in-bound-dir: `%files` copies into `/tmp`, `/var/tmp` or `/home`, which are hidden by host mounts.
import type { Fix } from '../../types.js';
import { q } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { isFilesSection, landingPath, boundDirOf } from '../../vocab/sections-files-labels.js';

export const filesDestInBoundDir = defineRule({
  create: (ctx) => ({
    section(section) {
      if (!isFilesSection(section)) return;
      for (const entry of section.files ?? []) {
        const path = landingPath(entry);
        const dir = path ? boundDirOf(path) : undefined;
        if (!dir) continue;
        const explicit = entry.destination !== '' && entry.destinationRange !== undefined;
        const range = explicit ? entry.destinationRange! : entry.sourceRange;
        const suggestions: Fix[] = [];
        if (explicit && dir !== '$HOME') {
          const start = entry.destinationRange!.start.offset + ctx.file.text.slice(entry.destinationRange!.start.offset).indexOf(dir);
          suggestions.push(replaceFix(`Copy into /opt instead of ${dir}`, start, start + dir.length, '/opt'));
        }
        const home = dir === '/home' || dir === '$HOME';
        ctx.report({
          messageId: home ? 'underHome' : 'underWhichHostMounts',
          data: { path: q(path), dir },
          range,
          severity: home ? 'warning' : undefined,
          suggestions,
        });
      }
    },
  }),
  meta: {
    id: 'DEF202',
    slug: 'files-dest-in-bound-dir',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`%files` copies into `/tmp`, `/var/tmp` or `/home`, which are hidden by host mounts.',
    description: [
      "Apptainer mounts the host's `/tmp`, `/var/tmp` and `$HOME` over the container's at run time (and during",
      '`%post`), so whatever the image holds there is invisible. A relative source without destination lands at the',
      "same path under `/`, so `tmp/x` lands in `/tmp/x` too. Under `/home` only the running user's home (and all",
      'of `/home` where a site binds it) is covered, so that case is a warning.',
      '',
      '**Fix:** copy into a system location such as `/opt/...` (the quick fix proposes it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    data.csv /tmp/data.csv\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    data.csv /opt/data/data.csv\n',
    source: 'apptainer/singularity#2707, #5514, #5848; AP-BIND; AP-BUILD',
    fixKind: 'suggestion',
    messages: {
      underWhichHostMounts: '{{ path }} is under {{ dir }}, which the host mounts over at run time: the copied file is invisible',
      underHome:
        "{{ path }} is under {{ dir }}: Apptainer mounts the user's home directory there at run time (and sites that bind all of /home hide the whole folder), so the copied file can be invisible",
    },
  },
});
