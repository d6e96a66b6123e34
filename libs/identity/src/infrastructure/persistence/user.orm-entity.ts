import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'users', schema: 'identity' })
export class UserOrmEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Lower-cased; unique. */
  @Column('text', { unique: true })
  email: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text', { array: true })
  roles: string[];

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
