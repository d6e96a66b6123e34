export { ADMIN_BEARER_SCHEME, BEARER_SCHEME, buildOpenApiDocument } from './openapi-document.js';
export { headerRefs, STANDARD_HEADERS, type StandardHeader } from './standard-headers.js';
