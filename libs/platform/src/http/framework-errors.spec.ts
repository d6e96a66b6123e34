import { frameworkProblem, genericProblem } from './framework-errors.js';

describe('frameworkProblem', () => {
  it('gives a known Fastify error its stable code', () => {
    expect(frameworkProblem({ code: 'FST_ERR_BAD_URL', statusCode: 400 })).toMatchObject({
      status: 400,
      code: 'MALFORMED_URL',
    });
    expect(frameworkProblem({ code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode: 414 }).code).toBe('URI_TOO_LONG');
  });

  it('keeps the status of an unknown 4xx error and picks the code for that status', () => {
    expect(frameworkProblem({ code: 'FST_ERR_SOMETHING_NEW', statusCode: 405 })).toMatchObject({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
    });
  });

  it('treats an error without a usable status as a server fault', () => {
    expect(frameworkProblem({ statusCode: 'nope' })).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(frameworkProblem({ statusCode: 302 }).status).toBe(500);
  });
});

describe('genericProblem', () => {
  it('never repeats what a 5xx said', () => {
    expect(genericProblem(500, 'password=hunter2 at db.ts:42').detail).toBe('An unexpected error occurred.');
    expect(genericProblem(503, 'redis at 10.0.0.3 refused').code).toBe('SERVICE_UNAVAILABLE');
  });

  it('keeps a client error detail, or says something generic', () => {
    expect(genericProblem(400, 'Invalid Preflight Request')).toEqual({
      status: 400,
      code: 'MALFORMED_REQUEST',
      detail: 'Invalid Preflight Request',
    });
    expect(genericProblem(418).code).toBe('MALFORMED_REQUEST');
  });
});
