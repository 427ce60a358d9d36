import express from 'express';
import { pinoHttp } from 'pino-http';
import { logger } from './lib/logger.js';
import { orders } from './routes/orders.js';
import { catalog } from './routes/catalog.js';

const app = express();
app.use(pinoHttp({ logger }));
app.use(express.json({ limit: '100kb' }));
app.use(catalog);
app.use(orders);

app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  logger.error({ err }, 'unhandled request error');
  res.status(500).json({ error: 'internal error' });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => logger.info({ port }, 'shop-api listening')); // planted: process-health, process-health, process-health
