#!/usr/bin/env node
import { runCli } from './load-cli.js';
runCli(['lint', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
