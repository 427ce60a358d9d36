import { runRuleTests } from '../harness/ruleTester';
import { unvalidatedInput } from '../../server/src/rules/unvalidated-input';

const EXPRESS_APP = `import express from 'express';
import { prisma } from './db';
const app = express();
`;

runRuleTests(unvalidatedInput, {
  valid: [
    {
      name: 'zod parse before the write',
      code: EXPRESS_APP + `app.post('/users', async (req, res) => {
  const data = CreateUser.parse(req.body);
  res.json(await prisma.user.create({ data }));
});`,
      deps: ['express', 'zod'],
    },
    {
      name: 'safeParse result',
      code: EXPRESS_APP + `app.post('/users', async (req, res) => {
  const parsed = CreateUser.safeParse(req.body);
  if (!parsed.success) return res.status(400).json(parsed.error);
  res.json(await prisma.user.create({ data: req.body }));
});`,
      deps: ['express', 'zod'],
    },
    {
      name: 'validation middleware in the chain',
      code: EXPRESS_APP + `app.post('/users', validate(createUserSchema), async (req, res) => {
  res.json(await prisma.user.create({ data: req.body }));
});`,
      deps: ['express', 'joi'],
    },
    {
      name: 'express-validator chain and validationResult',
      code: `import express from 'express';
import { body, validationResult } from 'express-validator';
import User from './models/user';
const app = express();
app.post('/login', body('email').isEmail(), async (req, res) => {
  const user = await User.findOne({ email: req.body.email });
  res.json(user);
});`,
      deps: ['express', 'express-validator', 'mongoose'],
    },
    {
      name: 'a Fastify route schema',
      code: `import Fastify from 'fastify';
import User from './models/user';
const app = Fastify();
app.post('/login', { schema: { body: loginSchema } }, async (request) => User.findOne({ email: request.body.email }));`,
      deps: ['fastify', 'mongoose'],
    },
    {
      name: 'Hono zValidator and c.req.valid',
      code: `import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
const app = new Hono();
app.post('/posts', zValidator('json', schema), async (c) => c.json(await prisma.post.create({ data: c.req.valid('json') })));`,
      deps: ['hono'],
    },
    {
      name: 'typeof checks by hand',
      code: EXPRESS_APP + `import User from './models/user';
app.post('/login', async (req, res) => {
  const { email } = req.body;
  if (typeof email !== 'string') return res.status(400).end();
  res.json(await User.findOne({ email }));
});`,
      deps: ['express', 'mongoose'],
    },
    {
      name: 'a predicate on the value',
      code: EXPRESS_APP + `import User from './models/user';
app.post('/reset', async (req, res) => {
  if (!validator.isEmail(req.body.email)) return res.status(400).end();
  res.json(await User.findOne({ email: req.body.email }));
});`,
      deps: ['express', 'mongoose'],
    },
    {
      name: 'single fields written are not mass assignment',
      code: EXPRESS_APP + `app.post('/users', async (req, res) => {
  res.json(await prisma.user.create({ data: { email: req.body.email, name: req.body.name } }));
});`,
      deps: ['express'],
    },
    {
      name: 'findUnique rejects operator objects (a type error, not a filter)',
      code: EXPRESS_APP + `app.post('/lookup', async (req, res) => {
  res.json(await prisma.user.findUnique({ where: { id: req.body.id } }));
});`,
      deps: ['express'],
    },
    {
      name: 'inside a Prisma operator an object is a type error',
      code: EXPRESS_APP + `app.post('/move', async (req, res) => {
  await prisma.document.updateMany({ where: { id: { in: req.body.ids } }, data: { folderId: null } });
  res.end();
});`,
      deps: ['express'],
    },
    {
      name: 'path parameters are strings',
      code: EXPRESS_APP + `import User from './models/user';
app.get('/users/:id', async (req, res) => res.json(await User.findOne({ _id: req.params.id })));`,
      deps: ['express', 'mongoose'],
    },
    {
      name: 'parameterised SQL',
      code: `import express from 'express';
import { Pool } from 'pg';
const pool = new Pool();
const app = express();
app.get('/users', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM users WHERE email = $1', [req.query.email]);
  res.json(rows);
});`,
      deps: ['express', 'pg'],
    },
    {
      name: 'coerced values: Number(req.query.page)',
      code: EXPRESS_APP + `app.get('/items', async (req, res) => {
  res.json(await prisma.item.findMany({ where: { ownerId: Number(req.query.owner) } }));
});`,
      deps: ['express'],
    },
    {
      name: 'Next pages: dynamic route segments arrive in req.query as strings',
      code: `import prisma from '@/lib/prisma';
export default async function handler(req, res) {
  const { teamId } = req.query;
  res.json(await prisma.link.findMany({ where: { teamId } }));
}`,
      filename: 'pages/api/teams/[teamId]/links.ts',
    },
    {
      name: "Next pages: query strings are never objects (URLSearchParams)",
      code: `import prisma from '@/lib/prisma';
export default async function handler(req, res) {
  res.json(await prisma.link.findMany({ where: { documentId: req.query.documentId } }));
}`,
      filename: 'pages/api/links.ts',
    },
    {
      name: 'a controller registered in another file, in a project with a validator (the route may validate)',
      code: `import User from '../models/user';
export const create = async (req, res) => res.json(await User.create(req.body));`,
      filename: 'src/controllers/users.js',
      deps: ['express', 'mongoose', 'celebrate'],
    },
    {
      name: 'Nest DTO class: the global ValidationPipe checks it',
      code: `import { Controller, Post, Body } from '@nestjs/common';
import { CreateUserDto } from './dto';
@Controller('users')
export class UsersController {
  @Post() create(@Body() dto: CreateUserDto) { return this.prisma.user.create({ data: dto }); }
}`,
    },
    {
      name: 'Nest: a pipe on the parameter',
      code: `import { Controller, Post, Body } from '@nestjs/common';
@Controller('users')
export class UsersController {
  @Post() create(@Body(new ZodValidationPipe(schema)) body: any) { return this.prisma.user.create({ data: body }); }
}`,
    },
    {
      name: 'JSON echo is not reflected HTML',
      code: `import express from 'express';
const app = express();
app.get('/echo', (req, res) => res.json({ q: req.query.q }));`,
      deps: ['express'],
    },
    {
      name: 'Sequelize reads no operators from strings',
      code: EXPRESS_APP + `import User from './models/user';
app.post('/login', async (req, res) => res.json(await User.findOne({ where: { email: req.body.email } })));`,
      deps: ['express', 'sequelize'],
    },
  ],
  invalid: [
    {
      name: 'mass assignment with Prisma',
      code: EXPRESS_APP + `app.post('/users', async (req, res) => {
  const user = await prisma.user.create({ data: req.body });
  res.status(201).json(user);
});`,
      deps: ['express', 'zod'],
      errors: [{ line: 5, column: 49, endLine: 5, endColumn: 57, message: '`req.body` reaches prisma.user.create() without validation: the whole request object is stored' }],
      output: null,
    },
    {
      name: 'the message names the validator the project uses',
      code: EXPRESS_APP + `app.put('/users/:id', async (req, res) => {
  const data = req.body;
  res.json(await prisma.user.update({ where: { id: req.params.id }, data }));
});`,
      deps: ['express', 'joi'],
      errors: [{ line: 6, column: 69, message: /^`data` \(from `req\.body`\) reaches prisma\.user\.update\(\).*Validate it with joi/ }],
    },
    {
      name: 'a spread of the body',
      code: EXPRESS_APP + `app.post('/posts', async (req, res) => {
  res.json(await prisma.post.create({ data: { ...req.body, authorId: req.user.id } }));
});`,
      deps: ['express'],
      errors: [{ line: 5, column: 50, message: '`req.body`' }],
    },
    {
      name: 'NoSQL operator injection with mongoose',
      code: `import express from 'express';
import User from '../models/User';
const app = express();
app.post('/login', async (req, res) => {
  const user = await User.findOne({ email: req.body.email, password: hash(req.body.password) });
  res.json(user);
});`,
      deps: ['express', 'mongoose'],
      errors: [{ line: 5, column: 44, message: 'a JSON body can carry objects' }],
    },
    {
      name: 'destructured body fields into a filter',
      code: `import express from 'express';
import User from '../models/user';
const router = express.Router();
router.post('/forgot', async (req, res) => {
  const { email } = req.body;
  await User.findOne({ email });
  res.end();
});`,
      deps: ['express', 'mongoose'],
      errors: [{ line: 6, column: 24, message: '`email` (from `req.body.email`)' }],
    },
    {
      name: 'Express 4 query strings nest: ?email[$ne]=',
      code: `import express from 'express';
import User from '../models/user';
const app = express();
app.get('/users', async (req, res) => res.json(await User.find({ email: req.query.email })));`,
      deps: { express: '^4.19.0', mongoose: '^8.0.0' },
      errors: [{ line: 4, column: 73, message: 'a query string can carry objects' }],
    },
    {
      name: 'Prisma filter injection in a bulk update',
      code: `import prisma from '@/lib/prisma';
export default async function handler(req, res) {
  const { userToBeDeleted } = req.body;
  await prisma.document.updateMany({ where: { teamId: req.query.teamId, ownerId: userToBeDeleted }, data: { ownerId: null } });
  res.end();
}`,
      filename: 'pages/api/teams/[teamId]/remove.ts',
      errors: [{ line: 4, column: 82, message: '`userToBeDeleted` (from `req.body.userToBeDeleted`) reaches prisma.document.updateMany()' }],
    },
    {
      name: 'raw SQL built from input, path parameters included',
      code: `import express from 'express';
import mysql from 'mysql2/promise';
const pool = mysql.createPool({});
const app = express();
app.get('/orders/:id', async (req, res) => {
  const [rows] = await pool.query(\`SELECT * FROM orders WHERE id = \${req.params.id}\`);
  res.json(rows);
});`,
      deps: ['express', 'mysql2'],
      errors: [{ line: 6, column: 70, message: 'SQL injection' }],
    },
    {
      name: 'Prisma $queryRawUnsafe with concatenation',
      code: EXPRESS_APP + `app.get('/search', async (req, res) => {
  res.json(await prisma.$queryRawUnsafe('SELECT * FROM posts WHERE title LIKE ' + "'%" + req.query.q + "%'"));
});`,
      deps: ['express'],
      errors: [{ line: 5, column: 90, message: 'raw SQL' }],
    },
    {
      name: 'reflected into an HTML response',
      code: `import express from 'express';
const app = express();
app.get('/hello', (req, res) => res.send(\`<h1>Hello \${req.query.name}</h1>\`));`,
      deps: ['express'],
      errors: [{ line: 3, column: 55, message: 'cross-site scripting' }],
    },
    {
      name: 'Next.js route handler body',
      code: `import { prisma } from '@/lib/prisma';
export async function POST(request: Request) {
  const body = await request.json();
  const item = await prisma.item.create({ data: body });
  return Response.json(item);
}`,
      filename: 'app/api/items/route.ts',
      errors: [{ line: 4, column: 49, message: '`body` (from `request.json()`)' }],
    },
    {
      name: 'Koa request body',
      code: `import Router from '@koa/router';
const router = new Router();
router.post('/users', async (ctx) => {
  ctx.body = await userRepository.save(ctx.request.body);
});`,
      deps: ['koa'],
      errors: [{ line: 4, column: 40, message: '`ctx.request.body`' }],
    },
    {
      name: 'TypeORM repository in Nest with an untyped body',
      code: `import { Controller, Post, Body } from '@nestjs/common';
@Controller('users')
export class UsersController {
  @Post()
  create(@Body() body: any) {
    return this.usersRepository.save(body);
  }
}`,
      errors: [{ line: 6, column: 38, message: 'the whole request object is stored' }],
    },
    {
      name: 'Nest: an interface declared in the file is invisible to ValidationPipe',
      code: `import { Controller, Post, Body } from '@nestjs/common';
interface CreateUser { email: string; role?: string }
@Controller('users')
export class UsersController {
  @Post()
  create(@Body() dto: CreateUser) {
    return this.prisma.user.create({ data: dto });
  }
}`,
      errors: [{ line: 7, column: 44 }],
    },
    {
      name: 'knex insert of the body',
      code: `import express from 'express';
const app = express();
app.post('/notes', async (req, res) => {
  await db('notes').insert(req.body);
  res.status(201).end();
});`,
      deps: ['express'],
      errors: [{ line: 4, column: 28 }],
    },
    {
      name: 'a controller in a project with no validator at all',
      code: `import type { Request, Response } from 'express';
import Order from '../models/order';
export const create = async (req: Request, res: Response) => {
  res.json(await Order.create(req.body));
};`,
      filename: 'src/controllers/orders.ts',
      deps: ['express', 'mongoose'],
      errors: [{ line: 4, column: 31, message: 'Validate it against a schema' }],
    },
  ],
});
