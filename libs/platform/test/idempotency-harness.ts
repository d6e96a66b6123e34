/**
 * A test-only HTTP app built from the platform pieces the facade uses (Fastify adapter, global validation
 * pipe, exception filter, IdempotencyModule), with one test controller standing in for a creating route
 * such as POST /v1/orders: it inserts a row (the side effect a replay must not repeat) and answers 201 with
 * a Location. Callers pick their user with `x-test-user` (standing in for the facade's token guard) and make
 * a request slow (`delayMs` in the body) or fail (`x-test-fail`, not part of the body, so a retry of the
 * same request can succeed).
 */
import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Headers,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pg from 'pg';
import {
  configureHttpApp,
  ContextUnavailableError,
  createFastifyAdapter,
  createValidationPipe,
  DomainError,
  type FicusRawRequest,
  IdempotencyKey,
  IdempotencyModule,
  Idempotent,
  loadConfig,
  PlatformModule,
  ApiProperty,
  ApiPropertyOptional,
} from '@ficus/platform';

export class CreateThingDto {
  @ApiProperty({ description: 'What to call it', example: 'lamp' })
  @IsString()
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ description: 'Labels', example: ['red'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'How long the handler takes before it stores anything', example: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  delayMs?: number;
}

class ThingNotFound extends DomainError {
  readonly code = 'THING_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

/** The side-effect table lives in public (the test superuser's); it has nothing to do with the key store. */
export async function createThingsTable(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS public.things (
    id serial PRIMARY KEY, user_id text NOT NULL, route text NOT NULL, idempotency_key text NOT NULL, name text NOT NULL
  )`);
  await client.end();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function failOnDemand(mode: string | undefined): void {
  if (mode === 'unavailable') throw new ContextUnavailableError('things', 'down on purpose', 2);
  if (mode === 'not-found') throw new ThingNotFound('No such thing.');
  if (mode === 'crash') throw new Error('crashed on purpose');
}

@Controller('things')
class ThingsTestController {
  constructor(@Inject(pg.Pool) private readonly pool: pg.Pool) {}

  @Post()
  @Idempotent()
  create(
    @Body() body: CreateThingDto,
    @IdempotencyKey() key: string,
    @Headers('x-test-fail') fail: string | undefined,
    @Headers('x-test-user') user: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.insert('things', body, key, fail, user, reply);
  }

  /** Another route: the same key here is a different key. */
  @Post('batches')
  @HttpCode(202)
  @Idempotent()
  createBatch(
    @Body() body: CreateThingDto,
    @IdempotencyKey() key: string,
    @Headers('x-test-user') user: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.insert('batches', body, key, undefined, user, reply);
  }

  /** Path parameters are part of the request: the same key on another thing is another request. */
  @Post(':id/copies')
  @Idempotent()
  copy(
    @Param('id') id: string,
    @Body() body: CreateThingDto,
    @IdempotencyKey() key: string,
    @Headers('x-test-user') user: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.insert(`copies-of-${id}`, body, key, undefined, user, reply);
  }

  private async insert(
    route: string,
    body: CreateThingDto,
    key: string,
    fail: string | undefined,
    user: string,
    reply: FastifyReply,
  ) {
    if (body.delayMs) await sleep(body.delayMs);
    failOnDemand(fail);
    const { rows } = await this.pool.query<{ id: number }>(
      'INSERT INTO public.things (user_id, route, idempotency_key, name) VALUES ($1, $2, $3, $4) RETURNING id',
      [user, route, key, body.name],
    );
    const id = rows[0]!.id;
    reply.header('location', `/v1/things/${id}`);
    // A fresh value per run: a replay that re-ran the handler would show a different one.
    return { id, name: body.name, tags: body.tags ?? [], route, nonce: Math.random() };
  }
}

/** Stands in for the facade's AccessTokenGuard: the caller is whoever `x-test-user` names. */
@Injectable()
class TestActorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const user = request.headers['x-test-user'];
    (request.raw as FicusRawRequest).actor = typeof user === 'string' ? { userId: user, roles: ['customer'] } : null;
    return true;
  }
}

export interface IdempotencyTestApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** One instance (replica) of the test app on a random port; start several against the same database. */
export async function startIdempotencyTestApp(): Promise<IdempotencyTestApp> {
  const config = loadConfig();
  const pool = new pg.Pool({ connectionString: config.database.url, max: 4 });
  @Module({
    imports: [PlatformModule, IdempotencyModule],
    controllers: [ThingsTestController],
    providers: [
      { provide: pg.Pool, useValue: pool },
      { provide: APP_GUARD, useClass: TestActorGuard },
    ],
  })
  class IdempotencyTestModule {}

  const app = await NestFactory.create<NestFastifyApplication>(IdempotencyTestModule, createFastifyAdapter(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useGlobalPipes(createValidationPipe());
  await configureHttpApp(app, config);
  await app.init();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = await app.getUrl();
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/** A POST as a mobile client sends it: JSON body, the user, and optionally a key and extra headers. */
export async function post<T = any>(
  base: string,
  path: string,
  options: { user?: string; key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.user) headers['x-test-user'] = options.user;
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(options.body ?? {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, body: body as T };
}
