// Scratch folders for e2e tests, and the checks every e2e file shares.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { removeTree } from './process.js';
import { cacheDir } from './rootfs.js';

/** A fresh folder under the cache (not /tmp: roots must not sit inside the /tmp they bind). */
export function scratchDir(label: string): string {
  const base = path.join(cacheDir(), 'work');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${label}-`));
}

/**
 * Deletes a scratch folder (kept when APPTAINER_E2E_KEEP is set). Asynchronous on purpose:
 * a synchronous delete of a few GB of roots blocks the test worker long enough for vitest's
 * RPC to time out.
 */
export async function removeScratch(dir: string): Promise<void> {
  if (process.env.APPTAINER_E2E_KEEP) return;
  await removeTree(dir);
}

/** Mount points of this mount namespace that lie under `dir` (should be none after a build). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((mountPoint): mountPoint is string => !!mountPoint && (mountPoint === dir || mountPoint.startsWith(`${dir}/`)));
}

export const FIXTURES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../fixtures');

/** Environment that lets Open MPI's mpirun work as root on a runner with few cores. */
export const OPEN_MPI_AS_ROOT: NodeJS.ProcessEnv = {
  OMPI_ALLOW_RUN_AS_ROOT: '1',
  OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1',
  OMPI_MCA_rmaps_base_oversubscribe: '1',
};

/**
 * Turns a reason to skip into a failure when APPTAINER_E2E_REQUIRE is set (CI sets it, so a
 * broken runner cannot pass by skipping everything). Returns the reason otherwise.
 */
export function skipOrFail(reason: string | null): string | null {
  if (reason !== null && process.env.APPTAINER_E2E_REQUIRE) {
    throw new Error(`APPTAINER_E2E_REQUIRE is set, but the e2e tests cannot run: ${reason}`);
  }
  return reason;
}
