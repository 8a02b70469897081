// Rules that look at every command first ask one cheap question that most commands fail (is it a
// package manager or `rm`, does a word carry a mark, does a package name say MPI), and only then
// take the command apart.
// Measured here as property reads of a command none of these rules is about: each rule is run on
// a fresh counting view of the command, so nothing kept from an earlier call hides the work.
import { describe, expect, it, vi } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { parseShellScripts } from '../../../src/lint/shell/index.js';
import { findRule } from '../../../src/lint/registry.js';
import { insecureWords } from '../../../src/lint/vocab/security-downloads.js';
import { distroMpiPackage } from '../../../src/lint/vocab/mpi.js';
import type { RuleContext, ShellCommand, ShellScript } from '../../../src/lint/types.js';
import { readCounter } from '../../helpers/read-counter.js';

const TEXT = 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    tar -xzf /tmp/src.tar.gz -C /opt/src --strip-components 1 --no-same-owner\n';

/** The command, and a view of it that counts reads of its own fields and of its words. */
function counted(cmd: ShellCommand): { view: ShellCommand; reads: () => number } {
  const { count, reads } = readCounter();
  const args = count(cmd.args.map((word) => count(word)));
  return { view: count({ ...cmd, args }), reads };
}

async function firstScript(): Promise<{ script: ShellScript; ctx: RuleContext }> {
  const file = parse(TEXT);
  const scripts = await parseShellScripts(file);
  const ctx = { file, scripts, settings: { buildArgs: {} }, options: {}, report: () => undefined } as unknown as RuleContext;
  return { script: scripts[0], ctx };
}

/** Reads of the command made by one rule's command listener. */
async function commandReads(ruleId: string): Promise<number> {
  const { script, ctx } = await firstScript();
  const { view, reads } = counted(script.commands[0]);
  findRule(ruleId)!.create(ctx).command!(view, script);
  return reads();
}

describe('per-command guards', () => {
  it('DEF309 and DEF407 stop at the package manager', async () => {
    // Before: 40 and 38 reads (a pipe fed by `yes`, the subcommand, each manager's subcommand list); now 6.
    expect(await commandReads('DEF309')).toBeLessThanOrEqual(8);
    expect(await commandReads('DEF407')).toBeLessThanOrEqual(8);
  });

  it('an installed package that names no MPI is not matched against the MPI package patterns', () => {
    // RegExp.prototype.test goes through `exec`: counting it counts the patterns tried.
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    try {
      expect(distroMpiPackage('curl')).toBeUndefined();
      expect(exec).not.toHaveBeenCalled();
      expect(distroMpiPackage('libmvapich2-12')?.family).toBe('mvapich');
      expect(distroMpiPackage('openmpi-bin')?.family).toBe('openmpi');
    } finally {
      exec.mockRestore();
    }
  });

  it('DEF505 reads the words once when none carries a mark of the checks for every command', async () => {
    const { script } = await firstScript();
    const cmd = script.commands[0];
    const { view, reads } = counted(cmd);
    expect(insecureWords(view)).toEqual([]);
    // Before: 144 reads for these 7 words (four passes over them); now one pass, 38.
    expect(reads()).toBeLessThanOrEqual(4 * cmd.args.length + 12);
  });

  /** Reads of the command made by a rule that looks at the final stage's scripts as a whole. */
  async function fileReads(ruleId: string): Promise<number> {
    const { script, ctx } = await firstScript();
    const { view, reads } = counted(script.commands[0]);
    const viewed = { ...ctx, scripts: [{ ...script, commands: [view] }] } as unknown as RuleContext;
    findRule(ruleId)!.create(viewed).file!(ctx.file);
    return reads();
  }

  it('DEF602 looks for installs and clean-ups among package-manager and rm commands only', async () => {
    // Before: 19 reads (twelve passes); now 7.
    expect(await fileReads('DEF602')).toBeLessThanOrEqual(7);
  });
});

describe('the guards keep every finding', () => {
  const lintOne = async (body: string) => {
    const { lint } = await import('../../../src/lint/index.js');
    return (await lint(`Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n${body}\n`, { shellcheck: false })).map((f) => f.ruleId);
  };

  it('DEF505: a check for every command, on any command, in any case', async () => {
    for (const line of [
      'mytool --force-yes x',
      'run-it -o Acquire::AllowInsecureRepositories=true',
      'x "Acquire::https::Verify-Peer=false"',
      'pkg --setopt=epel.gpgcheck=0',
      "printf '[TRUSTED=YES]'",
      'x sslverify=false',
    ]) {
      expect(await lintOne(`    ${line}`), line).toContain('DEF505');
    }
  });

  it('DEF309, DEF407, DEF602 and DEF702 still report their commands', async () => {
    expect(await lintOne('    microdnf install gcc\n    mamba install numpy\n    zypper in gcc')).toEqual(expect.arrayContaining(['DEF309']));
    expect(await lintOne('    npm install left-pad')).toContain('DEF602');
    expect(await lintOne('    apk add curl')).toContain('DEF602');
    expect(await lintOne('    rm -rf /var/cache/apk\n    apk add curl')).toContain('DEF602');
    expect(await lintOne('    dnf upgrade -y\n    dnf clean all')).toContain('DEF407');
    expect(await lintOne('    apt-get install -y --no-install-recommends libmpich-dev\n    rm -rf /var/lib/apt/lists/*')).toContain('DEF702');
    expect(await lintOne('    dnf install -y gcc\n    rm -rf /var/cache/dnf')).not.toContain('DEF602');
  });
});
