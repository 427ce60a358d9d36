import { runRuleTests } from '../harness/ruleTester';
import { leakedErrorDetails } from '../../server/src/rules/leaked-error-details';

const EXPRESS = ['express'];
const DEBUG_ROUTES = `import type { Express } from 'express';
export function mountDebugRoutes(app: Express) {
  app.post('/debug/run', async (req, res) => {
    try { res.json(await runJob(req.body)); } catch (err) {
      res.status(500).json({ error: err.message });
    }
  });
}
`;


runRuleTests(leakedErrorDetails, {
  valid: [
    {
      name: 'routes registered by a function the project calls only in development (view.devOnly: mounted under a NODE_ENV guard in another file)',
      code: DEBUG_ROUTES,
      deps: EXPRESS,
      view: { devOnly: ['mountDebugRoutes'] },
    },
    {
      name: 'browser code inside a server module (view.browserSpans) is not a response to a client',
      code: `export async function GET(request: Request) {
  try { return Response.json(await f()); } catch (e) { return new Response(String(e), { status: 500 }); }
}`,
      filename: 'app/api/x/route.ts',
      view: { browserSpans: [{ pos: 0, end: 160 }] },
    },
    {
      name: 'a generic message with an id, the error logged',
      code: `import express from 'express';
import { randomUUID } from 'node:crypto';
const app = express();
app.get('/x', async (req, res) => {
  try { await work(); } catch (err) {
    const errorId = randomUUID();
    logger.error({ err, errorId }, 'failed');
    res.status(500).json({ error: 'Internal server error', errorId });
  }
});`,
      deps: EXPRESS,
    },
    {
      name: 'an explicit 4xx: the message is meant for the client',
      code: `import express from 'express';
const app = express();
app.post('/x', async (req, res) => {
  try { await parse(req.body); } catch (err) { res.status(400).json({ error: err.message }); }
});`,
      deps: EXPRESS,
    },
    {
      name: 'status set in its own statement first',
      code: `app.use((req, res, next) => {
  try { check(req); } catch (error) {
    res.status(429);
    res.json({ code: 155, error: error.message });
  }
});`,
      filename: 'src/middlewares.js',
    },
    {
      name: 'the error is narrowed to a known kind',
      code: `import express from 'express';
const app = express();
app.use((err, req, res, next) => {
  if (err instanceof HttpError) return res.status(err.status).json({ message: err.message });
  res.status(500).json({ message: 'Internal server error' });
});`,
      deps: EXPRESS,
    },
    {
      name: 'a property check narrows (application errors carry a code)',
      code: `app.use((err, req, res, next) => {
  if (err && err.errorCode) {
    res.status(err.errorCode).json(err.message);
  }
});`,
      filename: 'src/main.js',
    },
    {
      name: 'early exit for unknown errors',
      code: `export function onError(err, req, res, next) {
  if (!(err instanceof AppError)) throw err;
  res.status(500).json({ message: err.message });
}`,
      filename: 'src/errors.js',
    },
    {
      name: 'the stack only in development',
      code: `app.use((err, req, res, next) => {
  res.status(500).json({
    message: 'Internal server error',
    stack: process.env.NODE_ENV === 'development' ? err.stack : undefined,
  });
});`,
      filename: 'src/app.js',
    },
    {
      name: 'a dev-only branch',
      code: `app.use((err, req, res, next) => {
  if (isDev) return res.status(500).send(err.stack);
  res.sendStatus(500);
});`,
      filename: 'src/app.js',
    },
    {
      name: 'the status falls back to 400: errors here are client errors by design',
      code: `export const update = async (req, res) => {
  try { assertAllowed(req.body.role); } catch (e) {
    return res.status(e.status || 400).json({ status: e.status || 400, message: e.message });
  }
};`,
      filename: 'src/controllers/org.js',
    },
    {
      name: 'a message reassigned for production (errors converted by the app)',
      code: `const errorHandler = (err, req, res, next) => {
  let { statusCode, message } = err;
  if (config.env === 'production' && !err.isOperational) {
    statusCode = 500;
    message = 'Internal Server Error';
  }
  res.status(statusCode).send({ code: statusCode, message });
};`,
      filename: 'src/middlewares/error.js',
    },
    {
      name: 'Fastify serialises errors itself and honours statusCode',
      code: `import Fastify from 'fastify';
const app = Fastify();
app.addHook('preHandler', async (request, reply) => {
  try { await request.jwtVerify(); } catch (err) { reply.send(err); }
});`,
      deps: ['fastify'],
    },
    {
      name: 'not a response: logging the message',
      code: `app.get('/x', async (req, res) => {
  try { await work(); } catch (err) { logger.error(err.message); res.sendStatus(500); }
});`,
      filename: 'src/app.js',
    },
    {
      name: 'a sanitiser call is trusted',
      code: `app.get('/x', async (req, res) => {
  try { await work(); } catch (err) { res.status(500).json(toPublicError(err)); }
});`,
      filename: 'src/app.js',
    },
    {
      name: 'a validation result is not a caught error',
      code: `export default async function handler(req, res) {
  const result = schema.safeParse(req.body);
  if (!result.success) return res.status(400).json({ error: result.error.message });
  res.json({ ok: true });
}`,
      filename: 'pages/api/items.ts',
    },
    {
      name: 'Nest: a filter for HttpException only',
      code: `import { Catch, ExceptionFilter, HttpException, ArgumentsHost } from '@nestjs/common';
@Catch(HttpException)
export class HttpFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost) {
    const response = host.switchToHttp().getResponse();
    response.status(exception.getStatus()).json({ message: exception.message });
  }
}`,
    },
    {
      name: 'Koa: ctx.throw hides 5xx messages itself',
      code: `import Router from '@koa/router';
const router = new Router();
router.get('/x', async (ctx) => {
  try { await work(); } catch (err) { ctx.throw(500, err.message); }
});`,
    },
    {
      name: 'a parameter named err that is not an error',
      code: `app.get('/x', (req, res) => {
  const show = (err) => res.json({ text: err.message });
});`,
      filename: 'src/app.js',
    },
    {
      name: 'test files are out of scope',
      code: `app.get('/x', async (req, res) => { try { await f(); } catch (e) { res.status(500).send(e.stack); } });`,
      filename: 'test/app.test.js',
    },
  ],
  invalid: [
    {
      name: 'the same routes, with another function of the file development-only: still a production route',
      code: DEBUG_ROUTES,
      deps: EXPRESS,
      view: { devOnly: ['seedDevData'] },
      errors: [{ line: 5, column: 37, endLine: 5, endColumn: 48, message: '`err.message` is sent to the client' }],
    },
    {
      name: 'the classic: err.message in a 500',
      code: `import express from 'express';
import { logger } from './logger';
const app = express();
app.get('/orders', async (req, res) => {
  try {
    res.json(await listOrders());
  } catch (err) {
    res.status(500).json({ error: err.message });
  }
});`,
      deps: EXPRESS,
      errors: [{ line: 8, column: 35, endLine: 8, endColumn: 46, message: '`err.message` is sent to the client' }],
      output: `import express from 'express';
import { logger } from './logger';
import { randomUUID } from 'node:crypto';
const app = express();
app.get('/orders', async (req, res) => {
  try {
    res.json(await listOrders());
  } catch (err) {
    const errorId = randomUUID();
    logger.error({ err, errorId }, 'Request failed');
    res.status(500).json({ error: 'Internal server error', errorId });
  }
});`,
    },
    {
      name: 'error middleware sending the bare message; winston creates a module logger',
      code: `import express from 'express';
const app = express();
app.use((err: Error, req: express.Request, res: express.Response, next: express.NextFunction) => {
  res.status(500).json(err.message);
});`,
      deps: ['express', 'winston'],
      errors: [{ line: 4, column: 24, message: '`err.message`' }],
      output: `import express from 'express';
import { randomUUID } from 'node:crypto';
import winston from 'winston';

const logger = winston.createLogger({ format: winston.format.json(), defaultMeta: { module: 'service' }, transports: [new winston.transports.Console()] });
const app = express();
app.use((err: Error, req: express.Request, res: express.Response, next: express.NextFunction) => {
  const errorId = randomUUID();
  logger.error('Request failed', { error: err, errorId });
  res.status(500).json({ error: 'Internal server error', errorId });
});`,
    },
    {
      name: 'the stack in a text response, CommonJS, console as the last resort',
      code: `const express = require('express');
const router = express.Router();
router.get('/report', async (req, res) => {
  try {
    await build();
  } catch (e) {
    res.status(500).send(e.stack);
  }
});
module.exports = router;`,
      filename: 'src/routes/report.js',
      deps: EXPRESS,
      errors: [{ line: 7, column: 26, message: '`e.stack`' }],
      output: `const express = require('express');
const { randomUUID } = require('node:crypto');
const router = express.Router();
router.get('/report', async (req, res) => {
  try {
    await build();
  } catch (e) {
    const errorId = randomUUID();
    console.error('Request failed', e, { errorId });
    res.status(500).send(\`Internal server error (error id \${errorId})\`);
  }
});
module.exports = router;`,
    },
    {
      name: 'an expression-bodied .catch callback gets a block',
      code: `import { randomUUID } from 'crypto';
import pino from 'pino';
const logger = pino();
export function list(req: Request, res: Response) {
  load().then((rows) => res.json(rows)).catch((err) => res.status(500).json({ message: err.message, stack: err.stack }));
}`,
      errors: [{ line: 5, column: 88, message: '`err.message`' }],
      output: `import { randomUUID } from 'crypto';
import pino from 'pino';
const logger = pino();
export function list(req: Request, res: Response) {
  load().then((rows) => res.json(rows)).catch((err) => {
    const errorId = randomUUID();
    logger.error({ err, errorId }, 'Request failed');
    return res.status(500).json({ message: 'Internal server error', errorId });
  });
}`,
    },
    {
      name: 'a braceless if branch is wrapped',
      code: `import { logger } from './log';
export default async function handler(req, res) {
  try {
    await save(req.body);
  } catch (error) {
    if (!res.headersSent) return res.status(500).json({ error: (error as Error).message });
  }
}`,
      filename: 'pages/api/save.ts',
      errors: [{ line: 6, column: 64, message: '`(error as Error).message`' }],
      output: `import { logger } from './log';
import { randomUUID } from 'node:crypto';
export default async function handler(req, res) {
  try {
    await save(req.body);
  } catch (error) {
    if (!res.headersSent) {
      const errorId = randomUUID();
      logger.error({ err: error, errorId }, 'Request failed');
      return res.status(500).json({ error: 'Internal server error', errorId });
    }
  }
}`,
    },
    {
      name: 'the common TypeScript ternary still leaks unknown errors',
      code: `import { NextResponse } from 'next/server';
export async function POST(req: Request) {
  try {
    return NextResponse.json(await create(await req.json()));
  } catch (error) {
    return NextResponse.json({ error: error instanceof Error ? error.message : 'Unknown error' }, { status: 500 });
  }
}`,
      filename: 'app/api/items/route.ts',
      errors: [{ line: 6, column: 64, message: '`error.message`' }],
      output: `import { NextResponse } from 'next/server';
import { randomUUID } from 'node:crypto';
export async function POST(req: Request) {
  try {
    return NextResponse.json(await create(await req.json()));
  } catch (error) {
    const errorId = randomUUID();
    console.error('Request failed', error, { errorId });
    return NextResponse.json({ error: 'Internal server error', errorId }, { status: 500 });
  }
}`,
    },
    {
      name: 'a raw error object (axios errors serialise their config, headers included)',
      code: `import * as crypto from 'node:crypto';
app.get('/proxy', async (req, res) => {
  try { res.json(await upstream()); } catch (error) { res.status(502).json({ message: 'upstream failed', error }); }
});`,
      filename: 'src/app.ts',
      errors: [{ line: 3, column: 106, message: 'The raw error `error`' }],
      output: `import * as crypto from 'node:crypto';
app.get('/proxy', async (req, res) => {
  try { res.json(await upstream()); } catch (error) { const errorId = crypto.randomUUID();
  console.error('Request failed', error, { errorId });
  res.status(502).json({ message: 'upstream failed', error: 'Internal server error', errorId }); }
});`,
    },
    {
      name: 'a local variable derived from the error',
      code: `export default async function handler(req, res) {
  try { await run(); } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    res.status(500).json({ ok: false, msg });
  }
}`,
      filename: 'pages/api/run.js',
      errors: [{ line: 4, column: 39, message: '`msg`' }],
    },
    {
      name: 'a template string with the message',
      code: `app.post('/analyze', async (req, res) => {
  try { res.json(await analyze(req.body)); } catch (error) {
    res.status(500).json({ error: \`Error analyzing image: \${error.message}\` });
  }
});`,
      filename: 'controllers/ai.js',
      errors: [{ line: 3, column: 61, message: '`error.message`' }],
    },
    {
      name: 'JSON.stringify of the error',
      code: `app.get('/x', async (req, res) => {
  try { await f(); } catch (err) { res.status(500).send(JSON.stringify(err)); }
});`,
      filename: 'src/app.js',
      errors: [{ line: 2, column: 57, message: 'JSON.stringify(err)' }],
    },
    {
      name: 'a status taken from the error with a 500 fallback: no fix, every 5xx leaks',
      code: `import Koa from 'koa';
const app = new Koa();
app.use(async (ctx, next) => {
  try { await next(); } catch (err) {
    ctx.status = err.status || 500;
    ctx.body = err.message;
  }
});`,
      deps: ['koa'],
      errors: [{ line: 6, column: 16, message: 'for every 5xx too' }],
      output: null,
    },
    {
      name: 'Hono context',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.get('/x', async (c) => {
  try { return c.json(await f()); } catch (e) { return c.json({ error: e.message }, 500); }
});`,
      deps: ['hono'],
      errors: [{ line: 4, column: 72 }],
    },
    {
      name: 'Hono onError',
      code: `import { Hono } from 'hono';
const app = new Hono();
app.onError((err, c) => c.text(err.message, 500));`,
      deps: ['hono'],
      errors: [{ line: 3, column: 32 }],
    },
    {
      name: 'new Response with the message',
      code: `export async function GET(request: Request) {
  try { return Response.json(await f()); } catch (e) { return new Response(String(e), { status: 500 }); }
}`,
      filename: 'app/api/x/route.ts',
      errors: [{ line: 2, column: 76, message: 'String(e)' }],
    },
    {
      name: 'Nest catch-all filter',
      code: `import { Catch, ExceptionFilter, ArgumentsHost, HttpException, HttpStatus } from '@nestjs/common';
@Catch()
export class AllFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse();
    response.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ message: (exception as Error).message });
  }
}`,
      errors: [{ line: 7, column: 71, message: '(exception as Error).message' }],
    },
    {
      name: 'GraphQL error built from a caught error',
      code: `import { GraphQLError } from 'graphql';
export const resolvers = { Query: { async user() {
  try { return await db.user(); } catch (err) { throw new GraphQLError(err.message); }
} } };`,
      errors: [{ line: 3, column: 72, message: 'GraphQL error message' }],
    },
    {
      name: 'GraphQL: ApolloError of the bare apollo-server package (2–3)',
      code: `import { ApolloError } from 'apollo-server';
export const resolvers = { Query: { async user() {
  try { return await db.user(); } catch (err) { throw new ApolloError(err.message); }
} } };`,
      errors: [{ line: 3, column: 71, message: 'GraphQL error message' }],
    },
    {
      name: 'a leak outside the browser spans the Session found is still reported',
      code: `export async function GET(request: Request) {
  try { return Response.json(await f()); } catch (e) { return new Response(String(e), { status: 500 }); }
}
export function useThing() { return null; }`,
      filename: 'app/api/x/route.ts',
      view: { browserSpans: [{ pos: 150, end: 195 }] },
      errors: [{ line: 2, column: 76, message: 'String(e)' }],
    },
    {
      name: 'a 200 with the message still leaks',
      code: `export const track = async (req, res) => {
  try { res.json({ events: await load() }); } catch (e) { res.status(200).json({ events: [], message: e.message }); }
};`,
      filename: 'src/controllers/metrics.js',
      errors: [{ line: 2, column: 103 }],
    },
  ],
});
