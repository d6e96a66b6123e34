import type { INestApplication } from '@nestjs/common';
import * as swagger from '@nestjs/swagger';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { applyDeferredApiDocs } from './api-docs.decorators.js';
import { documentValidationConstraints, forbidUnknownProperties } from './document-validators.js';
import { ADMIN_BEARER_SCHEME, BEARER_SCHEME } from './security-schemes.js';
import { STANDARD_HEADERS } from './standard-headers.js';

const TOKEN_RULES =
  'ES256 JWT access token from /v1/auth/login, /register or /refresh, sent as `Authorization: Bearer <token>`. ' +
  'Verified following RFC8725 (JWT best current practices): the algorithm is pinned to ES256 (no `none`, no ' +
  'HMAC), and iss, aud, exp, iat, sub and jti are required and checked; tokens live 15 minutes by default.';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every tag an operation uses, declared once at the top, in order of first use. */
function declareTags(document: OpenAPIObject): void {
  const declared = new Set((document.tags ?? []).map((tag) => tag.name));
  const tags = [...(document.tags ?? [])];
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      for (const name of path[method]?.tags ?? []) {
        if (!declared.has(name)) tags.push({ name });
        declared.add(name);
      }
    }
  }
  document.tags = tags;
}

/**
 * The OpenAPI document of an HTTP host. Request schemas carry what the validation pipe enforces (derived
 * from the DTOs' class-validator decorators, see document-validators.ts); the rest comes from the
 * @nestjs/swagger decorators on controllers and response DTOs (deferred until now: api-docs.decorators.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  applyDeferredApiDocs(swagger);
  const validatedSchemas = documentValidationConstraints(app);
  const options = new DocumentBuilder()
    .setTitle('Ficus API')
    .setDescription(
      'REST facade of the Ficus shopping backend. Errors are RFC 9457 application/problem+json; ' +
        'every response carries X-Request-Id. Routes marked `x-admin` need an admin access token.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: TOKEN_RULES }, BEARER_SCHEME)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: `${TOKEN_RULES} Its roles claim must include "admin" (else 403).`,
      },
      ADMIN_BEARER_SCHEME,
    )
    .build();
  // Relative: the API is served by the host that serves this document, whatever the environment.
  options.servers = [
    { url: '/', description: 'The server of this document (local, staging or production)', 'x-internal': false },
  ] as unknown as OpenAPIObject['servers'];
  options.components = { ...options.components, headers: STANDARD_HEADERS };
  const document = SwaggerModule.createDocument(app, options);
  forbidUnknownProperties(document, validatedSchemas);
  declareTags(document);
  return document;
}
