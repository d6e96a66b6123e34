import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'categories', schema: 'catalog' })
export class CategoryOrmEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { unique: true })
  slug: string;

  @Column('text')
  name: string;
}
