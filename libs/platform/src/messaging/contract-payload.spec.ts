import { IsString, MaxLength } from 'class-validator';
import { ValidationFailed } from '../errors/domain-error.js';
import { ContractPayloadPipe } from './contract-payload.js';

class RenameMessage {
  @IsString()
  @MaxLength(100)
  name!: string;
}

const meta = { correlationId: 'c-1', actor: null };
const pipe = new ContractPayloadPipe(RenameMessage);

async function rejection(data: unknown): Promise<ValidationFailed> {
  const error = await pipe.transform({ meta, data }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationFailed);
  return error as ValidationFailed;
}

describe('ContractPayloadPipe', () => {
  it('passes a valid payload through as its DTO', async () => {
    const message = await pipe.transform({ meta, data: { name: 'Ada' } });
    expect(message.data).toBeInstanceOf(RenameMessage);
  });

  it('refuses a NUL character naming the field (PostgreSQL would refuse it as a 500)', async () => {
    expect((await rejection({ name: 'Ada\u0000' })).errors).toEqual([
      { field: 'name', message: 'name must not contain NUL characters' },
    ]);
  });

  it('refuses deep nesting before class-transformer recurses into it', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect((await rejection({ name: deep })).errors[0]).toMatchObject({ field: 'name' });
  });
});
