import { ContextUnavailableError, ContractCallError, DomainError, ValidationFailed } from './domain-error.js';
import { toContractErrorBody } from './error-body.js';

class WidgetMissing extends DomainError {
  readonly code = 'WIDGET_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

describe('toContractErrorBody', () => {
  it('keeps a domain error code, status and detail', () => {
    expect(toContractErrorBody(new WidgetMissing('no widget 7'))).toEqual({
      code: 'WIDGET_NOT_FOUND',
      status: 404,
      detail: 'no widget 7',
      kind: 'not_found',
    });
  });

  it('carries per-field errors of a validation failure', () => {
    const body = toContractErrorBody(new ValidationFailed([{ field: 'email', message: 'bad' }]));
    expect(body).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      errors: [{ field: 'email', message: 'bad' }],
    });
  });

  it('passes a received remote error through unchanged', () => {
    const remote = { code: 'EMAIL_TAKEN', status: 409, detail: 'taken', kind: 'conflict' as const };
    expect(toContractErrorBody(new ContractCallError(remote))).toBe(remote);
  });

  it('maps an unavailable context to 503', () => {
    expect(toContractErrorBody(new ContextUnavailableError('payments', 'timeout')).status).toBe(503);
  });

  it('hides the message and stack of unknown errors', () => {
    const body = toContractErrorBody(new Error('password=hunter2 at db.ts:42'));
    expect(body).toEqual({ code: 'INTERNAL', status: 500, detail: 'An unexpected error occurred.', kind: 'internal' });
  });
});
