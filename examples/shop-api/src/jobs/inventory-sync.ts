import { pool } from '../lib/db.js';
import { logger } from '../lib/logger.js';

const WAREHOUSE_URL = process.env.WAREHOUSE_URL ?? 'https://warehouse.example.com';

/** Pulls stock levels from the warehouse every few minutes. */
export async function syncInventory(): Promise<number> {
  let updated = 0;
  const res = await fetch(`${WAREHOUSE_URL}/stock`, { signal: AbortSignal.timeout(10000) });
  const levels = (await res.json()) as { sku: string; quantity: number }[];
  for (const level of levels) {
    try {
      await pool.query('UPDATE products SET stock = $1 WHERE sku = $2', [level.quantity, level.sku]);
      updated++;
    } catch (err) {} // planted: swallowed-error
  }
  return updated;
}

/** The fixed twin: a failed row is logged with its context and the sync goes on. */
export async function syncInventoryLogged(levels: { sku: string; quantity: number }[]): Promise<number> {
  let updated = 0;
  for (const level of levels) {
    try {
      await pool.query('UPDATE products SET stock = $1 WHERE sku = $2', [level.quantity, level.sku]);
      updated++;
    } catch (err) {
      logger.error({ err, sku: level.sku }, 'stock update failed; continuing with the next sku');
    }
  }
  return updated;
}
