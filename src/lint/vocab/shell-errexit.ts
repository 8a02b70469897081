// Shared by the shell rules (DEF302, DEF303, DEF315: `set -e` / `set -u` in build sections).
import type { ShellScript } from '../types.js';

/** True when the first top-level command of the script is a `set` that turns errexit on. */
export function startsWithErrexit(script: ShellScript): boolean {
  const first = script.commands.find((c) => !c.nested);
  if (!first || first.baseName !== 'set') return false;
  return script.setOptions.some(
    (o) => o.option === 'errexit' && o.range.start.offset >= first.range.start.offset && o.range.end.offset <= first.range.end.offset,
  );
}

/**
 * Apptainer joins repeated sections (`%post` twice in one stage) into one script run once: the
 * first of them stands for all when a line must go at the top (`set -e` once, not per part).
 */
export function isFirstPartOfScript(script: ShellScript): boolean {
  const same = (section: ShellScript['section']) => section.name === script.section.name && section.app === script.section.app;
  return script.stage.sections.find(same) === script.section;
}

/** The scripts Apptainer joins with this one (same section name and app in the same stage). */
export function partsOfScript(scripts: readonly ShellScript[], script: ShellScript): ShellScript[] {
  return scripts.filter((other) => other.stage === script.stage && other.section.name === script.section.name && other.section.app === script.section.app);
}
