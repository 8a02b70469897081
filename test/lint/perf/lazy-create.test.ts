// A rule's create(ctx) runs for every linted file: what only some files need is worked out when a
// listener first needs it, not in create.
import { expect, it } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { parseShellScripts } from '../../../src/lint/shell/index.js';
import { findRule } from '../../../src/lint/registry.js';
import { lint } from '../../../src/lint/index.js';
import type { RuleContext, ShellScript } from '../../../src/lint/types.js';

it('DEF307 reads the scripts for DEBIAN_FRONTEND and debconf only for a script with an apt-get install', async () => {
  const file = parse('Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    make install\n');
  const scripts = await parseShellScripts(file);
  let reads = 0;
  const counted = new Proxy(scripts, {
    get(target, key, receiver) {
      reads++;
      return Reflect.get(target, key, receiver);
    },
  }) as ShellScript[];
  const ctx = { file, scripts: counted, settings: { buildArgs: {} }, options: {}, report: () => undefined } as unknown as RuleContext;
  const listeners = findRule('DEF307')!.create(ctx);
  for (const script of scripts) listeners.script!(script);
  expect(reads).toBe(0);
});

it('DEF307 still sees an export or a debconf selection in another section of the stage', async () => {
  const ids = async (body: string) =>
    (await lint(`Bootstrap: docker\nFrom: ubuntu:24.04\n\n${body}`, { shellcheck: false })).filter((f) => f.ruleId === 'DEF307').length;
  expect(await ids('%post\n    apt-get install -y curl\n')).toBe(1);
  expect(await ids('%post\n    export DEBIAN_FRONTEND=noninteractive\n%post\n    apt-get install -y curl\n')).toBe(0);
  expect(await ids("%post\n    echo 'debconf debconf/frontend select Noninteractive' | debconf-set-selections\n    apt-get install -y curl\n")).toBe(0);
});
