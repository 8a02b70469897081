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
