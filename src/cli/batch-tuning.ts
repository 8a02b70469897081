// V8 settings for a one-shot run over many files (`apptainer-gen parse FILE...`, and the TurboFan
// part for `apptainer-lint`): a short burst of
// work in which almost nothing outlives the file it was made for. Measured on the bench's set
// (the corpus x8, 6.56 MB, 3,552 files, whole process):
// - V8's optimising compiler (TurboFan) compiled the parser's hot functions on background threads
//   for about a third of the run's CPU time, more than its code saved before the run ended
//   (without it: 450 -> 320 ms of CPU); over the set four times (26.7 MB) TurboFan was ahead
//   (about 850 ms against 1,000), and the two cross near 16 MB. So TurboFan is off (baseline code
//   only) until a run has read TURBOFAN_AFTER_BYTES, and on again after that, when a long run can
//   pay it back.
// - V8 grows the young generation whenever objects have survived in total as much as it holds,
//   which in a long run always happens, up to 16 MiB semi-spaces (peak memory); with every file's
//   objects dying young, the first size (1 MiB) costs no measurable time.
// V8 reads both flags when it decides (to optimise a function, to grow the young generation), so
// setting them while running takes effect (TurboFan needs one more flag back: turbofanAfter).

/** Input read before TurboFan is allowed again (`parse`). */
export const TURBOFAN_AFTER_BYTES = 16 * 1024 * 1024;

/**
 * The same for `lint`, which does far more work per byte than `parse`. Measured 2026-12-03 (2
 * cores, whole process, CPU time): over the corpus repeated to 600 files (1.1 MB) baseline code
 * took about a third less CPU than TurboFan (2.1-2.6 s against 3.4-3.7 s) in about the same wall
 * time, since TurboFan compiles on the second core; over the corpus x8 (3,552 files, 6.7 MB) it
 * cost about 10% more. Held back up to 1 MB, which covers the whole corpus of 444 real files
 * (0.8 MB): later, TurboFan's code pays back its compiling.
 */
export const LINT_TURBOFAN_AFTER_BYTES = 1024 * 1024;

/**
 * Applies the batch settings through `setFlags` (v8.setFlagsFromString) and returns the function
 * to call with each file's size: it lets TurboFan back in once the run is long.
 */
export function tuneForBatch(setFlags: (flags: string) => void): (bytes: number) => void {
  setFlags('--max-opt=1');
  setFlags('--semi-space-growth-factor=1');
  return turbofanAfter(TURBOFAN_AFTER_BYTES, setFlags);
}

/**
 * Returns the function to call with each file's size: once `limit` bytes have been read it allows
 * TurboFan again (`--max-opt=1`, set before, held it back). For `lint` the launcher sets
 * `--max-opt=1` before compiling (bin/load-cli.js), since its V8 code cache is tied to the flags
 * it was compiled with.
 */
export function turbofanAfter(limit: number, setFlags: (flags: string) => void): (bytes: number) => void {
  let read = 0;
  return (bytes) => {
    if (read > limit) return;
    read += bytes;
    if (read <= limit) return;
    // `--max-opt` below 3 also turned `--turbofan` off (a V8 flag implication), and raising
    // `--max-opt` again does not turn it back on: without `--turbofan` no function is optimised.
    setFlags('--max-opt=999');
    setFlags('--turbofan');
  };
}
