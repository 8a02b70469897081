// DEF405 lang-packages-unpinned: `pip`/`conda`/`npm -g`/`gem`/`go`/`cargo`/R package installs without versions.
import { isEnvironmentSection } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { reportUnpinned, unpinnedLanguagePackages, unquotedExtras } from '../../vocab/reproducibility-packages.js';

export const langPackagesUnpinned = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (isEnvironmentSection(script.section)) return;
      const found = unpinnedLanguagePackages(cmd);
      if (found) reportUnpinned(ctx, found.words, 'unpinned', found.what);
      for (const word of unquotedExtras(cmd)) ctx.report({ messageId: 'extrasUnquoted', data: { word: word.raw }, range: word.range });
    },
  }),
  meta: {
    id: 'DEF405',
    slug: 'lang-packages-unpinned',
    group: 'reproducibility',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`pip`/`conda`/`npm -g`/`gem`/`go`/`cargo`/R package installs without versions.',
    description: [
      'Language package indexes publish new releases daily, and an unpinned `pip install numpy` can',
      'pull a new major version with breaking changes. Pin versions (`numpy==1.26.4`,',
      '`conda install numpy=1.26`, `npm install -g pkg@1.2.3`, `go install mod@v1.2.3`), or install from',
      'a requirements/lock file (`pip install -r requirements.txt`), which is not reported.',
      '',
      'A requirement with extras written unquoted (`pip install dask[complete]`, `pip install -e .[dev]`)',
      'is a shell pattern: `[complete]` matches one character, so a file named `daskc` in the working',
      'directory replaces the word, and the install fails under `failglob` or zsh ("no matches found").',
      "Quote it: `pip install 'dask[complete]==2024.8.0'`. Such words are reported as unquoted, not as",
      'unpinned.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source:
      'HL DL3013/3016/3028/3062; extras: bash(1) Pathname Expansion (`[...]`, `nullglob`, `failglob`), zsh NOMATCH (e.g. https://github.com/tiangolo/fastapi/pull/3131, https://github.com/langchain-ai/docs/pull/1523)',
    needsShell: true,
    messages: {
      unpinned: '{{ what }} without a version: {{ names }}. Pin versions so rebuilds get the same code.',
      extrasUnquoted: "`{{ word }}` is unquoted: the shell reads `[...]` as a file-name pattern. Quote it (`'{{ word }}'`).",
    },
  },
});
