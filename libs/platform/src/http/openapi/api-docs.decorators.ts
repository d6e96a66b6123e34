import type * as Swagger from '@nestjs/swagger';

/**
 * The @nestjs/swagger decorators Ficus uses, deferred: each records its arguments and the element it
 * decorates, and they are applied to @nestjs/swagger when an OpenAPI document is built (`API_DOCS=true`, the
 * OpenAPI script, tests). A process without docs never loads @nestjs/swagger: its index pulls in ~730 modules
 * (the scanner, all of es-toolkit/compat), ~310 ms of every cold start, and its `exports` map allows no
 * import of the decorators alone. Replayed in the order they ran, with the same arguments, they leave
 * exactly the metadata the real decorators would have left at load time. Import them from `@ficus/platform`,
 * never from `@nestjs/swagger`, in code every process loads.
 */
type SwaggerApi = typeof Swagger;
type DecoratorName =
  | 'ApiBody'
  | 'ApiConsumes'
  | 'ApiExcludeController'
  | 'ApiExtension'
  | 'ApiExtraModels'
  | 'ApiHeader'
  | 'ApiOperation'
  | 'ApiParam'
  | 'ApiProduces'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiResponse'
  | 'ApiSecurity'
  | 'ApiTags';

interface Application {
  name: DecoratorName;
  args: unknown[];
  /** What the decorator was called with: (class) or (prototype, key[, descriptor]). */
  target: unknown[];
}

type AnyDecorator = (...target: unknown[]) => unknown;

const pending: Application[] = [];
let swagger: SwaggerApi | undefined;

function apply(swaggerApi: SwaggerApi, { name, args, target }: Application): void {
  const factory = swaggerApi[name] as (...a: unknown[]) => AnyDecorator;
  factory(...args)(...target);
}

function deferred<N extends DecoratorName>(name: N): SwaggerApi[N] {
  const factory = (...args: unknown[]) =>
    ((...target: unknown[]) => {
      const application = { name, args, target };
      if (swagger) apply(swagger, application);
      else pending.push(application);
    }) as AnyDecorator;
  return factory as unknown as SwaggerApi[N];
}

/**
 * Applies every decorator recorded so far to `swaggerApi` (the loaded @nestjs/swagger), and from now on
 * applies new ones at once. Called before a document is built; idempotent.
 */
export function applyDeferredApiDocs(swaggerApi: SwaggerApi): void {
  swagger = swaggerApi;
  for (const application of pending.splice(0)) apply(swaggerApi, application);
}

/** `getSchemaPath` without @nestjs/swagger: a `$ref` to a model's schema (Ficus names schemas by class). */
export function getSchemaPath(model: string | (abstract new (...args: never[]) => unknown)): string {
  return `#/components/schemas/${typeof model === 'string' ? model : model.name}`;
}

export const ApiBody = deferred('ApiBody');
export const ApiConsumes = deferred('ApiConsumes');
export const ApiExcludeController = deferred('ApiExcludeController');
export const ApiExtension = deferred('ApiExtension');
export const ApiExtraModels = deferred('ApiExtraModels');
export const ApiHeader = deferred('ApiHeader');
export const ApiOperation = deferred('ApiOperation');
export const ApiParam = deferred('ApiParam');
export const ApiProduces = deferred('ApiProduces');
export const ApiProperty = deferred('ApiProperty');
export const ApiPropertyOptional = deferred('ApiPropertyOptional');
export const ApiResponse = deferred('ApiResponse');
export const ApiSecurity = deferred('ApiSecurity');
export const ApiTags = deferred('ApiTags');
export type { ApiPropertyOptions } from '@nestjs/swagger';
