// V8 settings for a one-shot run over many files (`apptainer-gen parse FILE...`): a short burst of
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
// setting them while running takes effect.

/** Input read before TurboFan is allowed again. */
export const TURBOFAN_AFTER_BYTES = 16 * 1024 * 1024;

/**
 * Applies the batch settings through `setFlags` (v8.setFlagsFromString) and returns the function
 * to call with each file's size: it lets TurboFan back in once the run is long.
 */
export function tuneForBatch(setFlags: (flags: string) => void): (bytes: number) => void {
  setFlags('--max-opt=1');
  setFlags('--semi-space-growth-factor=1');
  let read = 0;
  return (bytes) => {
    if (read > TURBOFAN_AFTER_BYTES) return;
    read += bytes;
    if (read > TURBOFAN_AFTER_BYTES) setFlags('--max-opt=999');
  };
}
