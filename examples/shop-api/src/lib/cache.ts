import { Redis } from 'ioredis';
import { logger } from './logger.js';

export const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  connectTimeout: 2000,
  commandTimeout: 500,
  lazyConnect: true, // connect on the first command, not at import time
});

/** Reads a cached JSON value; a cache outage degrades to a miss instead of failing the request. */
export async function cached<T>(key: string): Promise<T | undefined> {
  try {
    const raw = await redis.get(key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch (err) {
    logger.warn({ err, key }, 'cache read failed; treating as a miss');
    return undefined;
  }
}
