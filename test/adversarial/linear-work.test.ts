// Item 12 of issue 14: rules do work linear in the input. Measured by counting, not timing: every
// property read on a parsed shell command and every element read of `file.stages` goes through a
// counting proxy, and doubling the input must not much more than double the count.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/lint/config.js';
import { runRuleWalk } from '../../src/lint/engine.js';
import { scanPragmas } from '../../src/lint/index.js';
import { allRules, findRule } from '../../src/lint/registry.js';
import { parseShellScripts } from '../../src/lint/shell/index.js';
import type { Rule, RuleContext, ShellScript } from '../../src/lint/types.js';
import { parse } from '../../src/parse/index.js';
import { RemovalIndex } from '../../src/lint/vocab/size-image-contents.js';
import { readCounter } from '../helpers/read-counter.js';

interface Prepared {
  file: ReturnType<typeof parse>;
  scripts: ShellScript[];
}

const prepared = new Map<string, Promise<Prepared>>();

/** Parsed once per text: the shell parse is the expensive part, and rules do not modify it. */
function prepare(text: string): Promise<Prepared> {
  let result = prepared.get(text);
  if (!result) {
    result = (async () => {
      const file = parse(text);
      return { file, scripts: await parseShellScripts(file) };
    })();
    prepared.set(text, result);
  }
  return result;
}

/** Property reads made by `rule` on commands and stages while checking `text`. */
async function workOf(rule: Rule, text: string): Promise<number> {
  const { file, scripts } = await prepare(text);
  const counter = readCounter();
  let stageReads = 0;
  const countedScripts: ShellScript[] = scripts.map((script) => ({ ...script, commands: script.commands.map(counter.count) }));
  const stagesProxy = new Proxy(file.stages, {
    get(array, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) stageReads++;
      return Reflect.get(array, key, receiver);
    },
  });
  const countedFile = new Proxy(file, { get: (object, key, receiver) => (key === 'stages' ? stagesProxy : Reflect.get(object, key, receiver)) });
  const config = resolveConfig({ extends: ['recommended'] });
  const ctx: RuleContext = {
    file: countedFile,
    options: config.rules[rule.meta.id]?.options ?? {},
    settings: config.settings,
    scripts: countedScripts,
    templateValue: () => undefined,
    resolvedHeader: (stage, key) => stage.headerValues[key],
    report: () => undefined,
    pragmas: scanPragmas(file),
  };
  runRuleWalk(rule, ctx);
  return counter.reads() + stageReads;
}

const post = (lines: string[]) => `%post\n${lines.map((line) => `    ${line}`).join('\n')}\n`;
/** One stage with `n` pip installs and downloads, each cleaned up later. */
const oneStage = (n: number) =>
  'Bootstrap: docker\nFrom: python:3.12-slim\n\n' +
  post(
    Array.from({ length: n }, (_, i) => [`pip install pkg${i}==1.0`, `wget -q https://example.org/t${i}.tar.gz`, `apt-get update`])
      .flat()
      .concat(['pip cache purge', 'rm -f t*.tar.gz']),
  );
/** `n` stages, each with its own %post. */
const manyStages = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `Bootstrap: docker\nFrom: python:3.12-slim\nStage: s${i}\n\n${post(['pip install x==1', 'wget -q https://example.org/a.tar.gz', 'rm -f a.tar.gz'])}\n`,
  ).join('');

describe('rules do linear work (item 12)', () => {
  for (const id of ['DEF601', 'DEF602', 'DEF603']) {
    it(`${id} (package caches) on one long %post`, async () => {
      const rule = findRule(id)!;
      const small = await workOf(rule, oneStage(150));
      const large = await workOf(rule, oneStage(300));
      expect(large / small).toBeLessThan(2.5);
    });
  }

  it('every shell rule, on many stages and on one long %post', async () => {
    const quadratic: string[] = [];
    for (const rule of allRules.filter((r) => r.meta.needsShell)) {
      for (const [name, make] of [
        ['stages', manyStages],
        ['long %post', oneStage],
      ] as const) {
        const small = await workOf(rule, make(60));
        const large = await workOf(rule, make(120));
        if (small > 200 && large / small > 2.5) quadratic.push(`${rule.meta.id} ${rule.meta.slug} (${name}): ${small} -> ${large}`);
      }
    }
    expect(quadratic).toEqual([]);
  });
});

describe('stage facts are gathered once per lint, not once per command (issue 15)', () => {
  /** One %post with `n` installs without --no-install-recommends, each followed by an https download. */
  const installsAndDownloads = (n: number) =>
    'Bootstrap: docker\nFrom: ubuntu:24.04\n\n' +
    post(Array.from({ length: n }, (_, i) => [`apt-get install -y pkg${i}`, `wget -q https://example.org/t${i}.tar.gz`]).flat());

  it('DEF306 asks whether an https download follows each install', async () => {
    const rule = findRule('DEF306')!;
    const small = await workOf(rule, installsAndDownloads(100));
    const large = await workOf(rule, installsAndDownloads(200));
    expect(large / small).toBeLessThan(2.5);
  });
});

describe('DEF607 matches downloads against removals through an index (item 12)', () => {
  const downloadsAndRemovals = (n: number) => {
    const index = new RemovalIndex();
    for (let i = 0; i < n; i++) index.add({ name: `t${i}.tar.gz`, full: `/opt/src/t${i}.tar.gz`, at: 1_000 + i });
    index.add({ full: '/opt/build', at: 5_000 });
    let removed = 0;
    for (let i = 0; i < n; i++) if (index.removesLater({ name: `t${i}.tar.gz`, path: `/opt/src/t${i}.tar.gz`, at: i })) removed++;
    // Under a folder removed later, and a download after every removal of its name.
    if (index.removesLater({ name: 'x.tar.gz', path: '/opt/build/x.tar.gz', at: 10 })) removed++;
    if (!index.removesLater({ name: 't0.tar.gz', path: '/opt/src/t0.tar.gz', at: 9_000 })) removed++;
    return { removed, work: index.work };
  };

  it('finds the same removals and does work linear in downloads + removals', () => {
    const small = downloadsAndRemovals(500);
    const large = downloadsAndRemovals(1_000);
    expect(small.removed).toBe(502);
    expect(large.removed).toBe(1_002);
    // Pairing every download with every removal would be 1,000,000 steps for the large case.
    expect(large.work).toBeLessThan(5 * 1_000);
    expect(large.work / small.work).toBeLessThan(2.2);
  });
});
