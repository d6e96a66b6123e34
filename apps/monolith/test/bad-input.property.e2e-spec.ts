import fc from 'fast-check';
import { IDENTITY_API, type IdentityApi } from '@ficus/contracts';
import { loadOpenApiDocumentBuilder } from '@ficus/platform';
import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';
import {
  bodyText,
  type FieldSchema,
  type FuzzContext,
  type FuzzRequest,
  pathParam,
  queryText,
  targetedRequests,
} from './fuzz-arbitraries.js';
import { PROBLEM_CONTENT_TYPE, PROBLEM_FIELDS } from './problem-assertions.js';
import { httpRequest, rawHttp } from './raw-http.js';
import { RowCounter } from './row-counts.js';

/**
 * Property: whatever JSON, query string or path parameter a client sends to any route of the facade, the
 * answer is never a 5xx, every error is a problem with a stable code, and a rejected request stores
 * nothing. The routes are read from the running app (Fastify's route table, the OpenAPI document for
 * each route's fields), so a new route is fuzzed without touching this file. Deterministic: a fixed seed
 * (FICUS_FUZZ_SEED to replay another), printed by fast-check with the smallest failing request.
 */
const SEED = Number(process.env.FICUS_FUZZ_SEED || 20_260_512);
const RUNS = Number(process.env.FICUS_FUZZ_RUNS || 40);
const PASSWORD = 'correct horse battery';

interface Operation {
  parameters?: { name: string; in: string; schema?: FieldSchema }[];
  requestBody?: { content?: Record<string, { schema?: FieldSchema }> };
  responses?: Record<string, unknown>;
  security?: unknown[];
}

interface Route {
  method: string;
  /** Fastify's form: `/v1/products/:id`. */
  path: string;
}

/** The routes in Fastify's own table (`printRoutes` with full paths), without HEAD. */
function routesOf(tree: string): Route[] {
  const parents: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?) \(([^)]*)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    parents.length = depth;
    const path = parents.join('') + match[2]!;
    parents.push(match[2]!);
    for (const method of match[3]!.split(', ')) {
      if (method !== 'HEAD' && method !== '-') routes.push({ method, path });
    }
  }
  return routes;
}

const t: RunningApp = await startTestApp('fuzz', {
  RATE_LIMIT_PER_IP_PER_MIN: '1000000',
  RATE_LIMIT_PER_USER_PER_MIN: '1000000',
  LOGIN_MAX_FAILURES_PER_EMAIL: '10000',
});
const { buildOpenApiDocument } = await loadOpenApiDocumentBuilder();
const document = buildOpenApiDocument(t.app) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, FieldSchema> };
};
const ROUTES = routesOf(t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false })).filter((r) =>
  r.path.startsWith('/v1/'),
);
const operationOf = (route: Route) =>
  document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
const resolve = (schema: FieldSchema | undefined): FieldSchema | undefined =>
  schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;

describe('the facade under generated bad input (property-based)', () => {
  let rows: RowCounter;
  let admin: string;
  let customer: string;
  const context: FuzzContext = { known: {} };

  beforeAll(async () => {
    rows = new RowCounter(t.db.url);
    const email = uniqueEmail('fuzz-admin');
    await call(t.url, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, name: 'Admin' } });
    await t.app.get<IdentityApi>(IDENTITY_API).grantAdmin({ email }, { correlationId: 'fuzz', actor: null });
    admin = (await call(t.url, 'POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).body.accessToken;
    customer = (
      await call(t.url, 'POST', '/v1/auth/register', {
        body: { email: uniqueEmail('fuzz-customer'), password: PASSWORD, name: 'Customer' },
      })
    ).body.accessToken;
    const category = await call(t.url, 'POST', '/v1/admin/categories', {
      token: admin,
      body: { slug: 'fuzz-shelf', name: 'Shelf' },
    });
    const product = await call(t.url, 'POST', '/v1/admin/products', {
      token: admin,
      body: {
        sku: 'FUZZ-1',
        name: 'Fuzz',
        description: 'A product to aim at.',
        priceCents: 100,
        currency: 'EUR',
        categorySlug: category.body.slug,
        stock: 5,
      },
    });
    context.known = { id: product.body.id, categorySlug: 'fuzz-shelf', category: 'fuzz-shelf' };
  }, 30_000);
  afterAll(async () => {
    await rows?.close();
    await t?.close();
  }, 30_000);

  it('finds the routes in the app, each described in the OpenAPI document', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(10);
    expect(ROUTES).toContainEqual({ method: 'POST', path: '/v1/auth/register' });
    expect(ROUTES.filter((route) => !operationOf(route))).toEqual([]);
  });

  it.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: never a 5xx, errors are problems, a 4xx stores nothing',
    async (_name, route) => {
      const operation = operationOf(route) ?? {};
      const parameters = operation.parameters ?? [];
      const bodySchema = resolve(operation.requestBody?.content?.['application/json']?.schema);
      const token = operation.security ? (operation.responses?.['403'] ? admin : customer) : undefined;
      const pathParams = (route.path.match(/:\w+/g) ?? []).map((segment) => {
        const name = segment.slice(1);
        const schema = parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {};
        return [name, schema] as [string, FieldSchema];
      });
      const query = parameters
        .filter((p) => p.in === 'query')
        .map((p) => [p.name, p.schema ?? {}] as [string, FieldSchema]);
      const hasBody = !['GET', 'DELETE'].includes(route.method);
      const pathArb = fc
        .tuple(...pathParams.map(([name, schema]) => pathParam(name, schema, context).map((v) => [name, v] as const)))
        .map((values) => values.reduce((path, [name, value]) => path.replace(`:${name}`, value), route.path));
      const request: fc.Arbitrary<FuzzRequest> = fc.record({
        path: pathArb,
        query: queryText(query, context),
        body: hasBody ? bodyText(bodySchema, context) : fc.constant(undefined),
      });
      const examples = targetedRequests({ path: route.path, pathParams, query }, bodySchema, hasBody, context, SEED);

      await fc.assert(
        fc.asyncProperty(request, async ({ path, query: search, body }) => {
          const before = await rows.counts();
          const headers: Record<string, string> = {};
          if (token) headers.authorization = `Bearer ${token}`;
          if (body !== undefined) headers['content-type'] = 'application/json';
          const target = search ? `${path}?${search}` : path;
          const res = await rawHttp(t.url, httpRequest(route.method, target, headers, body));
          expect(res.status).toBeLessThan(500);
          if (res.status < 400) return;
          expect(res.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
          for (const field of PROBLEM_FIELDS) expect(res.body).toHaveProperty(field);
          expect(res.body.status).toBe(res.status);
          expect(res.body.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
          expect(await rows.counts()).toEqual(before);
        }),
        { seed: SEED, numRuns: RUNS, examples: examples.map((example) => [example]) },
      );
    },
    60_000,
  );
});
