import { ContextUnavailableError, ContractCallError } from '@ficus/platform';
import { HomeSections } from './home-sections.js';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(resolve, ms, value));

describe('HomeSections', () => {
  it('answers what a context returns in time, and degrades nothing', async () => {
    const sections = new HomeSections(100, 'c1');
    await expect(sections.run('catalog', () => after(5, ['a']), [])).resolves.toEqual(['a']);
    expect(sections.degraded()).toEqual([]);
  });

  it('answers the fallback at the deadline when a context is slow, and names it', async () => {
    const sections = new HomeSections(50, 'c2');
    const started = Date.now();
    await expect(sections.run('ordering', () => after(2000, ['late']), [])).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(500);
    expect(sections.degraded()).toEqual(['ordering']);
  });

  it('answers the fallback when a context is down or fails, and lists contexts in a fixed order', async () => {
    const sections = new HomeSections(100, 'c3');
    await Promise.all([
      sections.run('notifications', () => Promise.reject(new ContextUnavailableError('notifications', 'down')), 0),
      sections.run('identity', () => Promise.reject(new Error('boom')), null),
      sections.run('catalog', () => after(1, []), []),
    ]);
    expect(sections.degraded()).toEqual(['identity', 'notifications']);
  });

  it('takes a contract error listed as "absent" for an answer, not a failure', async () => {
    const sections = new HomeSections(100, 'c4');
    const notFound = new ContractCallError({ code: 'USER_NOT_FOUND', status: 404, detail: 'x', kind: 'not_found' });
    await expect(sections.run('identity', () => Promise.reject(notFound), null, ['USER_NOT_FOUND'])).resolves.toBe(
      null,
    );
    expect(sections.degraded()).toEqual([]);
    await sections.run('identity', () => Promise.reject(notFound), null);
    expect(sections.degraded()).toEqual(['identity']);
  });

  it('ignores a failure that comes after the deadline (no unhandled rejection)', async () => {
    const sections = new HomeSections(10, 'c5');
    await sections.run('catalog', () => after(30, null).then(() => Promise.reject(new Error('late'))), []);
    await after(50, null);
    expect(sections.degraded()).toEqual(['catalog']);
  });
});
