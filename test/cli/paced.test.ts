import { describe, expect, test } from 'vitest';
import { mapPaced } from '../../src/cli/paced.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapPaced', () => {
  test('results keep the order of the items, whatever order the calls settle in', async () => {
    const delays = [5, 0, 3, 1, 4, 2];
    const results = await mapPaced(delays, 3, async (n) => {
      for (let i = 0; i < n; i++) await turn();
      return n * 10;
    });
    expect(results).toEqual([50, 0, 30, 10, 40, 20]);
  });

  test('at most `window` calls are unsettled at once', async () => {
    let running = 0;
    let most = 0;
    await mapPaced(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        running++;
        most = Math.max(most, running);
        for (let k = 0; k < (i % 5) + 3; k++) await turn();
        running--;
      },
    );
    expect(most).toBe(4);
  });

  test("one call starts per turn of the event loop: a started call's I/O is answered before the next call starts", async () => {
    // Started all at once (as Promise.all over a window does), every call would start before
    // any call's first wait ended: start 0, start 1, start 2, ..., then the answers.
    const log: string[] = [];
    await mapPaced([0, 1, 2, 3], 64, async (i) => {
      log.push(`start ${i}`);
      await turn();
      log.push(`answer ${i}`);
    });
    expect(log).toEqual(['start 0', 'answer 0', 'start 1', 'answer 1', 'start 2', 'answer 2', 'start 3', 'answer 3']);
  });

  test('after a call rejects no new call starts; the rejection is thrown once the started calls settle', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const run = mapPaced([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      for (let k = 0; k < 3; k++) await turn();
      settled.push(i);
      if (i === 1) throw new Error('bad configuration');
    });
    await expect(run).rejects.toThrow('bad configuration');
    expect(started).toEqual(settled.slice().sort((a, b) => a - b));
    expect(started).not.toContain(5);
  });
});
