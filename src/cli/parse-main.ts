// Entry of dist/bundle/parse.js: `apptainer-gen parse` as one self-contained module. The launcher
// (bin/load-cli.js) loads it instead of main.js and its chunks: Node's ES-module loader costs about
// as much per module as the parse of a small file, and `parse` is the command run over thousands
// of files or once per file by other tools. Behaves as `main(['parse', ...argv])`.
import { run } from './commands/parse.js';
import { commandEntry } from './run-command.js';

export const main = commandEntry(run);
