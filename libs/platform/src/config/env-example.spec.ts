import { readFileSync } from 'node:fs';

describe('.env.example', () => {
  it('documents every variable the configuration reads', () => {
    const documented = new Set(
      readFileSync('.env.example', 'utf8')
        .split('\n')
        .map((line) => /^#?\s*([A-Z][A-Z0-9_]+)=/.exec(line)?.[1])
        .filter(Boolean),
    );
    const config = readFileSync('libs/platform/src/config/ficus.config.ts', 'utf8');
    const read = [...config.matchAll(/r\.(?:string|optional|int|bool|oneOf|url|list)\('([A-Z0-9_]+)'/g)].map(
      (m) => m[1],
    );
    expect(read.length).toBeGreaterThan(20);
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });
});
