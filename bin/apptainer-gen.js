#!/usr/bin/env node
// CommonJS (bin/package.json): Node's ES-module loader costs a one-file run more than this file.
'use strict';
require('./load-cli.js')
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
