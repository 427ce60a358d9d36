const WAREHOUSE_URL = process.env.WAREHOUSE_URL ?? 'https://warehouse.example.com';

/** Asks the warehouse to reserve stock for a new order. */
export async function reserveStock(orderId: string, items: string[]): Promise<void> {
  const res = await fetch(`${WAREHOUSE_URL}/reservations`, { method: 'POST', body: JSON.stringify({ orderId, items }) }); // planted: missing-timeout
  if (!res.ok) throw new Error(`warehouse answered ${res.status}`);
}
