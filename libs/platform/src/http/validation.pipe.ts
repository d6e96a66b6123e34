import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailed } from '../errors/domain-error.js';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

/** Flattens class-validator's tree into `{ field: "items.0.quantity", message }` entries. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Global validation: unknown fields are rejected (not silently dropped), payloads are transformed into
 * their DTO classes, and failures become `VALIDATION_FAILED` with one entry per field.
 */
export function createValidationPipe(): ValidationPipe {
  cacheValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flattenValidationErrors(errors)),
  });
}
