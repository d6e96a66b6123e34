import * as swagger from '@nestjs/swagger';
import { ApiProperty, ApiTags, applyDeferredApiDocs, getSchemaPath } from './api-docs.decorators.js';

const { DECORATORS } = swagger;

class Early {
  @ApiProperty({ description: 'recorded at load time' })
  name!: string;
}

@ApiTags('things')
class TaggedController {}

describe('deferred API-docs decorators', () => {
  it('leave no swagger metadata until a document is built, then exactly what @nestjs/swagger leaves', () => {
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Early.prototype)).toBeUndefined();
    expect(Reflect.getMetadata(DECORATORS.API_TAGS, TaggedController)).toBeUndefined();

    applyDeferredApiDocs(swagger);

    class Direct {
      @swagger.ApiProperty({ description: 'recorded at load time' })
      name!: string;
    }
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Early.prototype)).toEqual(
      Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Direct.prototype),
    );
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Early.prototype, 'name')).toEqual(
      Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Direct.prototype, 'name'),
    );
    expect(Reflect.getMetadata(DECORATORS.API_TAGS, TaggedController)).toEqual(['things']);
  });

  it('applies at once once @nestjs/swagger is loaded, and replaying again changes nothing', () => {
    applyDeferredApiDocs(swagger);
    class Late {
      @ApiProperty()
      id!: string;
    }
    applyDeferredApiDocs(swagger);
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Late.prototype)).toEqual([':id']);
  });

  it('points $refs at the schema named after the class, as @nestjs/swagger does', () => {
    expect(getSchemaPath(Early)).toBe(swagger.getSchemaPath(Early));
    expect(getSchemaPath('Named')).toBe('#/components/schemas/Named');
  });
});
