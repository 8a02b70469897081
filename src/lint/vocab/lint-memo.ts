// Facts that several rules (or one rule for every command) ask about the same lint: a stage's
// commands, the final stage's build commands. Each is computed once per lint and kept per
// `ctx.scripts` array: the engine builds that array anew for every lint, so two lints (two files,
// or one document before and after an edit) never share an entry, and an entry goes away with its
// lint. The facts depend only on the scripts and the file they come from.
import type { Stage } from '../../parse/model.js';
import type { ShellCommand, ShellScript } from '../types.js';

/**
 * A fact about one lint's scripts, computed on first use. `A` is what else the fact needs that
 * comes with the scripts, such as the file they were parsed from (`ctx.file` with `ctx.scripts`).
 */
export class PerLint<V, A = void> {
  private readonly lints = new WeakMap<readonly ShellScript[], V>();

  constructor(private readonly compute: (scripts: readonly ShellScript[], arg: A) => V) {}

  of(scripts: readonly ShellScript[], arg: A): V {
    if (this.lints.has(scripts)) return this.lints.get(scripts) as V;
    const value = this.compute(scripts, arg);
    this.lints.set(scripts, value);
    return value;
  }
}

/** A fact about one stage of one lint's scripts, computed on first use. */
export class PerLintStage<V> {
  private readonly lints = new WeakMap<readonly ShellScript[], Map<Stage, V>>();

  constructor(private readonly compute: (scripts: readonly ShellScript[], stage: Stage) => V) {}

  of(scripts: readonly ShellScript[], stage: Stage): V {
    let stages = this.lints.get(scripts);
    if (!stages) this.lints.set(scripts, (stages = new Map()));
    if (stages.has(stage)) return stages.get(stage) as V;
    const value = this.compute(scripts, stage);
    stages.set(stage, value);
    return value;
  }
}

/**
 * A fact about one script's commands alone, kept per commands array. The shell layer hands the
 * next lint the same array for a section it did not have to analyse again (its analysis cache),
 * so after an edit only the changed sections are looked at again. The fact may depend on the
 * commands only: never on the script's stage, other sections or the configuration.
 */
export class PerCommands<V> {
  private readonly kept = new WeakMap<readonly ShellCommand[], V>();

  constructor(private readonly compute: (commands: readonly ShellCommand[]) => V) {}

  of(commands: readonly ShellCommand[]): V {
    let value = this.kept.get(commands);
    if (value === undefined) {
      value = this.compute(commands);
      this.kept.set(commands, value);
    }
    return value;
  }
}
