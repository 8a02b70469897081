#!/usr/bin/env node
import { runCli } from './load-cli.js';
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
