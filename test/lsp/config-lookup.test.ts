// The language server looks for a config file on every lint (every keystroke), in each folder up
// to the root; most of those files do not exist.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';

const statCalls = vi.hoisted(() => [] as { path: string; options: unknown }[]);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const statSync = (path: string, options?: object) => {
    statCalls.push({ path, options });
    return fs.statSync(path, options);
  };
  return { ...fs, default: { ...fs, statSync }, statSync };
});

const { findConfigFileUncached } = await import('../../src/lsp/diagnostics.js');

describe('config lookup for the language server', () => {
  const root = mkdtempSync(join(tmpdir(), 'config-lookup-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('asks about absent files without throwing errors, and still finds the nearest config', () => {
    const deep = join(root, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, 'a', '.apptainer-lint.yaml'), 'extends: recommended\n');
    statCalls.length = 0;
    expect(findConfigFileUncached(deep)).toBe(join(root, 'a', '.apptainer-lint.yaml'));
    const lookups = statCalls.filter((call) => call.path.startsWith(root));
    expect(lookups.length).toBeGreaterThan(2);
    for (const call of lookups) expect(call.options).toEqual({ throwIfNoEntry: false });
  });

  test('a file where a folder is expected is skipped', () => {
    const file = join(root, 'plain');
    writeFileSync(file, 'x');
    expect(() => findConfigFileUncached(join(file, 'below'))).not.toThrow();
  });
});
