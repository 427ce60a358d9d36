import { Router } from 'express';
import { pool } from '../lib/db.js';
import { createCharge } from '../clients/payments.js';
import { reserveStock } from '../clients/warehouse.js';

export const orders = Router();

orders.get('/orders/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]); // planted: no-fallback
  if (rows.length === 0) {
    res.status(404).json({ error: 'order not found' });
    return;
  }
  res.json(rows[0]);
});

orders.post('/orders', async (req, res) => { // planted: missing-idempotency
  console.log('creating order', req.body); // planted: unstructured-log
  try {
    const { rows } = await pool.query('INSERT INTO orders (items) VALUES ($1) RETURNING id', [req.body.items]);
    await reserveStock(rows[0].id, req.body.items);
    const charge = await createCharge(rows[0].id, req.body.totalCents);
    res.status(201).json({ id: rows[0].id, charge: charge.status });
  } catch (err) { // planted: swallowed-error
    res.status(502).json({ error: 'could not place the order' });
  }
});
