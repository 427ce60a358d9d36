import { Router } from 'express';
import { pool } from '../lib/db.js';
import { cached } from '../lib/cache.js';
import { latestRatesOrCached } from '../clients/rates.js';

/** The fixed twin of orders.ts: every external call has a deadline and a fallback, logs are structured. */
export const catalog = Router();

interface Product {
  id: string;
  name: string;
  priceCents: number;
}

catalog.get('/products', async (req, res, next) => {
  try {
    const hit = await cached<Product[]>('products');
    if (hit) {
      res.json(hit);
      return;
    }
    const { rows } = await pool.query<Product>('SELECT id, name, price_cents AS "priceCents" FROM products LIMIT 100');
    req.log.info({ count: rows.length }, 'products loaded from database');
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

catalog.get('/products/:id/price', async (req, res) => {
  try {
    const { rows } = await pool.query<Product>('SELECT id, name, price_cents AS "priceCents" FROM products WHERE id = $1', [req.params.id]);
    const rates = await latestRatesOrCached();
    const currency = String(req.query.currency ?? 'EUR');
    const rate = rates?.rates[currency];
    res.json({ id: req.params.id, price: rate ? rows[0].priceCents * rate : rows[0].priceCents, currency: rate ? currency : 'EUR' });
  } catch (err) {
    req.log.error({ err, productId: req.params.id }, 'price lookup failed');
    res.status(503).json({ error: 'prices are temporarily unavailable' });
  }
});
