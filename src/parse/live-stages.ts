// The stages a build uses. `parser.All` keeps a chunk only when it has a header or a section;
// the parse model keeps the dropped ones too (`stage.empty`) so that rules can still point at
// their text. The linter, the job-script checks and `doctor` ask these two questions of a file.
import type { ParsedFile, Stage } from './model.js';

const live = new WeakMap<ParsedFile, readonly Stage[]>();

/** The stages Apptainer keeps, in file order (computed once per parsed file). */
export function liveStages(file: ParsedFile): readonly Stage[] {
  let stages = live.get(file);
  if (!stages) live.set(file, (stages = file.stages.filter((stage) => !stage.empty)));
  return stages;
}

/** The stage that becomes the image: the last one Apptainer keeps. */
export function finalStage(file: ParsedFile): Stage | undefined {
  const stages = liveStages(file);
  return stages[stages.length - 1];
}
