// The two lint functions the doctor reuses (image MPI inference and the job-script check), in one
// place so a move inside src/lint touches one import. Loaded lazily: they pull in tree-sitter.
export { imageMpiProfile, checkJobScript, srunPlugin, type ContainerLaunch, type JobCheckResult } from '../lint/jobscript.js';
export { parseShellScripts } from '../lint/shell/index.js';
