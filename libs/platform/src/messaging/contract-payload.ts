import { type PipeTransform, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { ContractMessage } from '@ficus/contracts';
import { ValidationFailed } from '../errors/domain-error.js';
import { findUnsafeInput } from '../http/unsafe-input.js';
import { cacheValidationMetadata } from '../http/validation-metadata-cache.js';
import { flattenValidationErrors } from '../http/validation.pipe.js';

/**
 * Validates a contract message's `data` against a class-validator DTO. Contexts check every payload again
 * at their own edge: the facade is not the only possible caller once a context runs on its own.
 */
export class ContractPayloadPipe<T extends object> implements PipeTransform<unknown, Promise<ContractMessage<T>>> {
  constructor(private readonly dto: Type<T>) {
    cacheValidationMetadata();
  }

  async transform(value: unknown): Promise<ContractMessage<T>> {
    const message = (value ?? {}) as Partial<ContractMessage<unknown>>;
    if (typeof message.meta !== 'object' || message.meta === null || typeof message.meta.correlationId !== 'string') {
      throw new ValidationFailed([{ field: 'meta', message: 'call metadata is missing' }]);
    }
    // Before class-transformer walks it: unstorable text and oversized shapes are refused, whoever calls.
    const unsafe = findUnsafeInput(message.data, 'data');
    if (unsafe) throw new ValidationFailed([unsafe]);
    const data = plainToInstance(this.dto, message.data ?? {});
    const errors = await validate(data, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
    return { meta: message.meta, data };
  }
}

/** Where `@ContractPayload` put its pipe, for the in-process transport's direct path (`in-process.direct.ts`). */
export const CONTRACT_PAYLOAD_METADATA = 'ficus:contract-payload';

export interface ContractPayloadMetadata {
  pipe: ContractPayloadPipe<object>;
  index: number;
}

/** `@ContractPayload(RegisterUserMessage) msg: ContractMessage<RegisterUserMessage>` */
export const ContractPayload = <T extends object>(dto: Type<T>): ParameterDecorator => {
  const pipe = new ContractPayloadPipe(dto);
  const payload = Payload(pipe);
  return (target, key, index) => {
    payload(target, key, index);
    if (key !== undefined) {
      const metadata: ContractPayloadMetadata = { pipe, index };
      Reflect.defineMetadata(CONTRACT_PAYLOAD_METADATA, metadata, target, key);
    }
  };
};
