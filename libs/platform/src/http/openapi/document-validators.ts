import type { INestApplicationContext, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS, type OpenAPIObject } from '@nestjs/swagger';
import { type DerivedSchema, deriveValidatedProperties, isValidatedClass } from './validation-constraints.js';

type PropertyMetadata = Record<string, unknown> & { type?: unknown; isArray?: boolean; items?: object };

const PRIMITIVE_TYPES = new Map<unknown, string>([
  [String, 'string'],
  [Number, 'number'],
  [Boolean, 'boolean'],
]);

/** The classes that route handlers take as arguments (`@Body()`, `@Query()`, `@Param()` DTOs). */
function handlerArgumentTypes(app: INestApplicationContext): Type[] {
  const types: Type[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const prototype = (wrapper.metatype as Type | undefined)?.prototype;
      if (!prototype) continue;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        types.push(...((Reflect.getMetadata('design:paramtypes', prototype, method) as Type[]) ?? []));
      }
    }
  }
  return types;
}

function referencedClass(metadata: PropertyMetadata | undefined): Type | undefined {
  const type = Array.isArray(metadata?.type) ? metadata.type[0] : metadata?.type;
  if (typeof type !== 'function' || PRIMITIVE_TYPES.has(type)) return undefined;
  // `type: () => Dto` (lazy) and `type: Dto` both appear; a class has a prototype with a constructor.
  return type.prototype ? type : (type as () => Type)();
}

/** Merges what the validators enforce into one property's @ApiProperty metadata; the validators win. */
function documentProperty(target: Type, property: string, own: DerivedSchema, each: DerivedSchema): void {
  const prototype = target.prototype as object;
  const existing = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, property) as
    PropertyMetadata | undefined;
  if (!existing) {
    throw new Error(
      `${target.name}.${property} is validated but not documented: add @ApiProperty() (description, example)`,
    );
  }
  const merged: PropertyMetadata = { ...existing, ...own };
  if (Object.keys(each).length) {
    const itemType = each.type ?? PRIMITIVE_TYPES.get(Array.isArray(existing.type) ? existing.type[0] : existing.type);
    merged.items = { ...(existing.items ?? {}), ...(itemType ? { type: itemType } : {}), ...each };
  }
  Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES, merged, prototype, property);
}

function assertEveryDocumentedPropertyIsValidated(target: Type, validated: Set<string>): void {
  const documented = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, target.prototype) as string[]) ?? [];
  for (const key of documented) {
    const property = key.replace(/^:/, '');
    if (!validated.has(property)) {
      // The pipe rejects properties without a validator (forbidNonWhitelisted): documenting one would lie.
      throw new Error(`${target.name}.${property} is documented but has no validator, so the API refuses it`);
    }
  }
}

/**
 * Makes the request schemas say what the global validation pipe enforces. Walks every DTO a route
 * handler takes (and the DTOs nested in them), reads class-validator's metadata, and writes the
 * matching keywords (maxLength, minimum, format, pattern, enum, maxItems, …) into the @nestjs/swagger
 * property metadata, before the document is generated. Idempotent: it can run once per document build.
 *
 * (The @nestjs/swagger CLI plugin has a similar shim, but it runs only under `nest build` with the plugin
 * configured, not under tsc-only builds or SWC/Jest, and it knows far fewer validators.)
 *
 * Returns the names of the validated classes, whose schemas `forbidUnknownProperties` then closes.
 */
export function documentValidationConstraints(app: INestApplicationContext): Set<string> {
  const pending = handlerArgumentTypes(app).filter(isValidatedClass);
  const visited = new Set<Type>();
  while (pending.length) {
    const target = pending.pop()!;
    if (visited.has(target)) continue;
    visited.add(target);
    const properties = deriveValidatedProperties(target);
    assertEveryDocumentedPropertyIsValidated(target, new Set(properties.keys()));
    for (const [property, { own, each, nested }] of properties) {
      documentProperty(target, property, own, each);
      const metadata = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, target.prototype, property);
      for (const candidate of [nested, referencedClass(metadata)]) {
        if (isValidatedClass(candidate)) pending.push(candidate);
      }
    }
  }
  return new Set([...visited].map((target) => target.name));
}

/**
 * The validation pipe refuses unknown properties (`forbidNonWhitelisted`), so a validated body's schema
 * is closed: `additionalProperties: false` tells clients and gateways the same.
 */
export function forbidUnknownProperties(document: OpenAPIObject, schemaNames: Set<string>): void {
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (schemaNames.has(name) && !('$ref' in schema)) schema.additionalProperties = false;
  }
}
