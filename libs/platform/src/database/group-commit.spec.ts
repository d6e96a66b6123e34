import { GroupCommit, type GroupCommitWork } from './group-commit.js';

/** A recording work: batches and solo runs, each item's result its own doubled value. */
function recorder(overrides: Partial<GroupCommitWork<number, number>> = {}) {
  const batches: number[][] = [];
  const alone: number[] = [];
  const failed: number[][] = [];
  const work: GroupCommitWork<number, number> = {
    batch: async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => n * 2);
    },
    alone: async (n) => {
      alone.push(n);
      return n * 2;
    },
    onBatchFailed: (_error, items) => failed.push(items),
    ...overrides,
  };
  return { work, batches, alone, failed };
}

describe('GroupCommit', () => {
  it('runs a lone item alone, at once, with its own result', async () => {
    const r = recorder();
    const group = new GroupCommit(r.work, { batchMax: 100, flushes: 2 });
    await expect(group.submit(21)).resolves.toBe(42);
    expect(r.batches).toEqual([]);
    expect(r.alone).toEqual([21]);
  });

  it('sends items submitted together as batches, answering each caller its own result', async () => {
    const r = recorder();
    const group = new GroupCommit(r.work, { batchMax: 100, flushes: 1 });
    const items = Array.from({ length: 30 }, (_, i) => i + 1);
    await expect(Promise.all(items.map((n) => group.submit(n)))).resolves.toEqual(items.map((n) => n * 2));
    expect(r.batches).toEqual([items]);
    expect(r.alone).toEqual([]);
  });

  it('queues behind busy flushes and never exceeds batchMax or the number of flushes', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const sizes: number[] = [];
    const r = recorder({
      batch: async (items) => {
        sizes.push(items.length);
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return items.map((n) => -n);
      },
    });
    const group = new GroupCommit(r.work, { batchMax: 10, flushes: 2 });
    const items = Array.from({ length: 95 }, (_, i) => i);
    const results = await Promise.all(items.map((n) => group.submit(n)));
    expect(results).toEqual(items.map((n) => (n === 0 ? -0 : -n)));
    expect(mostAtOnce).toBe(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(sizes.reduce((a, b) => a + b, 0) + r.alone.length).toBe(95);
  });

  it('runs every item of a failed batch alone, so only the failing item fails', async () => {
    const r = recorder({
      batch: async (items) => {
        if (items.includes(13)) throw new Error('unlucky');
        return items.map((n) => n * 2);
      },
      alone: async (n) => {
        if (n === 13) throw new Error('13 fails alone too');
        return n * 2;
      },
    });
    const group = new GroupCommit(r.work, { batchMax: 100, flushes: 1 });
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => group.submit(n)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([
      24,
      '13 fails alone too',
      28,
    ]);
    expect(r.failed).toEqual([[12, 13, 14]]);
  });

  it('keeps an item that failed alone out of later batches until it succeeds', async () => {
    let poisoned = true;
    const r = recorder({
      alone: async (n) => {
        r.alone.push(n);
        if (n === 7 && poisoned) throw new Error('poison');
        return n * 2;
      },
      batch: async (items) => {
        r.batches.push(items);
        if (items.includes(7)) throw new Error('poison in the batch');
        return items.map((n) => n * 2);
      },
      keyOf: (n) => String(n),
    });
    const group = new GroupCommit(r.work, { batchMax: 100, flushes: 1 });
    await Promise.allSettled([6, 7].map((n) => group.submit(n)));
    r.batches.length = 0;
    // The retry of 7 goes alone, while the others still batch.
    const retry = await Promise.allSettled([1, 2, 7].map((n) => group.submit(n)));
    expect(retry.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(r.batches).toEqual([[1, 2]]);
    poisoned = false;
    await expect(group.submit(7)).resolves.toBe(14);
    r.batches.length = 0;
    await Promise.all([7, 8].map((n) => group.submit(n)));
    expect(r.batches).toEqual([[7, 8]]);
  });

  it('treats a batch that answers the wrong number of results as failed', async () => {
    const r = recorder({ batch: async (items) => items.slice(1) });
    const group = new GroupCommit(r.work, { batchMax: 100, flushes: 1 });
    await expect(Promise.all([1, 2, 3].map((n) => group.submit(n)))).resolves.toEqual([2, 4, 6]);
    expect(r.failed).toHaveLength(1);
    expect(r.alone).toEqual([1, 2, 3]);
  });

  it('with batchMax 1 runs everything alone', async () => {
    const r = recorder();
    const group = new GroupCommit(r.work, { batchMax: 1, flushes: 4 });
    await Promise.all([1, 2, 3].map((n) => group.submit(n)));
    expect(r.batches).toEqual([]);
    expect(r.alone).toEqual([1, 2, 3]);
  });
});
