export * from './api-docs.decorators.js';
export { ADMIN_BEARER_SCHEME, BEARER_SCHEME } from './security-schemes.js';
export { headerRefs, STANDARD_HEADERS, type StandardHeader } from './standard-headers.js';

/** The OpenAPI document builder, loaded on demand: it loads @nestjs/swagger, which a process without docs never needs. */
export const loadOpenApiDocumentBuilder = () => import('./openapi-document.js');
