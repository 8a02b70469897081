// Facts many rules ask about every command (its package manager, subcommand, pip arguments, the
// packages it installs) are worked out once per command object: the answers are the same objects
// on every call, and an unchanged section keeps them from one lint to the next (its commands are
// shared through the shell analysis cache).
import { expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { parseShellScripts, pipArgs, subcommand } from '../../../src/lint/shell/index.js';
import { packageInstall } from '../../../src/lint/vocab/mpi.js';

test('a command is classified once: the same answers, as the same objects', async () => {
  const text = 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    python3 -m pip install numpy==2.1.0\n    apt-get -q install -y curl\n';
  const [script] = await parseShellScripts(parse(text));
  const [pip, apt] = script.commands;
  expect(pipArgs(pip)?.map((word) => word.text)).toEqual(['install', 'numpy==2.1.0']);
  expect(pipArgs(pip)).toBe(pipArgs(pip));
  expect(subcommand(apt)?.text).toBe('install');
  expect(subcommand(apt)).toBe(subcommand(apt));
  expect(packageInstall(apt)?.packages.map((p) => p.name)).toEqual(['curl']);
  expect(packageInstall(apt)).toBe(packageInstall(apt));
  // The next lint of the same text gets the same command objects, and with them the answers.
  const [again] = await parseShellScripts(parse(text));
  expect(packageInstall(again.commands[0])).toBe(packageInstall(pip));
});
