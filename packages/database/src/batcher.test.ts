import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher';

type Item = { key: string; value: number };

/** A batched call whose batches wait until `release` is called; records every batch. */
function recordingBatcher(options: { maxBatch?: number; maxInFlight?: number } = {}) {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const call = createBatcher<Item, number>({
    run: async (items) => {
      batches.push(items.map((item) => item.value));
      await new Promise<void>((resolve) => gates.push(resolve));
      if (items.some((item) => item.value < 0)) throw new Error('negative');
      return items.map((item) => item.value * 10);
    },
    keyOf: (item) => item.key,
    maxBatch: options.maxBatch ?? 10,
    maxInFlight: options.maxInFlight ?? 1,
  });
  const releaseAll = async () => {
    // Releases every waiting batch, including those that start meanwhile.
    for (let round = 0; round < 20; round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.splice(0).forEach((release) => release());
    }
  };
  return { call, batches, releaseAll };
}

describe('createBatcher', () => {
  it('sends a call alone at once, and the calls made meanwhile together', async () => {
    const { call, batches, releaseAll } = recordingBatcher();
    const first = call({ key: 'a', value: 1 });
    const rest = [2, 3, 4].map((value) => call({ key: `k${value}`, value }));
    expect(batches).toEqual([[1]]);
    await releaseAll();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts two items of one key in a batch, and keeps to the batch size', async () => {
    const { call, batches, releaseAll } = recordingBatcher({ maxBatch: 2 });
    const first = call({ key: 'x', value: 0 });
    const later = [
      call({ key: 'a', value: 1 }),
      call({ key: 'a', value: 2 }),
      call({ key: 'b', value: 3 }),
      call({ key: 'c', value: 4 }),
    ];
    await releaseAll();
    await Promise.all([first, ...later]);
    expect(batches).toEqual([[0], [1, 3], [2, 4]]);
  });

  it('runs the items of a failed batch one by one: only the bad one fails', async () => {
    const { call, batches, releaseAll } = recordingBatcher();
    const first = call({ key: 'x', value: 0 });
    const good = call({ key: 'a', value: 1 });
    const bad = call({ key: 'b', value: -1 });
    const alsoGood = call({ key: 'c', value: 2 });
    const settled = Promise.allSettled([first, good, bad, alsoGood]);
    await releaseAll();
    expect((await settled).map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await good).toBe(10);
    expect(await alsoGood).toBe(20);
    expect(batches).toEqual([[0], [1, -1, 2], [1], [-1], [2]]);
  });

  it('keeps up to maxInFlight batches in flight', async () => {
    const { call, batches, releaseAll } = recordingBatcher({ maxInFlight: 2 });
    const calls = [1, 2, 3].map((value) => call({ key: `k${value}`, value }));
    // The first two go out alone (a slot each), the third waits for a slot.
    expect(batches).toEqual([[1], [2]]);
    await releaseAll();
    expect(await Promise.all(calls)).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1], [2], [3]]);
  });
});
