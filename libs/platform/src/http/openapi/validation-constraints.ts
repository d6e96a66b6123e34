import type { Type } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** The part of a schema the validators can speak for (OpenAPI 3.0 keywords). */
export interface DerivedSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: unknown[];
  required?: false;
}

/** A property's constraints: on the value itself, and on each element when it is validated with `each`. */
export interface DerivedProperty {
  own: DerivedSchema;
  each: DerivedSchema;
  /** The class of a `@ValidateNested()` single object, to follow. */
  nested?: Type;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
// validator.js' isUUID accepts only the 36-character hyphenated form.
const UUID_LENGTH = 36;

/** Keywords read off one class-validator constraint; `undefined` for the ones a schema cannot say. */
function fromConstraint(meta: ValidationMetadata): DerivedSchema | undefined {
  const [first, second] = meta.constraints ?? [];
  switch (meta.name) {
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'min':
      return { minimum: first };
    case 'max':
      return { maximum: first };
    case 'minLength':
      return { minLength: first };
    case 'maxLength':
      return { maxLength: first };
    case 'isLength':
      return { minLength: first, ...(second === undefined ? {} : { maxLength: second }) };
    case 'isNotEmpty':
      return { minLength: 1 };
    case 'matches':
      return fromPattern(first, second);
    case 'isUuid':
      return { type: 'string', format: 'uuid', minLength: UUID_LENGTH, maxLength: UUID_LENGTH };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isDateString':
    case 'isIso8601':
    case 'isRFC3339':
      return { type: 'string', format: 'date-time' };
    case 'isISO4217CurrencyCode':
      return { type: 'string', minLength: 3, maxLength: 3 };
    case 'isIn':
      return withEnumType([...first]);
    case 'isEnum':
      // A numeric TypeScript enum maps names to numbers and back: keep the values only.
      return withEnumType([
        ...new Set(
          Object.entries(first as object)
            .filter(([k]) => !/^\d+$/.test(k))
            .map(([, v]) => v),
        ),
      ]);
    case 'arrayMinSize':
      return { minItems: first };
    case 'arrayMaxSize':
      return { maxItems: first };
    case 'arrayNotEmpty':
      return { minItems: 1 };
    case 'arrayUnique':
      return { uniqueItems: true };
    default:
      // A check a schema cannot express (ValidateIf, custom rules): it narrows further, never widens.
      return undefined;
  }
}

/** An enum, typed when its values share one JSON type (else @nestjs/swagger guesses from `design:type`). */
function withEnumType(values: unknown[]): DerivedSchema {
  const kinds = new Set(values.map((value) => typeof value));
  const [kind] = kinds;
  const typed = kinds.size === 1 && (kind === 'string' || kind === 'number' || kind === 'boolean');
  return typed ? { type: kind, enum: values } : { enum: values };
}

function fromPattern(source: RegExp | string, modifiers?: string): DerivedSchema | undefined {
  const regexp = typeof source === 'string' ? new RegExp(source, modifiers) : source;
  // A flag such as `i` changes what the source means; a schema pattern has no flags, so say nothing.
  return regexp.flags.replace(/[gu]/g, '') === '' ? { pattern: regexp.source } : undefined;
}

/** Later constraints narrow earlier ones: the larger minimum, the smaller maximum. */
function merge(into: DerivedSchema, add: DerivedSchema): void {
  for (const [key, value] of Object.entries(add) as [keyof DerivedSchema, never][]) {
    const current = into[key] as number | undefined;
    if (typeof current === 'number' && typeof value === 'number') {
      const lower = key.startsWith('min');
      into[key] = (lower ? Math.max(current, value) : Math.min(current, value)) as never;
    } else {
      into[key] = value;
    }
  }
}

/** Integers say how wide they are: int32 when their bounds fit, int64 otherwise. */
function withIntegerFormat(schema: DerivedSchema): DerivedSchema {
  if (schema.type !== 'integer' || schema.format) return schema;
  const fits =
    schema.minimum !== undefined &&
    schema.maximum !== undefined &&
    schema.minimum >= INT32.min &&
    schema.maximum <= INT32.max;
  return { ...schema, format: fits ? 'int32' : 'int64' };
}

/**
 * What the global validation pipe enforces on each property of `target`, as schema keywords. Read from
 * class-validator's own metadata, so the document and the validators cannot drift apart.
 */
export function deriveValidatedProperties(target: Type): Map<string, DerivedProperty> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false);
  const properties = new Map<string, DerivedProperty>();
  for (const meta of metadata) {
    let property = properties.get(meta.propertyName);
    if (!property) properties.set(meta.propertyName, (property = { own: {}, each: {} }));
    if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION && meta.name === 'isOptional') {
      property.own.required = false;
    } else if (meta.type === ValidationTypes.NESTED_VALIDATION) {
      // For a list, `design:type` is Array: its element class comes from @ApiProperty({ type: [Dto] }).
      const type: unknown = Reflect.getMetadata('design:type', target.prototype, meta.propertyName);
      if (isValidatedClass(type)) property.nested = type;
    } else if (meta.type === ValidationTypes.CUSTOM_VALIDATION) {
      const derived = fromConstraint(meta);
      if (derived) merge(meta.each ? property.each : property.own, derived);
    }
  }
  for (const property of properties.values()) {
    property.own = withIntegerFormat(property.own);
    property.each = withIntegerFormat(property.each);
  }
  return properties;
}

/** Whether the validation pipe checks instances of `target` at all. */
export function isValidatedClass(target: unknown): target is Type {
  return (
    typeof target === 'function' &&
    getMetadataStorage().getTargetValidationMetadatas(target, '', false, false).length > 0
  );
}
