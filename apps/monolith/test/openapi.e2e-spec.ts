import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { call, type RunningApp, startTestApp, uniqueEmail } from './e2e-harness.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const SPECTRAL = join(repoRoot, 'node_modules/@stoplight/spectral-cli/dist/index.js');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

interface SpectralResult {
  source: string;
  code: string;
  message: string;
  path: (string | number)[];
  severity: 0 | 1 | 2 | 3;
}

/** Runs Spectral with the repository's ruleset (.spectral.yaml) on files, in one process; JSON results. */
async function spectral(...files: string[]): Promise<SpectralResult[]> {
  const ruleset = join(repoRoot, '.spectral.yaml');
  const args = [SPECTRAL, 'lint', ...files, '--ruleset', ruleset, '--format', 'json', '--quiet'];
  // Exit code 1 means "found errors": the results on stdout say which.
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: repoRoot, maxBuffer: 64 << 20 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return JSON.parse(stdout || '[]') as SpectralResult[];
}

function operations(doc: any): [string, any][] {
  return Object.entries(doc.paths).flatMap(([path, item]: [string, any]) =>
    METHODS.filter((method) => item[method]).map((method): [string, any] => [
      `${method.toUpperCase()} ${path}`,
      item[method],
    ]),
  );
}

describe('the OpenAPI document (/docs-json)', () => {
  let t: RunningApp;
  let doc: any;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp('openapi');
    const res = await call(t.url, 'GET', '/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
    dir = await mkdtemp(join(tmpdir(), 'ficus-openapi-'));
  }, 30_000);
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes Spectral with the OWASP API Security ruleset without a single error', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc, null, 2));
    // A control document with an unprotected, header-less route: proves the rules ran at all (a broken
    // ruleset would pass everything).
    const control = join(dir, 'control.json');
    const broken = { ...doc, paths: { '/v1/x': { get: { responses: { '200': { description: 'x' } } } } } };
    await writeFile(control, JSON.stringify(broken));
    const results = await spectral(file, control);
    const errors = results
      .filter((result) => result.source === file && result.severity === 0)
      .map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`);
    expect(errors).toEqual([]);
    expect(results.filter((result) => result.source === control).map((result) => result.code)).toEqual(
      expect.arrayContaining(['ficus-rate-limit-headers', 'owasp:api2:2023-read-restricted']),
    );
  }, 60_000);

  it('derives request bounds from the validators', () => {
    const schemas = doc.components.schemas;
    expect(schemas.RegisterRequestDto.properties.password).toMatchObject({ minLength: 10, maxLength: 128 });
    expect(schemas.RegisterRequestDto.properties.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(schemas.RegisterRequestDto.required).toEqual(['email', 'password', 'name']);
    expect(schemas.CreateProductRequestDto.properties.priceCents).toMatchObject({
      type: 'integer',
      format: 'int32',
      minimum: 0,
      maximum: 2_147_483_647,
    });
    expect(schemas.CreateProductRequestDto.properties.currency).toMatchObject({ pattern: '^[A-Z]{3}$', maxLength: 3 });
    expect(schemas.CreateProductRequestDto.properties.imageMediaId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(schemas.CreateProductRequestDto.required).not.toContain('imageMediaId');
    // The validation pipe refuses unknown properties, and the schemas say so.
    expect(schemas.CreateProductRequestDto.additionalProperties).toBe(false);
    expect(schemas.UpdateMeRequestDto.additionalProperties).toBe(false);

    const params = Object.fromEntries(doc.paths['/v1/products'].get.parameters.map((p: any) => [p.name, p.schema]));
    expect(params.limit).toMatchObject({ type: 'integer', format: 'int32', minimum: 1, maximum: 100, default: 20 });
    expect(params.sort).toEqual({ type: 'string', enum: ['relevance', 'newest', 'price_asc', 'price_desc'] });
    expect(params.category).toMatchObject({ maxLength: 64, pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$' });
    const id = doc.paths['/v1/products/{id}'].get.parameters.find((p: any) => p.in === 'path');
    expect(id.schema).toMatchObject({ type: 'string', format: 'uuid', maxLength: 36 });
  });

  it('tells public, signed-in and admin routes apart', () => {
    const byRoute = Object.fromEntries(operations(doc));
    expect(byRoute['POST /v1/auth/login'].security).toEqual([{}, { bearer: [] }]);
    expect(byRoute['GET /v1/products'].security).toEqual([{}, { bearer: [] }]);
    expect(byRoute['GET /v1/me'].security).toEqual([{ bearer: [] }]);
    for (const [route, operation] of operations(doc)) {
      const admin = route.includes('/v1/admin/');
      expect([route, operation['x-admin'] === true]).toEqual([route, admin]);
      if (admin) expect([route, operation.security]).toEqual([route, [{ adminBearer: [] }]]);
    }
    expect(doc.components.securitySchemes.bearer.description).toContain('RFC8725');
  });

  it('documents the answers every route can give, with their headers', () => {
    for (const [route, operation] of operations(doc)) {
      for (const status of ['401', '429', '500', '503']) {
        expect([route, status, operation.responses[status]?.content]).toEqual([
          route,
          status,
          { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponseDto' } } },
        ]);
      }
      expect([route, Object.keys(operation.responses['429'].headers)]).toEqual([
        route,
        expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
      ]);
      expect([route, Object.keys(operation.responses['401'].headers)]).toEqual([
        route,
        expect.arrayContaining(['WWW-Authenticate']),
      ]);
      const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      expect([route, success.length]).toEqual([route, 1]);
      expect([route, Object.keys(operation.responses[success[0]].headers)]).toEqual([
        route,
        expect.arrayContaining(['X-Request-Id', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
      ]);
    }
  });

  it('claims only limits the API enforces: one past each documented register bound is a 400 on that field', async () => {
    const schema = doc.components.schemas.RegisterRequestDto;
    const valid = { email: uniqueEmail('bounds'), password: 'correct horse battery', name: 'Ada' };
    const cases: [string, string][] = [];
    for (const [field, property] of Object.entries<any>(schema.properties)) {
      // `a` repeated keeps any format: for the e-mail, the local part grows.
      const grow = (length: number) =>
        field === 'email' ? `${'a'.repeat(length - 12)}@example.com` : 'a'.repeat(length);
      if (property.maxLength) cases.push([field, grow(property.maxLength + 1)]);
      if (property.minLength) cases.push([field, 'a'.repeat(property.minLength - 1)]);
    }
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const [field, value] of cases) {
      const res = await call(t.url, 'POST', '/v1/auth/register', { body: { ...valid, [field]: value } });
      const fields = [...new Set(res.body.errors?.map((e: any) => e.field))];
      expect([field, value.length, res.status, fields]).toEqual([field, value.length, 400, [field]]);
    }
    const limit = doc.paths['/v1/products'].get.parameters.find((p: any) => p.name === 'limit').schema;
    for (const bad of [limit.minimum - 1, limit.maximum + 1]) {
      expect((await call(t.url, 'GET', `/v1/products?limit=${bad}`)).status).toBe(400);
    }
    expect((await call(t.url, 'GET', `/v1/products?limit=${limit.maximum}`)).status).toBe(200);
  });

  it('sends the headers it documents', async () => {
    const ok = await call(t.url, 'GET', '/v1/categories');
    for (const header of ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'etag']) {
      expect([header, ok.headers.get(header)]).toEqual([header, expect.any(String)]);
    }
    expect(ok.headers.get('etag')).toMatch(new RegExp(doc.components.headers.ETag.schema.pattern));
    const notModified = await fetch(`${t.url}/v1/categories`, {
      headers: { 'if-none-match': ok.headers.get('etag')! },
    });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('ratelimit-limit')).toEqual(expect.any(String));

    const badToken = await call(t.url, 'GET', '/v1/categories', { token: 'not-a-token' });
    expect(badToken.status).toBe(401);
    expect(badToken.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });
});
