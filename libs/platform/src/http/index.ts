export * from './correlation.js';
export * from './problem-details.js';
export * from './all-exceptions.filter.js';
export * from './validation.pipe.js';
export * from './public.decorator.js';
export * from './configure-http-app.js';
export * from './etag.hook.js';
export * from './openapi/index.js';
export { sendProblem } from './problem-reply.js';
