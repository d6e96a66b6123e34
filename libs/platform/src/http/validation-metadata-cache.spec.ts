import { IsString, MaxLength, validate } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

cacheValidationMetadata();

const errorsOf = async (object: object) => (await validate(object)).map((e) => Object.keys(e.constraints ?? {}));

describe('the remembered class-validator rules', () => {
  it('validates the same as without the cache, time after time', async () => {
    class Named {
      @IsString()
      name!: unknown;
    }
    for (let i = 0; i < 3; i++) {
      expect(await errorsOf(Object.assign(new Named(), { name: 1 }))).toEqual([['isString']]);
      expect(await errorsOf(Object.assign(new Named(), { name: 'ok' }))).toEqual([]);
    }
  });

  it('forgets what it remembered when a rule is added later', async () => {
    class Late {
      @IsString()
      code!: string;
    }
    expect(await errorsOf(Object.assign(new Late(), { code: 'abcdef' }))).toEqual([]);
    MaxLength(3)(Late.prototype, 'code');
    expect(await errorsOf(Object.assign(new Late(), { code: 'abcdef' }))).toEqual([['maxLength']]);
  });

  it('gives a subclass declared after its parent was validated the parent rules too', async () => {
    class Parent {
      @IsString()
      a!: unknown;
    }
    expect(await errorsOf(Object.assign(new Parent(), { a: 'x' }))).toEqual([]);
    class Child extends Parent {
      @IsString()
      b!: unknown;
    }
    expect(await errorsOf(Object.assign(new Child(), { a: 1, b: 2 }))).toEqual([['isString'], ['isString']]);
  });
});
