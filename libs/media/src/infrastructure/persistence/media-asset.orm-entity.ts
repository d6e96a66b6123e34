import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MediaContentType, MediaStatus } from '@ficus/contracts';
import type { StoredVariants } from '../../domain/media-asset.aggregate.js';

@Entity({ name: 'assets', schema: 'media' })
export class MediaAssetOrmEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Column('text')
  status: MediaStatus;

  @Column('text', { name: 'content_type' })
  contentType: MediaContentType;

  @Column('integer')
  size: number;

  @Column('text', { name: 'upload_key' })
  uploadKey: string;

  @Column('jsonb', { nullable: true })
  variants: StoredVariants | null;

  @Column('text', { name: 'failure_reason', nullable: true })
  failureReason: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
