// Whether a report is coloured. An explicit --color/--no-color wins; then NO_COLOR (any value
// but empty) and FORCE_COLOR (0 or false: off, anything else: on), as https://no-color.org and
// https://force-color.org describe them; otherwise colour only on a terminal, never in a file.
export function colorWanted(explicit: boolean | undefined, toFile: boolean): boolean {
  if (explicit !== undefined) return explicit;
  if (process.env.NO_COLOR) return false;
  const force = process.env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined && force !== '') return true;
  return !toFile && process.stdout.isTTY === true;
}
