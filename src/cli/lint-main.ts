// Entry of dist/bundle/cli.cjs: `apptainer-lint` / `apptainer-gen lint` alone. The launcher
// (bin/load-cli.js) compiles this bundle with a V8 code cache; the other commands are not in it,
// so there is less source to read and less cached code to deserialise at every start.
// Behaves as `main(['lint', ...argv])`.
import { run } from './commands/lint.js';
import { commandEntry } from './run-command.js';

export const main = commandEntry(run);
