// Runs one async call per item, in order, with a bounded number in flight, starting at most one
// call per turn of the event loop.
//
// Why the pacing: the lint command starts a file's lint, which runs its rules synchronously and
// then waits (for cached ShellCheck results, or for a ShellCheck process). Started all at once,
// every file would run its rules before any of them got as far as handing its scripts to
// ShellCheck, and the ShellCheck processes would start only when all the rules were done. One
// start per turn lets the I/O of the files already started (cache reads, starting ShellCheck
// processes, their answers) proceed between two files, so ShellCheck works while the rules run.

/**
 * `Promise.all(items.map(fn))`, but with at most `window` calls unsettled at once and one call
 * started per turn of the event loop. After a call rejects no new call starts, and the first
 * rejection is thrown once the calls already started have settled.
 */
export async function mapPaced<T, R>(items: readonly T[], window: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const settled: Promise<void>[] = [];
  let failure: { error: unknown } | undefined;
  let running = 0;
  let freed: (() => void) | undefined;
  for (let i = 0; i < items.length && !failure; i++) {
    while (running >= window) await new Promise<void>((resolve) => (freed = resolve));
    if (failure) break;
    running++;
    settled.push(
      fn(items[i])
        .then(
          (result) => {
            results[i] = result;
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          running--;
          freed?.();
          freed = undefined;
        }),
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(settled);
  if (failure) throw failure.error;
  return results;
}
