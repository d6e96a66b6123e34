import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module.js';
import { CONTEXT_NAMES } from '@ficus/contracts';
import { createTestDatabase, type TestDatabase, useTestEnv } from '@ficus/platform/testing';
import { createApp } from '../../apps/monolith/src/app.factory.js';

/** The Nest module that is a context's public face: `IdentityModule` for `identity`, and so on. */
const contextOf = (module: Module): string | undefined => {
  const name = module.metatype?.name ?? '';
  return CONTEXT_NAMES.find((ctx) => name.toLowerCase() === `${ctx}module`);
};

/** Every module reachable from `root` through imports, with the path that reached it. */
function reachable(root: Module): Map<Module, string[]> {
  const seen = new Map<Module, string[]>([[root, [root.metatype.name]]]);
  const queue = [root];
  while (queue.length) {
    const current = queue.shift()!;
    for (const imported of current.imports) {
      if (!imported || seen.has(imported)) continue;
      seen.set(imported, [...seen.get(current)!, imported.metatype.name]);
      queue.push(imported);
    }
  }
  return seen;
}

/**
 * The runtime half of the boundary rules (dependency-cruiser is the static half): in the running app, no
 * context module imports, directly or through another module, a different context's module, and no
 * provider of a context is an instance owned by another context.
 */
describe('the running module graph', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let modules: Module[];

  beforeAll(async () => {
    db = await createTestDatabase('graph');
    await useTestEnv(db.url);
    app = await createApp();
    modules = [...app.get(ModulesContainer).values()];
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('mounts at least the identity context', () => {
    expect(modules.map(contextOf).filter(Boolean)).toContain('identity');
  });

  it('has no context module that reaches another context module through its imports', () => {
    const violations: string[] = [];
    for (const module of modules) {
      const ctx = contextOf(module);
      if (!ctx) continue;
      for (const [other, path] of reachable(module)) {
        const otherCtx = contextOf(other);
        if (otherCtx && otherCtx !== ctx) violations.push(path.join(' → '));
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no context injecting a provider that belongs to another context', () => {
    const ownerOf = new Map<unknown, string>();
    for (const module of modules) {
      const ctx = contextOf(module);
      if (!ctx) continue;
      for (const sub of reachable(module).keys()) {
        // Global platform modules are shared by design; only the context's own subtree counts.
        if (sub.isGlobal) continue;
        for (const wrapper of sub.providers.values()) {
          if (wrapper.instance && typeof wrapper.instance === 'object') ownerOf.set(wrapper.instance, ctx);
        }
      }
    }
    const violations: string[] = [];
    for (const module of modules) {
      const ctx = contextOf(module);
      if (!ctx) continue;
      for (const wrapper of [...module.providers.values(), ...module.controllers.values()]) {
        const instance = wrapper.instance as Record<string, unknown> | undefined;
        if (!instance || typeof instance !== 'object') continue;
        for (const [field, dep] of Object.entries(instance)) {
          const owner = ownerOf.get(dep);
          if (owner && owner !== ctx) violations.push(`${ctx}:${String(wrapper.name)}.${field} is ${owner}'s`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('would notice a context importing another one (the check itself can fail)', () => {
    const identity = modules.find((m) => contextOf(m) === 'identity')!;
    const fake = { metatype: { name: 'CatalogModule' }, imports: new Set(), isGlobal: false } as unknown as Module;
    identity.imports.add(fake);
    try {
      const reached = [...reachable(identity).keys()].map(contextOf);
      expect(reached).toContain('catalog');
    } finally {
      identity.imports.delete(fake);
    }
  });
});
