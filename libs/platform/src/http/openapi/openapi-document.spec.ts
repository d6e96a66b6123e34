import { Body, Controller, Get, Module, Post, Query, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  ArrayMaxSize,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { buildOpenApiDocument } from './openapi-document.js';
import { ApiProperty, ApiPropertyOptional, ApiTags } from './api-docs.decorators.js';

class OrderLineDto {
  @ApiProperty() @IsUUID() productId: string;
  @ApiProperty() @IsInt() @Min(1) @Max(100) quantity: number;
}

class PlaceOrderDto {
  @ApiProperty({ type: [OrderLineDto] }) @ValidateNested({ each: true }) @ArrayMaxSize(50) items: OrderLineDto[];
  @ApiProperty({ type: [String] }) @IsUUID('all', { each: true }) @ArrayMaxSize(5) coupons: string[];
  @ApiProperty({ maxLength: 999, description: 'kept' }) @IsString() @MaxLength(40) paymentToken: string;
}

class PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
}

@ApiTags('orders')
@Controller('orders')
class OrdersController {
  @Post() place(@Body() _body: PlaceOrderDto) {}
  @Get() list(@Query() _query: PageQueryDto) {}
}

class DocumentedOnlyDto {
  @ApiProperty() @IsString() @MaxLength(5) name: string;
  @ApiProperty() nickname: string;
}

class ValidatedOnlyDto {
  @ApiProperty() @IsString() @MaxLength(5) name: string;
  @IsString() @MaxLength(5) nickname: string;
}

async function documentOf(controller: Type) {
  @Module({ controllers: [controller] })
  class TestModule {}
  const app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

describe('buildOpenApiDocument', () => {
  it('writes what the validators enforce into request schemas, nested DTOs and query parameters included', async () => {
    const doc = await documentOf(OrdersController);
    const schemas = doc.components!.schemas as Record<string, any>;
    expect(schemas.PlaceOrderDto.properties.items).toMatchObject({ type: 'array', maxItems: 50 });
    expect(schemas.PlaceOrderDto.properties.coupons).toEqual({
      type: 'array',
      maxItems: 5,
      items: { type: 'string', format: 'uuid', minLength: 36, maxLength: 36 },
    });
    // The validator wins over a hand-written bound; other hand-written keywords stay.
    expect(schemas.PlaceOrderDto.properties.paymentToken).toMatchObject({ maxLength: 40, description: 'kept' });
    expect(schemas.OrderLineDto.properties.quantity).toMatchObject({ type: 'integer', format: 'int32', maximum: 100 });
    expect(schemas.PlaceOrderDto.additionalProperties).toBe(false);
    expect(schemas.OrderLineDto.additionalProperties).toBe(false);
    const limit = (doc.paths['/orders'].get!.parameters as any[]).find((p) => p.name === 'limit');
    expect(limit).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } });
  });

  it('declares every tag in use, the servers and the standard headers', async () => {
    const doc = await documentOf(OrdersController);
    expect(doc.tags).toEqual([{ name: 'orders' }]);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/', 'x-internal': false })]);
    expect(Object.keys(doc.components!.headers!)).toEqual(
      expect.arrayContaining(['X-Request-Id', 'RateLimit-Limit', 'Retry-After', 'WWW-Authenticate', 'ETag']),
    );
    expect(Object.keys(doc.components!.securitySchemes!)).toEqual(['bearer', 'adminBearer']);
  });

  it('refuses to document a property the validation pipe would reject as unknown', async () => {
    @Controller('x')
    class DocumentedOnlyController {
      @Post() create(@Body() _body: DocumentedOnlyDto) {}
    }
    await expect(documentOf(DocumentedOnlyController)).rejects.toThrow(/DocumentedOnlyDto.nickname .*no validator/);
  });

  it('refuses to leave a validated property out of the document', async () => {
    @Controller('y')
    class ValidatedOnlyController {
      @Post() create(@Body() _body: ValidatedOnlyDto) {}
    }
    await expect(documentOf(ValidatedOnlyController)).rejects.toThrow(/ValidatedOnlyDto.nickname .*not documented/);
  });
});
