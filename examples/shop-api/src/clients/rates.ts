import { logger } from '../lib/logger.js';

const RATES_URL = process.env.RATES_URL ?? 'https://rates.example.com';

export interface Rates {
  base: string;
  rates: Record<string, number>;
}

/** Exchange rates for prices shown in the customer's currency. */
export async function latestRates(): Promise<Rates> {
  const res = await fetch(`${RATES_URL}/latest`); // planted: missing-timeout
  if (!res.ok) throw new Error(`rates service answered ${res.status}`);
  return (await res.json()) as Rates;
}

/** The fixed twin: a deadline, and a fallback to the last known rates. */
let lastKnown: Rates | undefined;
export async function latestRatesOrCached(): Promise<Rates | undefined> {
  try {
    const res = await fetch(`${RATES_URL}/latest`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`rates service answered ${res.status}`);
    lastKnown = (await res.json()) as Rates;
    return lastKnown;
  } catch (err) {
    logger.warn({ err }, 'rates unavailable; using last known rates');
    return lastKnown;
  }
}
