import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { deriveValidatedProperties, isValidatedClass } from './validation-constraints.js';

enum Colour {
  Red,
  Blue,
}

class LineDto {
  @IsInt() @Min(1) @Max(100) quantity: number;
}

class SampleDto {
  @IsString() @MinLength(2) @MaxLength(10) @MaxLength(8) name: string;
  @IsString() @Length(3, 3) code: string;
  @IsInt() @Min(0) @Max(2_147_483_647) small: number;
  @IsInt() @Min(0) @Max(2 ** 40) large: number;
  @IsInt() @Min(0) unbounded: number;
  @IsUUID() id: string;
  @IsEmail() email: string;
  @IsISO8601() at: string;
  @IsIn(['a', 'b']) letter: string;
  @IsEnum(Colour) colour: Colour;
  @Matches(/^[a-z]+$/) lower: string;
  @Matches(/^[a-z]+$/i) anyCase: string;
  @IsOptional() @IsString() @MaxLength(5) note?: string;
  @IsUUID('all', { each: true }) @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() ids: string[];
  @ValidateNested({ each: true }) @ArrayMaxSize(3) lines: LineDto[];
  @ValidateNested() line: LineDto;
}

class Undecorated {
  name: string;
}

describe('schema keywords derived from class-validator', () => {
  const derived = deriveValidatedProperties(SampleDto);
  const own = (property: string) => derived.get(property)?.own;

  it('turns length rules into minLength/maxLength, the narrowest winning', () => {
    expect(own('name')).toEqual({ type: 'string', minLength: 2, maxLength: 8 });
    expect(own('code')).toEqual({ type: 'string', minLength: 3, maxLength: 3 });
  });

  it('types integers with bounds, int32 when they fit and int64 otherwise', () => {
    expect(own('small')).toEqual({ type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 });
    expect(own('large')).toMatchObject({ format: 'int64', maximum: 2 ** 40 });
    // No Max: no maximum is claimed (and the lint then asks for one in the validator).
    expect(own('unbounded')).toEqual({ type: 'integer', format: 'int64', minimum: 0 });
  });

  it('gives formats to UUIDs, e-mails and ISO 8601 instants', () => {
    expect(own('id')).toEqual({ type: 'string', format: 'uuid', minLength: 36, maxLength: 36 });
    expect(own('email')).toEqual({ type: 'string', format: 'email' });
    expect(own('at')).toEqual({ type: 'string', format: 'date-time' });
  });

  it('lists allowed values as a typed enum, numeric enums by value only', () => {
    expect(own('letter')).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(own('colour')).toEqual({ type: 'number', enum: [0, 1] });
  });

  it('copies a pattern only when no flag changes its meaning', () => {
    expect(own('lower')).toEqual({ pattern: '^[a-z]+$' });
    expect(own('anyCase')).toEqual({});
  });

  it('marks IsOptional properties as not required', () => {
    expect(own('note')).toEqual({ type: 'string', maxLength: 5, required: false });
    expect(own('name')).not.toHaveProperty('required');
  });

  it('puts `each` rules on the items and array rules on the array', () => {
    expect(derived.get('ids')).toEqual({
      own: { minItems: 1, maxItems: 50, uniqueItems: true },
      each: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 },
    });
  });

  it('follows nested DTOs', () => {
    expect(derived.get('line')?.nested).toBe(LineDto);
    expect(derived.get('lines')).toEqual({ own: { maxItems: 3 }, each: {} });
    expect(deriveValidatedProperties(LineDto).get('quantity')?.own).toMatchObject({ minimum: 1, maximum: 100 });
  });

  it('knows which classes the validation pipe checks', () => {
    expect(isValidatedClass(SampleDto)).toBe(true);
    expect(isValidatedClass(Undecorated)).toBe(false);
    expect(isValidatedClass(undefined)).toBe(false);
  });
});
