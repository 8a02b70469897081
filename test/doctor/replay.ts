// Replays a recorded host (test/doctor/fixtures/hosts/*.yaml) through the doctor's HostAccess.
// A command that is not recorded is "not on PATH"; a recorded `timeout: true` times out.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { CommandOutcome, HostAccess } from '../../src/doctor/access.js';

interface RecordedCommand {
  stdout?: string;
  stderr?: string;
  code?: number;
  timeout?: boolean;
}

export interface RecordedHost {
  description: string;
  env?: Record<string, string>;
  /** Where `which` finds programs; every recorded command is also found, in /usr/bin. */
  path?: Record<string, string>;
  commands?: Record<string, RecordedCommand>;
  files?: Record<string, string>;
  dirs?: Record<string, string[]>;
  exists?: string[];
}

export const HOSTS_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures/hosts');

export function loadRecordedHost(name: string): RecordedHost {
  return parse(readFileSync(path.join(HOSTS_DIR, `${name}.yaml`), 'utf8')) as RecordedHost;
}

export function replayHost(recorded: RecordedHost, calls: string[] = []): HostAccess {
  const commands = recorded.commands ?? {};
  const programs = new Set(Object.keys(commands).map((c) => c.split(' ')[0]));
  const which = (name: string) => recorded.path?.[name] ?? (programs.has(name) ? (name.startsWith('/') ? name : `/usr/bin/${name}`) : undefined);
  return {
    which,
    env: (name) => recorded.env?.[name],
    run: async (argv, timeoutMs): Promise<CommandOutcome> => {
      const key = argv.join(' ');
      calls.push(key);
      const rec = commands[key];
      if (!rec) return { kind: 'missing' };
      if (rec.timeout) return { kind: 'timeout', afterMs: timeoutMs };
      return { kind: 'ran', code: rec.code ?? 0, stdout: rec.stdout ?? '', stderr: rec.stderr ?? '' };
    },
    listDir: (dir) => recorded.dirs?.[dir],
    readText: (file) => recorded.files?.[file],
    exists: (file) => file in (recorded.files ?? {}) || file in (recorded.dirs ?? {}) || (recorded.exists ?? []).includes(file),
  };
}
