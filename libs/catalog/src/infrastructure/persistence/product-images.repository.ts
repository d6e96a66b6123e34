import type { ProductImages, Tx } from '../../domain/ports.js';
import { productsChanged } from '../cache/read-model-changes.js';
import { asManager } from './typeorm-transaction.runner.js';

/** Ready media (from media's events) and the image URL each product shows, in catalog's own schema. */
export class SqlProductImages implements ProductImages {
  async recordReady(tx: Tx, mediaId: string, url: string, now: Date): Promise<number> {
    const manager = asManager(tx);
    await manager.query(
      `INSERT INTO catalog.ready_media (media_id, url, ready_at) VALUES ($1, $2, $3) ON CONFLICT (media_id) DO NOTHING`,
      [mediaId, url, now],
    );
    // Products that were given the media before it was ready show it from now on.
    const [rows] = (await manager.query(
      `UPDATE catalog.products SET image_url = $2, updated_at = $3
       WHERE image_media_id = $1 AND image_url IS DISTINCT FROM $2 RETURNING id`,
      [mediaId, url, now],
    )) as [{ id: string }[], number];
    productsChanged(
      tx,
      rows.map((r) => r.id),
    );
    return rows.length;
  }

  async syncImageUrl(tx: Tx, productId: string): Promise<string | null> {
    // Writes only when the URL changes (most admin edits leave the image alone).
    const rows = (await asManager(tx).query(
      `WITH wanted AS (
         SELECT p.id, (SELECT m.url FROM catalog.ready_media m WHERE m.media_id = p.image_media_id) AS url
         FROM catalog.products p WHERE p.id = $1
       ), changed AS (
         UPDATE catalog.products p SET image_url = w.url FROM wanted w
         WHERE p.id = w.id AND p.image_url IS DISTINCT FROM w.url
       )
       SELECT url AS image_url FROM wanted`,
      [productId],
    )) as { image_url: string | null }[];
    return rows[0]?.image_url ?? null;
  }
}
