// Entry of dist/bundle/generate.cjs: `apptainer-gen [generate] RECIPE.yaml` alone, in one CommonJS
// file that the launcher (bin/load-cli.js) compiles with a V8 code cache, as it does `lint`: through
// main.js the command took a dozen ES modules, compiled at every run. Behaves as
// `main(['generate', ...argv])`.
import { run } from './commands/generate.js';
import { commandEntry } from './run-command.js';

export const main = commandEntry(run);
