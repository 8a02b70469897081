// The pre-commit hook definitions. The hooks themselves run through the real `pre-commit` in the
// slow suite (test/slow/precommit.slow.ts, `npm run test:slow`).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const hooks = YAML.parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  args: string[];
  language: string;
  files: string;
}[];

describe('.pre-commit-hooks.yaml', () => {
  it('offers apptainer-lint and apptainer-fmt as node hooks', () => {
    expect(hooks.map((hook) => hook.id)).toEqual(['apptainer-lint', 'apptainer-fmt']);
    for (const hook of hooks) expect(hook.language).toBe('node');
    expect(hooks[0].entry).toBe('apptainer-lint');
    expect(hooks[1].entry).toBe('apptainer-gen fmt --write');
    // pre-commit runs entry + args + file names: the default args end the options (issue 14 item 4),
    // and documented args keep `--` last so `--fail-on warning` still works.
    for (const hook of hooks) expect(hook.args).toEqual(['--']);
  });

  it('matches def files by name, anchored at the basename', () => {
    // pre-commit applies `files` with Python's re.search; these patterns behave the same in JS.
    const pattern = new RegExp(hooks[0].files);
    for (const name of ['app.def', 'envs/gpu/app.def', 'Singularity', 'x/Singularity', 'Singularity.gpu', 'Apptainer', 'a/b/Apptainer.mpi']) {
      expect(pattern.test(name), name).toBe(true);
    }
    for (const name of ['app.default', 'app.def.bak', 'SingularityFile', 'MySingularity', 'Singularity/readme.md', 'apptainer']) {
      expect(pattern.test(name), name).toBe(false);
    }
    expect(hooks[1].files).toBe(hooks[0].files);
  });
});
