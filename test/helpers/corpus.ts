// Locates the shared real-world corpus (beside the repo in CI: ../shared/corpus).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDir = process.env.APPTAINER_GEN_CORPUS ?? resolve(repoRoot, '../shared/corpus');
export const corpusPresent = existsSync(join(corpusDir, 'files'));
export const corpusSkipReason = `corpus not found at ${corpusDir} (set APPTAINER_GEN_CORPUS): skipped`;

if (!corpusPresent) {
  // Say it plainly once, so a skipped conformance run is never mistaken for a pass.
  console.warn(`[apptainer-gen tests] ${corpusSkipReason}`);
}

export function corpusFiles(): string[] {
  return corpusPresent ? readdirSync(join(corpusDir, 'files')).sort() : [];
}

export function readCorpusFile(name: string): string {
  return readFileSync(join(corpusDir, 'files', name), 'utf8');
}

export function readExpected(name: string, kind: 'expected' | 'expected-build' = 'expected'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(corpusDir, kind, name.replace(/\.def$/, '.json')), 'utf8'));
}
