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
      await pool.query('UPDATE products SET stock = $1 WHERE sku = $2', [level.quantity, level.sku]); // planted: await-in-loop
      updated++;
    } catch (err) {} // planted: swallowed-error
  }
  return updated;
}

/** The fixed twin: one batched statement instead of a query per sku, and a failure is logged with its context. */
export async function syncInventoryLogged(levels: { sku: string; quantity: number }[]): Promise<number> {
  try {
    const { rowCount } = await pool.query(
      'UPDATE products AS p SET stock = l.quantity FROM unnest($1::text[], $2::int[]) AS l(sku, quantity) WHERE p.sku = l.sku',
      [levels.map((l) => l.sku), levels.map((l) => l.quantity)],
    );
    return rowCount ?? 0;
  } catch (err) {
    logger.error({ err, skus: levels.length }, 'stock update failed');
    return 0;
  }
}
