/**
 * Deterministic corpus of realistic service code for the benchmark: route modules, HTTP and DB
 * clients, services, jobs and utilities, each with failure paths and their fixed twins. Same
 * seed and size → byte-identical files.
 *   npx tsx bench/corpus.ts <out-dir> <files> [seed]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ['order', 'invoice', 'customer', 'product', 'cart', 'payment', 'shipment', 'refund', 'coupon', 'review', 'account', 'session', 'report', 'webhook', 'subscription', 'warehouse', 'ticket', 'message'];
const FIELDS = ['id', 'status', 'total', 'currency', 'createdAt', 'updatedAt', 'ownerId', 'email', 'quantity', 'sku', 'note', 'region'];

class Gen {
  constructor(private readonly rand: () => number) {}
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.rand() * xs.length)]; }
  chance(p: number): boolean { return this.rand() < p; }
  int(lo: number, hi: number): number { return lo + Math.floor(this.rand() * (hi - lo + 1)); }
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

function iface(g: Gen, name: string): string {
  const fields = FIELDS.filter(() => g.chance(0.6));
  return `export interface ${cap(name)} {\n${fields.map((f) => `  ${f}: ${f.endsWith('At') ? 'Date' : f === 'total' || f === 'quantity' ? 'number' : 'string'};`).join('\n')}\n}\n`;
}

function routeModule(g: Gen, noun: string, i: number): string {
  const N = cap(noun);
  const handlers: string[] = [];
  const count = g.int(3, 7);
  for (let h = 0; h < count; h++) {
    const method = g.pick(['get', 'post', 'put', 'delete']);
    const good = g.chance(0.6);
    const url = `/${noun}s${h % 2 ? '/:id' : ''}${h > 1 ? `/${g.pick(FIELDS)}` : ''}`;
    if (good) {
      handlers.push(`router.${method}('${url}', async (req, res, next) => {
  try {
    const { rows } = await pool.query<${N}>('SELECT * FROM ${noun}s WHERE id = $1 LIMIT 100', [req.params.id]);
    const enriched = await Promise.all(rows.map((row) => enrich${N}(row)));
    logger.info({ count: enriched.length, route: '${url}' }, '${noun}s loaded');
    res.json(enriched);
  } catch (err) {
    next(err);
  }
});`);
    } else {
      handlers.push(`router.${method}('${url}', async (req, res) => {
  console.log('handling ${url}', req.params);
  const { rows } = await pool.query<${N}>('SELECT * FROM ${noun}s WHERE id = $1', [req.params.id]);
  const remote = await fetch(\`\${SERVICE_URL}/${noun}s/\${req.params.id}\`);
  try {
    await audit('${noun}.${method}', req.params.id);
  } catch (e) {}
  res.json({ ...rows[0], remote: await remote.json() });
});`);
    }
  }
  return `import { Router } from 'express';
import { pool } from '../lib/db';
import { logger } from '../lib/logger';
import { audit } from '../lib/audit';
import { enrich${N} } from '../services/${noun}-service-${i}';
import type { ${N} } from '../types/${noun}';

const SERVICE_URL = process.env.${noun.toUpperCase()}_URL ?? 'http://${noun}.internal';

export const router = Router();

${handlers.join('\n\n')}
`;
}

function clientModule(g: Gen, noun: string): string {
  const N = cap(noun);
  const withTimeout = g.chance(0.5);
  return `import axios from 'axios';
import { logger } from '../lib/logger';
import type { ${N} } from '../types/${noun}';

const client = axios.create({
  baseURL: process.env.${noun.toUpperCase()}_API ?? 'https://${noun}.example.com',${withTimeout ? '\n  timeout: 5000,' : ''}
  headers: { 'content-type': 'application/json' },
});

export async function get${N}(id: string): Promise<${N} | null> {
  try {
    const { data } = await client.get<${N}>(\`/${noun}s/\${id}\`);
    return data;
  } catch (err) {
    logger.warn({ err, id }, '${noun} lookup failed');
    return null;
  }
}

export async function create${N}(input: Partial<${N}>): Promise<${N}> {
  const { data } = await axios.post<${N}>('https://${noun}.example.com/${noun}s', input${g.chance(0.5) ? ', { timeout: 3000 }' : ''});
  return data;
}

export async function list${N}s(page = 1): Promise<${N}[]> {
  const res = await fetch(\`https://${noun}.example.com/${noun}s?page=\${page}\`${g.chance(0.5) ? ', { signal: AbortSignal.timeout(3000) }' : ''});
  if (!res.ok) throw new Error(\`${noun} list failed: \${res.status}\`);
  return (await res.json()) as ${N}[];
}
`;
}

function serviceModule(g: Gen, noun: string): string {
  const N = cap(noun);
  const lines: string[] = [];
  const methods = g.int(4, 9);
  for (let m = 0; m < methods; m++) {
    const f = g.pick(FIELDS);
    lines.push(`  /** ${cap(f)} of a ${noun}, normalised for display. */
  ${f}Of(item: ${N}): string {
    const value = (item as unknown as Record<string, unknown>)['${f}'];
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value.trim() : JSON.stringify(value);
  }

  async load${cap(f)}(id: string): Promise<${N}[]> {
    const cachedValue = await this.cache.get('${noun}:${f}:' + id);
    if (cachedValue) return JSON.parse(cachedValue) as ${N}[];
    const rows = await this.db.${noun}.findMany({ where: { ${f}: id }, take: ${g.int(10, 100)} });
    await this.cache.set('${noun}:${f}:' + id, JSON.stringify(rows), 'EX', ${g.int(30, 600)});
    return rows;
  }`);
  }
  return `import { PrismaClient } from '@prisma/client';
import Redis from 'ioredis';
import type { ${N} } from '../types/${noun}';

export class ${N}Service {
  constructor(private readonly db: PrismaClient, private readonly cache: Redis) {}

${lines.join('\n\n')}
}

export async function enrich${N}(item: ${N}): Promise<${N} & { label: string }> {
  return { ...item, label: String((item as unknown as { id?: string }).id ?? 'unknown') };
}
`;
}

function jobModule(g: Gen, noun: string): string {
  return `import cron from 'node-cron';
import { pool } from '../lib/db';
import { logger } from '../lib/logger';

export function schedule${cap(noun)}Cleanup(): void {
  cron.schedule('${g.int(0, 59)} * * * *', async () => {
    const started = Date.now();
    try {
      const { rowCount } = await pool.query("DELETE FROM ${noun}s WHERE created_at < now() - interval '30 days'");
      logger.info({ job: '${noun}-cleanup', rowCount, ms: Date.now() - started }, 'job done');
    } catch (err) {
      logger.error({ err, job: '${noun}-cleanup' }, 'job failed');
    }
  });
  setInterval(async () => {
    await pool.query('SELECT 1');
  }, ${g.int(10, 60)}_000);
}
`;
}

function utilModule(g: Gen, i: number): string {
  const fns: string[] = [];
  const n = g.int(5, 12);
  for (let k = 0; k < n; k++) {
    fns.push(`export function util${i}_${k}(values: readonly number[], factor = ${g.int(1, 9)}): number {
  let total = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    total += v > ${g.int(10, 1000)} ? Math.round(v / factor) : v * factor;
  }
  return total;
}`);
  }
  return fns.join('\n\n') + '\n';
}

export function generateCorpus(outDir: string, files: number, seed = 42): { files: number; bytes: number } {
  const g = new Gen(mulberry32(seed));
  fs.rmSync(outDir, { recursive: true, force: true });
  let bytes = 0;
  const write = (rel: string, text: string) => {
    const p = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
  };
  write('package.json', JSON.stringify({ name: 'bench-corpus', private: true, dependencies: { express: '^4.21.0', axios: '^1.7.0', pg: '^8.13.0', pino: '^9.0.0', ioredis: '^5.4.0', '@prisma/client': '^6.0.0', 'node-cron': '^3.0.0' } }, null, 2));
  write('src/lib/logger.ts', `import pino from 'pino';\nexport const logger = pino({ name: 'bench' });\n`);
  write('src/lib/db.ts', `import { Pool } from 'pg';\nexport const pool = new Pool({ connectionTimeoutMillis: 5000 });\n`);
  write('src/lib/audit.ts', `import { pool } from './db';\nexport async function audit(action: string, id: string): Promise<void> {\n  await pool.query('INSERT INTO audit (action, id) VALUES ($1, $2)', [action, id]);\n}\n`);
  let written = 4;
  for (let i = 0; written < files; i++) {
    const noun = NOUNS[i % NOUNS.length];
    const kind = i % 6;
    if (kind === 0) write(`src/types/${noun}${i >= NOUNS.length ? `-${i}` : ''}.ts`, iface(g, noun));
    else if (kind === 1) write(`src/routes/${noun}-${i}.ts`, routeModule(g, noun, i + 2));
    else if (kind === 2) write(`src/clients/${noun}-client-${i}.ts`, clientModule(g, noun));
    else if (kind === 3) write(`src/services/${noun}-service-${i}.ts`, serviceModule(g, noun));
    else if (kind === 4) write(`src/jobs/${noun}-job-${i}.ts`, jobModule(g, noun));
    else write(`src/utils/util-${i}.ts`, utilModule(g, i));
    written++;
  }
  return { files: written, bytes };
}

if (require.main === module) {
  const [out, n, seed] = process.argv.slice(2);
  if (!out || !n || !/^\d+$/.test(n)) {
    console.error('usage: corpus.ts <out-dir> <files> [seed]');
    process.exit(2);
  }
  const r = generateCorpus(out, Number(n), seed ? Number(seed) : 42);
  console.log(`wrote ${r.files} files (${(r.bytes / 1e6).toFixed(2)} MB) to ${out}`);
}
