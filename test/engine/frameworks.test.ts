import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as ts from 'typescript';
import { parse } from '../../server/src/engine/analyze';
import { FileFacts } from '../../server/src/engine/facts';
import { isFunctionLike, type FunctionLike } from '../../server/src/engine/ast';
import { projectFactsFromPackageJson } from '../../server/src/engine/project';
import {
  appOf, handlerOf, routeOf, responseOf, nestRouteOf, koaBodyAssignment, enclosingHandler, creationOf,
} from '../../server/src/engine/frameworks';

function setup(code: string, fileName = 'src/app.ts', deps: string[] = []) {
  const sf = parse(code, fileName);
  const facts = new FileFacts(sf, fileName);
  const project = projectFactsFromPackageJson({ dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) });
  const calls: ts.CallExpression[] = [];
  const fns: FunctionLike[] = [];
  const news: ts.NewExpression[] = [];
  const methods: ts.MethodDeclaration[] = [];
  const bins: ts.BinaryExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) calls.push(n);
    if (ts.isNewExpression(n)) news.push(n);
    if (isFunctionLike(n)) fns.push(n);
    if (ts.isMethodDeclaration(n)) methods.push(n);
    if (ts.isBinaryExpression(n)) bins.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { sf, facts, project, calls, fns, news, methods, bins };
}

function routes(code: string, fileName?: string, deps?: string[]) {
  const s = setup(code, fileName, deps);
  return s.calls.map((c) => routeOf(c, s.facts, s.project)).filter((r) => r).map((r) => ({
    framework: r!.framework, method: r!.method, path: r!.path, handlers: r!.handlers.length, receiver: r!.receiver, role: r!.app.role,
  }));
}

describe('frameworks: route registrations', () => {
  it('Express app and router methods, use with and without a path', () => {
    const got = routes(`import express, { Router } from 'express';
const app = express();
const router = Router();
app.use(express.json());
app.use('/api', router);
router.post('/login', limiter, login);
app.get('/health', (req, res) => res.send('ok'));
app.set('trust proxy', 1);
app.get('env');`);
    assert.deepEqual(got, [
      { framework: 'express', method: 'USE', path: undefined, handlers: 1, receiver: 'app', role: 'app' },
      { framework: 'express', method: 'USE', path: '/api', handlers: 1, receiver: 'app', role: 'app' },
      { framework: 'express', method: 'POST', path: '/login', handlers: 2, receiver: 'router', role: 'router' },
      { framework: 'express', method: 'GET', path: '/health', handlers: 1, receiver: 'app', role: 'app' },
    ]);
  });
  it('express.Router(), require forms and router.route chains', () => {
    const got = routes(`const express = require('express');
const router = express.Router({ mergeParams: true });
router.route('/users/:id').get(show).put(auth, update);
module.exports = router;`, 'src/users.js');
    assert.deepEqual(got.map((r) => `${r.method} ${r.path} ${r.handlers}`), ['PUT /users/:id 2', 'GET /users/:id 1'] /* outer call first */);
  });
  it('apps created inside functions and class members', () => {
    const got = routes(`import express from 'express';
export function createApp() {
  const app = express();
  app.post('/orders', create);
  return app;
}
class Server {
  private app = express();
  constructor() { this.app.get('/x', h); }
}`);
    assert.deepEqual(got.map((r) => `${r.receiver} ${r.method} ${r.path}`), ['app POST /orders', 'this.app GET /x']);
  });
  it('things that are not apps are not routes', () => {
    assert.deepEqual(routes(`import axios from 'axios';
const cache = new Map();
cache.get('/x');
axios.post('/login', body);
const app = makeApp();
app.get('/x', h);
function f(map: Map<string, string>) { map.delete('/x'); }`), []);
  });
  it('typed parameters and untyped parameters in a single-framework project', () => {
    assert.deepEqual(routes(`import { Router } from 'express';
export default (router: Router) => { router.post('/signup', signup); };`).map((r) => r.method), ['POST']);
    assert.deepEqual(routes(`module.exports = (app) => { app.post('/signup', signup); };`, 'src/routes.js', ['express']).map((r) => `${r.framework} ${r.method}`), ['express POST']);
    assert.deepEqual(routes(`module.exports = (app) => { app.post('/signup', signup); };`, 'src/routes.js', []), []);
    assert.deepEqual(routes(`module.exports = (app) => { app.post('/signup', signup); };`, 'src/routes.js', ['express', 'fastify']), []);
  });
  it('Fastify shorthand, options, route() and register()', () => {
    const got = routes(`import Fastify from 'fastify';
const app = Fastify({ logger: true });
app.post('/login', { schema: loginSchema, preHandler: [auth] }, login);
app.get('/me', { handler: me, onRequest: verify });
app.route({ method: 'PUT', url: '/users/:id', handler: update });
app.register(rateLimit, { max: 100 });`);
    assert.deepEqual(got.map((r) => `${r.method} ${r.path} ${r.handlers}`), ['POST /login 2', 'GET /me 2', 'PUT /users/:id 1', 'REGISTER undefined 1']);
  });
  it('Fastify plugins: untyped `fastify` parameter and FastifyInstance', () => {
    assert.deepEqual(routes(`module.exports = async function (fastify, opts) { fastify.post('/login', { schema }, loginHandler); };`, 'user/index.js', ['fastify']).map((r) => r.method), ['POST']);
    assert.deepEqual(routes(`import type { FastifyInstance } from 'fastify';
export async function routes(server: FastifyInstance) { server.get('/x', h); }`).map((r) => r.method), ['GET']);
  });
  it('Koa apps and koa-router', () => {
    const got = routes(`import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router({ prefix: '/api' });
router.post('/login', login);
router.del('/users/:id', remove);
app.use(router.routes());
app.get('/x', h);`);
    assert.deepEqual(got.map((r) => `${r.framework} ${r.role} ${r.method} ${r.path ?? ''}`), ['koa router POST /login', 'koa router DELETE /users/:id', 'koa app USE ']);
  });
  it('Hono apps, chained registrations, basePath and on()', () => {
    const got = routes(`import { Hono } from 'hono';
const app = new Hono().basePath('/api');
export const auth = new Hono().post('/login', (c) => c.json({})).get('/session', h);
app.on(['GET', 'POST'], '/hooks', h);
app.use('*', logger());`);
    assert.deepEqual(got.map((r) => `${r.method} ${r.path}`), ['GET /session', 'POST /login', 'ALL /hooks', 'USE *']);
  });
  it('creationOf recognises NestFactory.create', () => {
    const s = setup(`import { NestFactory } from '@nestjs/core';
async function bootstrap() { const app = await NestFactory.create(AppModule); app.use(helmet()); }`);
    const decl = s.calls.find((c) => c.getText().startsWith('NestFactory'))!;
    assert.equal(creationOf(decl, s.facts)?.framework, 'nestjs');
    const use = s.calls.find((c) => c.getText().startsWith('app.use'))!;
    assert.equal(routeOf(use, s.facts)?.method, 'USE');
  });
});

describe('frameworks: request handlers', () => {
  function handlers(code: string, fileName?: string, deps?: string[]) {
    const s = setup(code, fileName, deps);
    return s.fns.map((f) => handlerOf(f, s.facts, s.project)).map((h) => h && `${h.framework}:${h.kind}:${[h.errName, h.reqName, h.resName, h.nextName, h.ctxName].map((x) => x ?? '-').join(',')}${h.guessed ? ':guessed' : ''}${h.method ? ` ${h.method}` : ''}${h.path ? ` ${h.path}` : ''}`);
  }
  it('route handlers, middleware, wrapped handlers and error middleware', () => {
    assert.deepEqual(handlers(`import express from 'express';
const app = express();
app.post('/orders', (req, res, next) => next(), asyncHandler(async (rq, rs) => rs.json({})));
app.use((err, req, res, next) => res.status(500).end());
app.use(function (req, res, next) { next(); });`), [
      'express:middleware:-,req,res,next,- POST /orders',
      'express:route:-,rq,rs,-,- POST /orders',
      'express:error:err,req,res,next,- USE',
      'express:middleware:-,req,res,next,- USE',
    ]);
  });
  it('Fastify handlers, hooks and error handlers; Hono and Koa contexts', () => {
    assert.deepEqual(handlers(`import Fastify from 'fastify';
const app = Fastify();
app.get('/x', { preHandler: async (request, reply) => {} , handler: async (request, reply) => reply.send(1) });
app.setErrorHandler((error, request, reply) => reply.send(error));`), [
      'fastify:middleware:-,request,reply,-,- GET /x',
      'fastify:route:-,request,reply,-,- GET /x',
      'fastify:error:error,request,reply,-,-',
    ]);
    assert.deepEqual(handlers(`import { Hono } from 'hono';
const app = new Hono();
app.get('/x', async (c) => c.json(1));
app.onError((err, c) => c.text(err.message, 500));`), ['hono:route:-,-,-,-,c GET /x', 'hono:error:err,-,-,-,c']);
    assert.deepEqual(handlers(`import Router from 'koa-router';
const router = new Router();
router.post('/x', async (ctx, next) => { ctx.body = 1; });`), ['koa:route:-,-,-,next,ctx POST /x']);
  });
  it('typed handlers registered elsewhere, and guessed ones', () => {
    assert.deepEqual(handlers(`import { Request, Response, NextFunction, ErrorRequestHandler } from 'express';
export async function create(req: Request, res: Response) {}
export const onError: ErrorRequestHandler = (err, req, res, next) => {};
export function mw(error: Error, req: Request, res: Response, next: NextFunction) {}`), [
      'express:plain:-,req,res,-,-', 'express:error:err,req,res,next,-', 'express:error:error,req,res,next,-',
    ]);
    assert.deepEqual(handlers(`exports.create = async (req, res) => {};
const x = (a, b) => a + b;
function f(request, reply) {}`, 'src/c.js'), ['express:plain:-,req,res,-,-:guessed', undefined, 'fastify:plain:-,request,reply,-,-:guessed']);
  });
  it('Next.js app router exports and pages/api default exports', () => {
    assert.deepEqual(handlers(`export async function POST(request: Request) {}
export async function helper(request: Request) {}
export const GET = async (req: Request) => {};`, 'src/app/api/orders/route.ts'), ['next:next-app:-,request,-,-,- POST', undefined, 'next:next-app:-,req,-,-,- GET']);
    assert.deepEqual(handlers(`export default async function handler(req, res) {}`, 'pages/api/users.ts'), ['next:next-pages:-,req,res,-,-']);
    assert.deepEqual(handlers(`async function handler(req, res) {}
export default withAuth(handler);`, 'pages/api/users.ts'), ['next:next-pages:-,req,res,-,-']);
  });
  it('NestJS controller methods with parameter decorators, guards and throttling', () => {
    const s = setup(`import { Controller, Post, Get, Body, Req, UseGuards } from '@nestjs/common';
import { Throttle, SkipThrottle } from '@nestjs/throttler';
@Controller('auth')
@SkipThrottle()
export class AuthController {
  @Post('login')
  @UseGuards(LocalGuard, ThrottlerGuard)
  @Throttle({ default: { limit: 5, ttl: 60000 } })
  login(@Body() dto: LoginDto, @Req() req: Request) {}
  @Get()
  me() {}
  helper() {}
}`);
    const [login, me, helper] = s.methods;
    const r = nestRouteOf(login, s.facts)!;
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/auth/login');
    assert.deepEqual(r.params, { Body: 'dto', Req: 'req' });
    assert.deepEqual(r.guards, ['LocalGuard', 'ThrottlerGuard']);
    assert.equal(r.throttled, true);
    assert.equal(r.skipThrottle, true);
    assert.equal(nestRouteOf(me, s.facts)?.path, '/auth');
    assert.equal(nestRouteOf(helper, s.facts), undefined);
    assert.equal(handlerOf(login, s.facts)?.reqName, 'req');
  });
});

describe('frameworks: responses', () => {
  function sends(code: string, fileName?: string) {
    const s = setup(code, fileName);
    const out: string[] = [];
    for (const c of [...s.calls, ...s.news]) {
      const h = enclosingHandler(c, s.facts, s.project);
      const r = responseOf(c, h?.info, s.facts);
      if (r) out.push(`${r.framework}.${r.method}(${r.payload.map((p) => p.getText()).join()})${r.status ? ` status=${r.status.getText()}` : ''}`);
    }
    for (const b of s.bins) {
      const h = enclosingHandler(b, s.facts, s.project);
      const p = koaBodyAssignment(b, h?.info);
      if (p) out.push(`koa.body=${p.getText()}`);
    }
    return out;
  }
  it('Express chains, Fastify reply, Hono context', () => {
    assert.deepEqual(sends(`import express from 'express';
const app = express();
app.get('/a', (req, res) => { res.status(500).set('x', 'y').json({ error: e.message }); res.send('ok'); res.end(); other.json(1); });`),
    ['express.json({ error: e.message }) status=500', 'express.send(\'ok\')']);
    assert.deepEqual(sends(`import Fastify from 'fastify';
const app = Fastify();
app.get('/a', async (request, reply) => { reply.code(400).send(err); });`), ['fastify.send(err) status=400']);
    assert.deepEqual(sends(`import { Hono } from 'hono';
const app = new Hono();
app.get('/a', (c) => c.json({ error: e.message }, 500));`), ['hono.json({ error: e.message }) status=500']);
  });
  it('Next.js and web responses, Koa ctx.body', () => {
    assert.deepEqual(sends(`import { NextResponse } from 'next/server';
export async function POST(req: Request) {
  return NextResponse.json({ error: e.message }, { status: 500 });
  return new Response(e.message, { status: 500 });
}`, 'app/api/x/route.ts'), ['next.json({ error: e.message }) status=500', 'next.new(e.message) status=500']);
    assert.deepEqual(sends(`import Router from '@koa/router';
const router = new Router();
router.get('/x', async (ctx) => { ctx.body = { error: e.message }; ctx.response.body = 'x'; other.body = 1; });`), ['koa.body={ error: e.message }', "koa.body='x'"]);
  });
  it('appOf answers for identifiers it was not asked about during a walk', () => {
    const s = setup(`import express from 'express';
const app = express();
export default app;`);
    const id = s.sf.statements[2] as ts.ExportAssignment;
    assert.equal(appOf(id.expression, s.facts)?.framework, 'express');
  });
});
