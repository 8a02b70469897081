// DEF409 conda-update-all: `conda update --all` (or `mamba update --all`) in a build.
import { isConda, hasAnyFlag } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const condaUpdateAll = defineRule({
  create: (ctx) => ({
    command(cmd) {
      if (!isConda(cmd, 'update', 'upgrade') || !hasAnyFlag(cmd, '--all', 'all')) return;
      ctx.report({
        messageId: 'updateAll',
        data: { tool: cmd.baseName },
        range: cmd.range,
      });
    },
  }),
  meta: {
    id: 'DEF409',
    slug: 'conda-update-all',
    group: 'reproducibility',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`conda update --all` upgrades every package to whatever is newest on the day of the build.',
    description: [
      '`conda update --all` (also `mamba`/`micromamba`) replaces the versions the environment was solved',
      'with by the newest ones the channels have today, so two builds of the same definition differ and a',
      'working image can break on rebuild. Install pinned versions (`conda install numpy=1.26.4`) or',
      'create the environment from a lock file (`conda-lock`, `micromamba create -f env.lock`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: continuumio/miniconda3:24.1.2-0\n\n%post\n    conda update -y --all\n',
    good: 'Bootstrap: docker\nFrom: continuumio/miniconda3:24.1.2-0\n\n%post\n    conda install -y numpy=1.26.4\n',
    source: 'conda documentation, `conda update --all` (https://docs.conda.io/projects/conda/en/stable/commands/update.html)',
    needsShell: true,
    messages: {
      updateAll:
        '`{{ tool }} update --all` takes the newest version of every package on the day of the build: rebuilds differ. Pin versions or use a lock file.',
    },
  },
});
