/** The projects the fix type-check harness analyses (test/typecheck/fixTypecheck.test.ts). */
import type { Project } from './harness';

/** `check`: the files analysed (each fix of each of their findings is applied alone and type-checked). */
export interface Case extends Project { name: string; check: string[] }

const PINO_LOGGER = `import pino from 'pino';\nexport const logger = pino({ level: 'info' });\n`;
const WINSTON_LOGGER = `import winston from 'winston';\nexport const logger = winston.createLogger({ level: 'info', transports: [new winston.transports.Console()] });\n`;

export const CASES: Case[] = [
  {
    name: 'shop: fetch and axios without deadlines (missing-timeout)',
    fixture: 'shop',
    check: ['src/clients/rates.ts'],
    files: {
      'src/lib/logger.ts': PINO_LOGGER,
      'src/clients/rates.ts': `import axios from 'axios';

const api = axios.create({ baseURL: 'https://rates.example.com' });

export async function latest(base: string): Promise<unknown> {
  const res = await fetch(\`https://rates.example.com/latest?base=\${base}\`);
  return res.json();
}

export async function history(day: string): Promise<unknown> {
  const { data } = await axios.get<unknown>(\`https://rates.example.com/\${day}\`);
  return data;
}

export async function symbols(): Promise<unknown> {
  const { data } = await api.get<unknown>('/symbols');
  return data;
}
`,
    },
  },
  {
    name: 'shop: pg pool and ioredis client (missing-client-timeout, cache-without-ttl)',
    fixture: 'shop',
    check: ['src/lib/db.ts'],
    files: {
      'src/lib/db.ts': `import pg from 'pg';
import { Redis } from 'ioredis';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
export const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');

export async function cacheProduct(id: string, json: string): Promise<void> {
  await redis.set(\`product:\${id}\`, json);
}
`,
    },
  },
  {
    name: 'shop: an Express service with a pino logger module (swallowed-error, unstructured-log, floating-promise, sequential-awaits, await-in-loop, leaked-error-details, no-fallback, process-health, missing-idempotency)',
    fixture: 'shop',
    check: ['src/server.ts'],
    files: {
      'src/lib/logger.ts': PINO_LOGGER,
      'src/server.ts': `import express from 'express';
import Stripe from 'stripe';
import axios from 'axios';
import { logger } from './lib/logger.js';

const stripe = new Stripe(process.env.STRIPE_KEY ?? '');
const app = express();
app.use(express.json());

async function audit(event: string): Promise<void> {
  await axios.post('https://audit.example.com/events', { event }, { timeout: 5000 });
}

export async function loadProfile(id: string): Promise<unknown> {
  try {
    const { data } = await axios.get<unknown>(\`https://users.example.com/\${id}\`, { timeout: 5000 });
    return data;
  } catch (err) {
    return null;
  }
}

app.get('/profile/:id', async (req, res) => {
  const user = await axios.get<unknown>(\`https://users.example.com/\${req.params.id}\`, { timeout: 5000 });
  const orders = await axios.get<unknown>(\`https://orders.example.com/by-user/\${req.params.id}\`, { timeout: 5000 });
  res.json({ user: user.data, orders: orders.data });
});

app.post('/orders', async (req, res) => {
  const orderId: string = req.body.orderId;
  try {
    const intent = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', metadata: { orderId } });
    audit('order.paid');
    res.status(201).json({ id: intent.id });
  } catch (err) {
    res.status(500).json({ error: (err as Error).message });
  }
});

app.post('/orders/notify', async (req, res) => {
  const ids: string[] = req.body.ids;
  for (const id of ids) {
    await axios.post('https://notify.example.com/send', { id }, { timeout: 5000 });
  }
  console.log('notified', ids.length);
  res.sendStatus(204);
});

app.listen(3000, () => logger.info('listening'));
`,
    },
  },
  {
    name: 'shop: a retry loop (unbounded-retry)',
    fixture: 'shop',
    check: ['src/jobs/sync.ts'],
    files: {
      'src/lib/logger.ts': PINO_LOGGER,
      'src/jobs/sync.ts': `import axios from 'axios';
import { logger } from '../lib/logger.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function pushInventory(body: unknown): Promise<void> {
  while (true) {
    try {
      await axios.post('https://inventory.example.com/sync', body, { timeout: 5000 });
      return;
    } catch (err) {
      logger.warn({ err }, 'inventory sync failed, retrying');
      await sleep(1000);
    }
  }
}
`,
    },
  },
  {
    name: 'libs: an Express service with a winston logger module and express-rate-limit installed',
    fixture: 'libs',
    check: ['src/main.ts'],
    files: {
      'src/logger.ts': WINSTON_LOGGER,
      'src/main.ts': `import express from 'express';
import { logger } from './logger';

const app = express();
app.use(express.json());

export async function loadPlans(): Promise<unknown> {
  try {
    const res = await fetch('https://billing.example.com/plans', { signal: AbortSignal.timeout(5000) });
    return await res.json();
  } catch (err) {
    return [];
  }
}

app.post('/login', (req, res) => {
  console.log('login attempt', req.body.email);
  res.sendStatus(204);
});
app.post('/signup', (req, res) => res.sendStatus(201));
app.post('/password-reset', (req, res) => res.sendStatus(202));

app.listen(3000, () => logger.info('listening'));
`,
    },
  },
  {
    name: 'libs: a Nest application (process-health with the Nest Logger, missing-rate-limit, missing-idempotency with @Headers)',
    fixture: 'libs',
    check: ['src/main.ts', 'src/app.controller.ts', 'src/billing.controller.ts'],
    files: {
      'src/billing.controller.ts': `import { Body, Controller, Headers, Post } from '@nestjs/common';
import Stripe from 'stripe';

@Controller('payments')
export class BillingController {
  private readonly stripe = new Stripe(process.env.STRIPE_KEY ?? '');

  @Post()
  async pay(@Body() body: { amount: number }, @Headers('idempotency-key') key: string): Promise<{ id: string }> {
    const intent = await this.stripe.paymentIntents.create({ amount: body.amount, currency: 'usd' });
    return { id: intent.id };
  }
}
`,
      'src/app.controller.ts': `import { Body, Controller, Logger, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';

@Controller('auth')
export class AuthController {
  private readonly logger = new Logger(AuthController.name);

  @Throttle({ default: { limit: 5, ttl: 60000 } })
  @Post('login')
  login(@Body() body: { email: string }): { ok: boolean } {
    return { ok: !!body.email };
  }

  @Post('password-reset')
  reset(@Body() body: { email: string }): { ok: boolean } {
    try {
      return { ok: JSON.parse(body.email) !== null };
    } catch (err) {
      return { ok: false };
    }
  }
}
`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { AuthController } from './app.controller';
import { BillingController } from './billing.controller';

@Module({ controllers: [AuthController, BillingController] })
export class AppModule {}
`,
      'src/main.ts': `import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}

void main();
`,
    },
  },
  {
    name: 'shop: a streamed download, a job, and a request log with pino-http mounted in app.ts (missing-timeout, unmonitored-job, missing-correlation-id)',
    fixture: 'shop',
    check: ['src/routes/feed.ts'],
    files: {
      'src/lib/logger.ts': PINO_LOGGER,
      'src/app.ts': `import express from 'express';\nimport { pinoHttp } from 'pino-http';\nimport { logger } from './lib/logger.js';\nimport { router } from './routes/feed.js';\n\nexport const app = express();\napp.use(pinoHttp({ logger }));\napp.use(router);\n`,
      'src/routes/feed.ts': `import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import express from 'express';
import axios from 'axios';
import { logger } from '../lib/logger.js';

export const router = express.Router();

export async function download(url: string, to: string): Promise<void> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(\`download failed: \${res.status}\`);
  await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(to));
}

setInterval(async () => {
  await axios.post('https://prices.example.com/refresh', {}, { timeout: 5000 });
}, 60_000);

router.post('/orders/:id/ship', async (req, res) => {
  logger.info({ orderId: req.params.id }, 'shipping order');
  res.sendStatus(202);
});
`,
    },
  },
  {
    name: 'shop: an expired flag in the registry (stale-flag)',
    fixture: 'shop',
    check: ['src/checkout.ts'],
    files: {
      '.failpath.json': `{\n  "flags": {\n    "checkout-v2": { "owner": "payments", "expires": "2026-01-31" }\n  }\n}\n`,
      'src/checkout.ts': `import { OpenFeature } from '@openfeature/server-sdk';

const flags = OpenFeature.getClient();

function newCheckout(cart: string[]): number { return cart.length * 2; }
function oldCheckout(cart: string[]): number { return cart.length; }

export async function checkout(cart: string[]): Promise<number> {
  if (await flags.getBooleanValue('checkout-v2', false)) {
    return newCheckout(cart);
  } else {
    return oldCheckout(cart);
  }
}
`,
    },
  },
  {
    name: 'libs: retry and cache libraries (unbounded-retry on axios-retry and p-retry, cache-without-ttl on node-redis and a Map)',
    fixture: 'libs',
    check: ['src/clients.ts'],
    files: {
      'src/logger.ts': WINSTON_LOGGER,
      'src/clients.ts': `import axios from 'axios';
import axiosRetry from 'axios-retry';
import pRetry from 'p-retry';
import { createClient } from 'redis';

export const http = axios.create({ baseURL: 'https://users.example.com', timeout: 5000 });
axiosRetry(http, { retries: 3 });

export const ping = () => pRetry(() => http.get('/ping'), { retries: 10, forever: true });

export const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://localhost:6379' });

export async function cachedProfile(id: string): Promise<string> {
  const hit = await redis.get(\`profile:\${id}\`);
  if (hit !== null) return hit;
  const { data } = await http.get<string>(\`/profiles/\${id}\`);
  await redis.set(\`profile:\${id}\`, data);
  return data;
}

const nameCache = new Map<string, string>();

export async function userName(userId: string): Promise<string> {
  const hit = nameCache.get(userId);
  if (hit !== undefined) return hit;
  const { data } = await http.get<{ name: string }>(\`/users/\${userId}\`);
  nameCache.set(userId, data.name);
  return data.name;
}
`,
    },
  },
];
