// DEF112 base-is-sandbox: `Bootstrap: localimage` from what looks like a sandbox directory.
import { knownAgent, lastEntry } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { isTemplated, IMAGE_EXTENSIONS } from '../../vocab/header-bootstrap.js';

export const baseIsSandbox = defineRule({
  create: (ctx) => ({
    stage(stage) {
      if (knownAgent(ctx, stage) !== 'localimage') return;
      const from = lastEntry(stage, 'from');
      const value = ctx.resolvedHeader(stage, 'from');
      if (!from || value === undefined || value === '' || isTemplated(value) || IMAGE_EXTENSIONS.test(value)) return;
      ctx.report({
        messageId: 'looksLikeSandboxDirectory',
        data: { path: q(value) },
        range: from.valueRange,
      });
    },
  }),
  meta: {
    id: 'DEF112',
    slug: 'base-is-sandbox',
    group: 'header',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`Bootstrap: localimage` from what looks like a sandbox directory.',
    description: [
      'Building from a sandbox directory (no `.sif`/`.img` image file) bakes in whatever was changed by hand in',
      'that directory: nobody can rebuild the result from the definition files alone.',
      '',
      '**Fix:** build the base from its own definition file into a SIF, and bootstrap from that.',
    ].join('\n'),
    bad: 'Bootstrap: localimage\nFrom: ./my-sandbox/\n',
    good: 'Bootstrap: localimage\nFrom: ./base.sif\n',
    source: 'AP-BP #6, AP-BLD',
    messages: {
      looksLikeSandboxDirectory: '{{ path }} looks like a sandbox directory, not an image file: hand-edited sandboxes are not reproducible',
    },
  },
});
