import { opaqueVersion, ReadModelCache } from './read-model-cache.js';

const options = { maxEntries: 100, maxBytes: 1_000_000, ttlMs: 60_000 };

describe('ReadModelCache', () => {
  it('fills on a miss, serves the stored value after, and does not cache a missing one', async () => {
    const cache = new ReadModelCache<{ n: number }>('t', options);
    let loads = 0;
    const load = async () => ({ n: ++loads });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('a', load)).toEqual({ n: 1 });
    expect(await cache.get('none', async () => null)).toBeNull();
    expect(await cache.get('none', async () => ({ n: 9 }))).toEqual({ n: 9 });
    expect(cache.stats).toMatchObject({ hits: 1, misses: 3 });
  });

  it('never stores what a load read before an eviction that raced it (a stale fill)', async () => {
    const cache = new ReadModelCache<{ v: string }>('t', options);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The load reads the old row, then the change commits and evicts, then the load finishes.
    const slow = cache.get('k', async () => {
      await gate;
      return { v: 'old' };
    });
    cache.evict(['k']);
    release();
    expect(await slow).toEqual({ v: 'old' }); // its own caller may see it (it asked before the change)
    expect(cache.peek('k')).toBeUndefined(); // nobody after does
    expect(await cache.get('k', async () => ({ v: 'new' }))).toEqual({ v: 'new' });
  });

  it('freezes cached values so that no reader can change them for the others', async () => {
    const cache = new ReadModelCache<{ list: string[] }>('t', options);
    const value = await cache.get('k', async () => ({ list: ['a'] }));
    expect(() => value!.list.push('b')).toThrow(TypeError);
  });

  it('is bounded by entries and by bytes', async () => {
    const byEntries = new ReadModelCache<{ n: number }>('t', { ...options, maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) await byEntries.get(key, async () => ({ n: 1 }));
    expect(byEntries.size).toBe(2);
    expect(byEntries.peek('a')).toBeUndefined();
    const byBytes = new ReadModelCache<{ s: string }>('t', { ...options, maxBytes: 500 });
    for (const key of ['a', 'b', 'c']) await byBytes.get(key, async () => ({ s: 'x'.repeat(100) }));
    expect(byBytes.bytes).toBeLessThanOrEqual(500);
    expect(byBytes.size).toBe(2);
  });

  it('serves and stores nothing while bypassed, and was cleared when the bypass began', async () => {
    const cache = new ReadModelCache<{ n: number }>('t', options);
    await cache.get('k', async () => ({ n: 1 }));
    cache.bypass(true);
    expect(await cache.get('k', async () => ({ n: 2 }))).toEqual({ n: 2 });
    expect(await cache.get('k', async () => ({ n: 3 }))).toEqual({ n: 3 });
    cache.bypass(false);
    expect(await cache.get('k', async () => ({ n: 4 }))).toEqual({ n: 4 });
    expect(await cache.get('k', async () => ({ n: 5 }))).toEqual({ n: 4 });
  });

  it('drops an entry after its TTL even if no invalidation arrives', async () => {
    const cache = new ReadModelCache<{ n: number }>('t', { ...options, ttlMs: 150 });
    await cache.get('k', async () => ({ n: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await cache.get('k', async () => ({ n: 2 }))).toEqual({ n: 2 });
  });

  it('derives a fixed-shape opaque version that changes with any part', () => {
    expect(opaqueVersion('catalog.product', 'v1', '10.2')).toMatch(/^[A-Za-z0-9_-]{27}$/);
    expect(opaqueVersion('catalog.product', 'v1', '10.2')).not.toBe(opaqueVersion('catalog.product', 'v1', '10.3'));
  });
});
