// Facts several rules ask about one lint are worked out once per lint (src/lint/vocab/lint-memo.ts),
// kept per `ctx.scripts` array, which the engine builds anew for every lint: two lints (two files,
// or one document before and after an edit) never share them. Facts about one command alone may
// be kept per command object (an unchanged section hands the next lint the same commands), but
// never anything that depends on the rest of the file.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import type { Stage } from '../../../src/parse/model.js';
import { formatMessage } from '../../../src/lint/engine.js';
import { allRules, lint, resolveConfig } from '../../../src/lint/index.js';
import { parseShellScripts, type ShellAssignment } from '../../../src/lint/shell/index.js';
import type { Rule, RuleContext, ShellScript } from '../../../src/lint/types.js';
import { PerCommands, PerLint, PerLintStage } from '../../../src/lint/vocab/lint-memo.js';
import { certificatesInstalled, exportedBefore, fetchesHttpsLater, frontendAssignments } from '../../../src/lint/vocab/shell-apt.js';
import { finalStageCommands } from '../../../src/lint/vocab/size-package-caches.js';
import { findScriptCuts } from '../../../src/lint/vocab/script-cuts.js';

const recommended = resolveConfig({ extends: 'recommended' });
const lintText = (text: string) => lint(text, { filename: 'memo.def', config: recommended, shellcheck: false });

async function scriptsOf(text: string) {
  const file = parse(text);
  return { file, scripts: await parseShellScripts(file) };
}

describe('per-lint memo', () => {
  test('computed once per scripts array; another array (another lint) computes again', () => {
    let calls = 0;
    const memo = new PerLint((scripts: readonly ShellScript[]) => {
      calls++;
      return scripts.length;
    });
    const first: ShellScript[] = [];
    const second: ShellScript[] = [];
    expect(memo.of(first)).toBe(0);
    expect(memo.of(first)).toBe(0);
    expect(calls).toBe(1);
    expect(memo.of(second)).toBe(0);
    expect(calls).toBe(2);
  });

  test('per stage: the same stage in two lints is computed for each', () => {
    const stage = {} as Stage;
    const script = { stage } as ShellScript;
    const memo = new PerLintStage((scripts) => scripts.length);
    const one = [script];
    const two = [script, script];
    expect(memo.of(one, stage)).toBe(1);
    expect(memo.of(two, stage)).toBe(2);
    expect(memo.of(one, stage)).toBe(1);
  });

  test('a stage fact follows the lint it is asked for, even with the same script objects', async () => {
    const { scripts } = await scriptsOf(
      'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    apt-get install -y git\n\n%post\n    apt-get install -y ca-certificates\n    git clone https://example.org/x.git\n',
    );
    const [install, later] = scripts;
    const cmd = install.commands[0];
    // The whole stage: an https fetch and ca-certificates come later.
    expect(fetchesHttpsLater(scripts, install, cmd)).toBe(true);
    expect(certificatesInstalled(scripts, install, later.commands[0])).toBe(true);
    expect(certificatesInstalled(scripts, install, cmd)).toBe(false);
    // Another lint that holds only the first section (a new array): nothing is fetched later.
    expect(fetchesHttpsLater([install], install, cmd)).toBe(false);
    expect(certificatesInstalled([install], install, later.commands[0])).toBe(false);
  });

  test('final-stage scripts: one list per lint, shared by the rules of that lint only', async () => {
    const a = await scriptsOf('Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    apt-get update\n');
    const b = await scriptsOf('Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    pip install x==1\n    apt-get update\n');
    const ctxOf = ({ file, scripts }: { file: RuleContext['file']; scripts: ShellScript[] }) => ({ file, scripts }) as RuleContext;
    const ctxA = ctxOf(a);
    expect(finalStageCommands(ctxA)).toBe(finalStageCommands(ctxA));
    expect(finalStageCommands(ctxA)[0].scripts.flatMap((script) => script.commands.map((cmd) => cmd.name))).toEqual(['apt-get']);
    expect(finalStageCommands(ctxOf(b))[0].scripts.flatMap((script) => script.commands.map((cmd) => cmd.name))).toEqual(['pip', 'apt-get']);
    // Only the scripts: no list of every command of the stage is built on each lint (nothing read it).
    expect(Object.keys(finalStageCommands(ctxA)[0]).sort()).toEqual(['scripts', 'stage']);
  });
});

describe('facts kept per command hold nothing from the rest of the file', () => {
  const pipUser = 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir --user numpy==1.26.4\n';
  const movedLater = `${pipUser}\n%post\n    mv /root/.local /opt/local\n`;
  const homeOpened = `${pipUser}\n%post\n    chmod 755 /root\n`;

  test('DEF604 on the same section, with and without what makes it harmless elsewhere', async () => {
    const def604 = async (text: string) => (await lintText(text)).filter((f) => f.ruleId === 'DEF604').map((f) => f.messageId);
    // The %post with `pip install --user` is the same section (same command objects) every time.
    expect(await def604(pipUser)).toEqual(['pipInstallUserInstalls']);
    expect(await def604(movedLater)).toEqual([]);
    expect(await def604(homeOpened)).toEqual([]);
    expect(await def604(pipUser)).toEqual(['pipInstallUserInstalls']);
  });
});

describe('facts kept per commands array (an unchanged section keeps them from one lint to the next)', () => {
  test('computed once per array, again for another array', async () => {
    let calls = 0;
    const count = new PerCommands((commands) => {
      calls++;
      return commands.length;
    });
    const text = 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    apt-get update\n    echo one\n';
    const [script] = (await scriptsOf(text)).scripts;
    expect(count.of(script.commands)).toBe(2);
    expect(count.of(script.commands)).toBe(2);
    expect(calls).toBe(1);
    // Another lint of the same text shares the analysis (the shell cache), and with it the fact.
    const [again] = (await scriptsOf(text)).scripts;
    expect(again).not.toBe(script);
    expect(count.of(again.commands)).toBe(2);
    expect(calls).toBe(1);
    const [edited] = (await scriptsOf(text.replace('echo one', 'echo two'))).scripts;
    expect(count.of(edited.commands)).toBe(2);
    expect(calls).toBe(2);
  });

  test('the package-cache rules combine the kept facts per lint: a clean-up in another section counts', async () => {
    const update = 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n';
    const cleanedLater = `${update}\n%post\n    rm -rf /var/lib/apt/lists/*\n`;
    const cleanedBefore = `Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    rm -rf /var/lib/apt/lists/*\n\n${update.slice(update.indexOf('%post'))}`;
    const lists = async (text: string) => (await lintText(text)).filter((f) => f.slug === 'apt-lists-not-removed').map((f) => f.range.start.line);
    expect(await lists(update)).toEqual([5]);
    expect(await lists(cleanedLater)).toEqual([]);
    expect(await lists(cleanedBefore)).toEqual([8]);
    expect(await lists(update)).toEqual([5]);
  });
});

describe('script cuts: a body scanned once is reused, and scanning on from a cut does not change it', () => {
  const text = [
    'Bootstrap: docker',
    'From: rockylinux:9',
    '',
    '%post',
    "    cat > /root/pkg.spec <<'EOF'",
    'Name: demo',
    '%define debug_package %{nil}',
    '%files',
    'EOF',
    '    rpmbuild -bb /root/pkg.spec',
    '',
  ].join('\n');

  test('the same cuts for every parse of the same text', () => {
    const first = findScriptCuts(parse(text)).map((cut) => [cut.section.name, cut.reason, cut.delimiter]);
    expect(first).toEqual([
      ['define', 'heredoc', 'EOF'],
      ['files', 'heredoc', 'EOF'],
    ]);
    for (let i = 0; i < 3; i++) expect(findScriptCuts(parse(text)).map((cut) => [cut.section.name, cut.reason, cut.delimiter])).toEqual(first);
  });
});

describe('DEBIAN_FRONTEND before an install: the index answers as a pass over every assignment does', () => {
  /** The check as every install made it before: a filter over all of the stage's assignments. */
  function naive(assignments: readonly ShellAssignment[], offset: number): boolean {
    if (assignments.length === 0) return false;
    const before = assignments.filter((a) => a.range.start.offset < offset);
    const value = before.filter((a) => a.value !== '').pop()?.value;
    return value === 'noninteractive' && before.some((a) => a.exported);
  }
  const assignment = (offset: number, value: string, exported: boolean) =>
    ({
      name: 'DEBIAN_FRONTEND',
      value,
      exported,
      range: { start: { offset, line: 1, column: 1, character: 0 }, end: { offset: offset + 1, line: 1, column: 2, character: 1 } },
    }) as unknown as ShellAssignment;

  test('random assignments, in any order, at any offsets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('', 'noninteractive', 'dialog'), fc.boolean()), { maxLength: 12 }),
        fc.integer({ min: 0, max: 42 }),
        (specs, offset) => {
          const list = specs.map(([at, value, exported]) => assignment(at, value, exported));
          expect(exportedBefore(frontendAssignments(list), offset)).toBe(naive(list, offset));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('message templates are cut once and filled per report', () => {
  const rule = {
    meta: { id: 'TEST1', messages: { plain: 'No placeholders.', two: 'A {{ x }} and {{y}} and {{ x }} again.' } },
  } as unknown as Rule;

  test('filled from each report own data', () => {
    expect(formatMessage(rule, 'plain')).toBe('No placeholders.');
    expect(formatMessage(rule, 'two', { x: 1, y: 'b' })).toBe('A 1 and b and 1 again.');
    expect(formatMessage(rule, 'two', { x: '$&', y: '{{ x }}' })).toBe('A $& and {{ x }} and $& again.');
  });

  test('a missing value or message still fails', () => {
    expect(() => formatMessage(rule, 'two', { x: 1 })).toThrow('needs data.y');
    expect(() => formatMessage(rule, 'none')).toThrow('has no message "none"');
  });
});

describe('the language server walks no command of an unchanged section', () => {
  test('only rules kept per section listen to commands; the others read kept per-script facts', async () => {
    const { file, scripts } = await scriptsOf('Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    echo hi\n');
    const settings = recommended.settings;
    const ctx = {
      file,
      scripts,
      options: {},
      settings,
      pragmas: { pragmas: [], problems: [] },
      templateValue: () => undefined,
      resolvedHeader: () => undefined,
      report: () => undefined,
    };
    const listening = allRules.filter(
      (rule) => rule.meta.scope !== 'section' && rule.create({ ...ctx, options: recommended.rules[rule.meta.id]?.options ?? {} } as RuleContext).command,
    );
    expect(listening.map((rule) => rule.meta.id)).toEqual([]);
  });
});
