// The per-section shell analysis cache (src/lint/shell/index.ts) must never change results: a lint
// after an edit, served mostly from the cache with re-based positions, has to equal a fresh
// uncached lint exactly (ranges included), and the cache must stay bounded.
import type { PresetName } from '../../../src/lint/types.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { lint, resolveConfig, type Finding } from '../../../src/lint/index.js';
import { clearShellCache, parseShellScripts, setShellCacheEnabled, shellCacheStats, shellDetails } from '../../../src/lint/shell/index.js';

const recipes = join(__dirname, '../../../fixtures/recipes');

/** A large def file: the header of one recipe, then the sections of every recipe, twice. */
function bigDefinition(): string {
  const out = ['Bootstrap: docker', 'From: ubuntu:24.04', ''];
  const files = readdirSync(recipes)
    .filter((name) => name.endsWith('.def'))
    .sort();
  for (let round = 0; round < 2; round++) {
    for (const name of files) {
      const lines = readFileSync(join(recipes, name), 'utf8').split('\n');
      const first = lines.findIndex((line) => line.startsWith('%'));
      if (first >= 0) out.push(...lines.slice(first));
    }
  }
  out.push(
    '%post',
    '  VERSION={{ VERSION }}',
    '  curl -fsSL https://example.org/x-{{ VERSION }}.tar.gz | tar -xz',
    '  cat <<EOF > /etc/x.conf',
    'a=$HOME',
    'EOF',
    '',
  );
  out.push('%environment', '  export PATH=/opt/x/bin:$PATH', '  declare -a ARR=(1 2)', '');
  out.push('%runscript', '  exec /opt/x/bin/app "$@"', '');
  return out.join('\n');
}

async function lintBoth(text: string, preset: PresetName): Promise<{ cached: Finding[]; fresh: Finding[] }> {
  const config = resolveConfig({ extends: preset });
  setShellCacheEnabled(true);
  const cached = await lint(text, { filename: 'big.def', config, shellcheck: false });
  setShellCacheEnabled(false);
  const fresh = await lint(text, { filename: 'big.def', config, shellcheck: false });
  setShellCacheEnabled(true);
  return { cached, fresh };
}

/** Edits: change a line inside a %post section, insert lines near the top, delete a line. */
function edits(text: string): string[] {
  const lines = text.split('\n');
  const post = lines.findIndex((line, i) => i > lines.length / 3 && line.startsWith('%post'));
  const changed = [...lines];
  changed.splice(post + 1, 0, '  apt-get install curl && echo "$UNSET_VAR" | tee /tmp/x');
  const inserted = [...lines];
  inserted.splice(4, 0, '%post', '  echo moved everything', '  pip install numpy', '');
  const deleted = [...lines];
  deleted.splice(post + 1, 1);
  const widened = [...lines];
  widened[post + 1] = `${widened[post + 1]}   # a longer line`;
  return [changed, inserted, deleted, widened].map((l) => l.join('\n'));
}

afterEach(() => {
  setShellCacheEnabled(true);
  clearShellCache();
});

describe('shell analysis cache', () => {
  for (const preset of ['recommended', 'strict'] as const) {
    test(`lint after edits equals an uncached lint (${preset})`, async () => {
      const text = bigDefinition();
      clearShellCache();
      await lintBoth(text, preset); // warm the cache with the original text
      for (const edited of edits(text)) {
        const { cached, fresh } = await lintBoth(edited, preset);
        expect(cached.length).toBeGreaterThan(0);
        expect(cached).toEqual(fresh);
      }
    });
  }

  test('CRLF files and sections with placeholders give identical shell models', async () => {
    const text = bigDefinition().replace(/\n/g, '\r\n');
    const shifted = `Bootstrap: docker\r\nFrom: alpine\r\n\r\n%post\r\n  echo one\r\n\r\n${text.slice(text.indexOf('%'))}`;
    for (const source of [text, shifted]) {
      setShellCacheEnabled(true);
      const cachedScripts = await parseShellScripts(parse(source));
      setShellCacheEnabled(false);
      const freshScripts = await parseShellScripts(parse(source));
      setShellCacheEnabled(true);
      expect(cachedScripts.length).toBe(freshScripts.length);
      for (let i = 0; i < freshScripts.length; i++) {
        const { stage: _s1, section: _c1, ...cached } = cachedScripts[i];
        const { stage: _s2, section: _c2, ...fresh } = freshScripts[i];
        expect(cached).toEqual(fresh);
        expect(shellDetails(cachedScripts[i])).toEqual(shellDetails(freshScripts[i]));
      }
    }
  });

  test('identical sections at different places share one entry but get their own positions and objects', async () => {
    const body = ['  apt-get update', '  apt-get install -y curl | tee log', ''];
    const text = ['Bootstrap: docker', 'From: ubuntu:24.04', '', '%post', ...body, '%test', ...body, '%labels', '  a b', ''].join('\n');
    clearShellCache();
    const [a, b] = await parseShellScripts(parse(text));
    expect(shellCacheStats().entries).toBe(1);
    expect(a.commands).not.toBe(b.commands);
    expect(b.commands[0].range.start.offset - a.commands[0].range.start.offset).toBe(text.indexOf('%test') - text.indexOf('%post'));
    expect(b.commands[0].range.start.line - a.commands[0].range.start.line).toBe(body.length + 1);
    // Shared structure stays shared inside one copy.
    const pipe = b.commands[2];
    expect(pipe.pipeline?.commands[1]).toBe(b.commands[2]);
    expect(shellDetails(b).pipelines[0].stages[1]).toBe(pipe);
    // Cached analyses are shared between lints, so they cannot be changed: a write throws.
    expect(() => {
      a.commands[0].args.length = 0;
    }).toThrow(TypeError);
    const [again] = await parseShellScripts(parse(text));
    expect(again.commands[0].args.length).toBe(1);
    // The same layout linted again shares the analysis instead of copying it.
    expect(again.commands).toBe(a.commands);
  });

  test('a body repeated many times keeps every copy while an edit above moves them and back', async () => {
    // Typing a character and deleting it again moves every copy below it back and forth: both
    // layouts stay cached, so no copy is re-based again (20 copies: more than a fixed few).
    const lines = ['Bootstrap: docker', 'From: ubuntu:24.04', '', '%post', '  echo top', ''];
    for (let i = 0; i < 20; i++) lines.push('%environment', '  export PATH=/opt/x/bin:$PATH', '');
    const text = lines.join('\n');
    const typed = text.replace('echo top', 'echo topx');
    clearShellCache();
    const first = await parseShellScripts(parse(text));
    const moved = await parseShellScripts(parse(typed));
    const back = await parseShellScripts(parse(text));
    const again = await parseShellScripts(parse(typed));
    for (let i = 1; i < first.length; i++) {
      expect(moved[i].commands).not.toBe(first[i].commands);
      expect(back[i].commands).toBe(first[i].commands);
      expect(again[i].commands).toBe(moved[i].commands);
    }
  });

  test('memory stays bounded', async () => {
    clearShellCache();
    const text = ['Bootstrap: docker', 'From: ubuntu:24.04', ''];
    for (let i = 0; i < 1500; i++) text.push('%post', `  echo ${i}`, '');
    await parseShellScripts(parse(text.join('\n')));
    expect(shellCacheStats().entries).toBeLessThanOrEqual(1024);
  });
});
