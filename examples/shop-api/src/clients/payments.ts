import axios from 'axios';

/** The payment provider's HTTP API. */
const payments = axios.create({ // planted: missing-timeout
  baseURL: process.env.PAYMENTS_URL ?? 'https://payments.example.com',
  headers: { Authorization: `Bearer ${process.env.PAYMENTS_KEY ?? ''}` },
});

export interface Charge {
  id: string;
  status: 'succeeded' | 'failed';
}

export async function createCharge(orderId: string, amountCents: number): Promise<Charge> {
  const { data } = await payments.post<Charge>('/charges', { orderId, amountCents });
  return data;
}

/** The fixed twin: the refunds client is created with a deadline. */
const refunds = axios.create({
  baseURL: process.env.PAYMENTS_URL ?? 'https://payments.example.com',
  timeout: 5000,
});

export async function refund(chargeId: string): Promise<void> {
  await refunds.post(`/charges/${chargeId}/refund`);
}
