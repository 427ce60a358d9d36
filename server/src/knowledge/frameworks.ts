/**
 * Web frameworks: the packages (what each exports: app and router factories, type names,
 * decorators) and the framework-level facts (methods that register routes, handler parameter
 * layouts, response methods, how to answer 404, read a header or add a health route).
 */
import type { FrameworkId, FrameworkInfo, LibraryRecord } from './types';

/** Methods that register a route for an HTTP method (or all of them) on most routers. */
export const ROUTE_VERB_METHODS: readonly string[] = ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'head'];

/** Framework facts, in the order projects are matched (see projectFramework). */
export const FRAMEWORK_INFO: Readonly<Record<FrameworkId, FrameworkInfo>> = {
  express: {
    id: 'express',
    label: 'Express',
    packages: ['express'],
    untypedApps: true,
    appMethods: ['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'options', 'head', 'use'],
    prefixMethod: 'route',
    params: ['req', 'res', 'next'],
    errorParams: ['err', 'req', 'res', 'next'],
    notFound: 'return {res}.status(404).end()',
    readHeader: '{req}.get({header})',
    healthRoute: '{app}.get({q}/healthz{q}, (_req, res) => {{eol}{indent}{ind}res.json({ status: {q}ok{q} }){s}{eol}{indent}}){s}',
    close: 'server',
  },
  fastify: {
    id: 'fastify',
    label: 'Fastify',
    packages: ['fastify'],
    untypedApps: true,
    appMethods: ROUTE_VERB_METHODS,
    routeMethod: 'route',
    pluginMethod: 'register',
    params: ['req', 'res'],
    errorParams: ['err', 'req', 'res'],
    errorHandler: 'setErrorHandler',
    hooks: ['onRequest', 'preParsing', 'preValidation', 'preHandler'],
    notFound: 'return {res}.code(404).send()',
    readHeader: '{req}.headers[{lower}]',
    requestLogger: '{req}.log',
    healthRoute: '{app}.get({q}/healthz{q}, async () => ({ status: {q}ok{q} })){s}',
    close: 'app',
  },
  koa: {
    id: 'koa',
    label: 'Koa',
    packages: ['koa'],
    untypedApps: true,
    appMethods: ['use'],
    routerMethods: ['get', 'post', 'put', 'patch', 'del', 'delete', 'all', 'options', 'head', 'use'],
    params: ['ctx', 'next'],
    // Koa answers 404 itself when no body is set
    notFound: 'return',
    readHeader: '{ctx}.get({header}) || undefined',
    close: 'server',
  },
  hono: {
    id: 'hono',
    label: 'Hono',
    packages: ['hono'],
    untypedApps: true,
    appMethods: ['get', 'post', 'put', 'patch', 'delete', 'all', 'options', 'on', 'use'],
    prefixMethod: 'basePath',
    params: ['ctx', 'next'],
    errorParams: ['err', 'ctx'],
    errorHandler: 'onError',
    contextSend: ['json', 'text', 'html', 'body'],
    notFound: 'return {ctx}.notFound()',
    readHeader: '{ctx}.req.header({header})',
  },
  nestjs: {
    id: 'nestjs',
    label: 'Nest',
    packages: ['@nestjs/core', '@nestjs/common'],
    appMethods: ['use'],
    routeDecorators: { Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', All: 'ALL', Options: 'OPTIONS', Head: 'HEAD' },
    params: ['req', 'res'],
    readHeader: '{req}.headers[{lower}]',
    shutdownHooks: 'enableShutdownHooks',
  },
  next: {
    id: 'next',
    label: 'Next.js',
    packages: ['next'],
    appMethods: [],
    routeExports: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    params: ['req', 'res'],
    notFound: 'return {res}.status(404).end()',
    notFoundWeb: 'return new Response(null, { status: 404 })',
    readHeader: '{req}.headers[{lower}]',
    readHeaderWeb: '{req}.headers.get({header}) ?? undefined',
  },
};

/** Methods of a Node-style response (`res`, Fastify's `reply`) that send a body. */
export const RESPONSE_SEND_METHODS: readonly string[] = ['send', 'json', 'end', 'jsonp', 'write'];
/** Methods chained on a response before it sends that set its status. */
export const RESPONSE_STATUS_METHODS: readonly string[] = ['status', 'code'];
/** Methods chained on a response before it sends that set headers or cookies. */
export const RESPONSE_HEADER_METHODS: readonly string[] = ['set', 'header', 'headers', 'type', 'cookie', 'clearCookie', 'vary', 'append', 'contentType', 'setHeader'];

/** Untyped parameters with these names are apps or routers (in a project that uses exactly one framework). */
export const APP_PARAMETER_NAMES: Readonly<Record<string, 'app' | 'router'>> = { app: 'app', server: 'app', fastify: 'app', instance: 'app', router: 'router', routes: 'router', api: 'router' };

export const FRAMEWORKS: readonly LibraryRecord[] = [
  {
    id: 'express',
    label: 'Express',
    modules: ['express'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
    framework: {
      id: 'express',
      factories: [{ export: '', call: 'call', role: 'app' }, { export: 'Router', call: 'call', role: 'router' }],
      appTypes: { Express: 'app', Application: 'app', Router: 'router', IRouter: 'router' },
      handlerTypes: { Request: 'req', Response: 'res', NextFunction: 'next', RequestHandler: 'handler', ErrorRequestHandler: 'error-handler' },
      marksFile: true,
      awaitsHandlers: true,
      nestedQuery: false,
      // Express 4 ignores the promise a handler returns; its query parser (qs "extended") nests objects
      versions: [{ range: '<5', awaitsHandlers: false, nestedQuery: true }],
    },
  },
  {
    id: 'fastify',
    label: 'Fastify',
    modules: ['fastify'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
    framework: {
      id: 'fastify',
      factories: [{ export: '', call: 'call', role: 'app' }, { export: 'fastify', call: 'call', role: 'app' }, { export: 'default', call: 'call', role: 'app' }],
      appTypes: { FastifyInstance: 'app' },
      handlerTypes: { FastifyRequest: 'req', FastifyReply: 'res' },
      marksFile: true,
    },
  },
  {
    id: 'fastify-plugin',
    label: 'fastify-plugin',
    modules: ['fastify-plugin'],
    roles: ['framework-plugin'],
    framework: { id: 'fastify', marksFile: true },
  },
  {
    id: 'koa',
    label: 'Koa',
    modules: ['koa'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
    framework: {
      id: 'koa',
      factories: [{ export: '', call: 'new', role: 'app' }, { export: 'Koa', call: 'new', role: 'app' }, { export: 'default', call: 'new', role: 'app' }],
      appTypes: { Koa: 'app', default: 'app' },
      handlerTypes: { Context: 'ctx', ParameterizedContext: 'ctx', DefaultContext: 'ctx', Middleware: 'handler', Next: 'next' },
      marksFile: true,
    },
  },
  {
    id: 'koa-router',
    label: 'koa-router',
    modules: ['koa-router', '@koa/router'],
    roles: ['router'],
    note: '@koa/router is koa-router\'s maintained successor; IRouterContext is the old package\'s type.',
    framework: {
      id: 'koa',
      factories: [{ export: '', call: 'new', role: 'router' }, { export: 'Router', call: 'new', role: 'router' }, { export: 'default', call: 'new', role: 'router' }],
      appTypes: { Router: 'router', default: 'router' },
      handlerTypes: { RouterContext: 'ctx', IRouterContext: 'ctx' },
      marksFile: true,
    },
  },
  {
    id: 'hono',
    label: 'Hono',
    modules: ['hono', 'hono/tiny', 'hono/quick'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
    framework: {
      id: 'hono',
      factories: [{ export: 'Hono', call: 'new', role: 'app' }, { export: 'OpenAPIHono', call: 'new', role: 'app' }],
      appTypes: { Hono: 'app' },
      handlerTypes: { Context: 'ctx' },
      marksFile: true,
    },
  },
  {
    id: 'hono-zod-openapi',
    label: '@hono/zod-openapi',
    modules: ['@hono/zod-openapi'],
    roles: ['framework', 'validator'],
    framework: {
      id: 'hono',
      factories: [{ export: 'Hono', call: 'new', role: 'app' }, { export: 'OpenAPIHono', call: 'new', role: 'app' }],
      appTypes: { OpenAPIHono: 'app' },
      marksFile: true,
    },
  },
  {
    id: 'nestjs-core',
    label: '@nestjs/core',
    modules: ['@nestjs/core'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
    framework: { id: 'nestjs', bootstrap: { export: 'NestFactory', method: 'create' } },
  },
  {
    id: 'nestjs-common',
    label: '@nestjs/common',
    modules: ['@nestjs/common'],
    roles: ['framework', 'logger'],
    signal: { dependency: 'server', import: 'server' },
    framework: { id: 'nestjs', decorators: true },
    logger: {
      style: 'nestjs',
      export: 'Logger',
      priority: 4,
      create: {
        import: { binding: 'Logger', kind: 'named' },
        declaration: 'const {name} = new Logger({label})',
        classMember: 'logger = new Logger({class}.name)',
      },
    },
  },
  {
    id: 'next',
    label: 'Next.js',
    modules: ['next', 'next/server'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
    framework: {
      id: 'next',
      handlerTypes: { NextApiRequest: 'req', NextApiResponse: 'res', NextApiHandler: 'handler', NextRequest: 'req' },
      response: 'NextResponse',
    },
  },
  {
    id: 'hapi',
    label: 'hapi',
    modules: ['@hapi/hapi'],
    roles: ['framework'],
    signal: { dependency: 'server', import: 'server' },
  },
  {
    id: 'restify',
    label: 'restify',
    modules: ['restify'],
    roles: ['framework'],
    signal: { dependency: 'server' },
    framework: { id: 'restify', factories: [{ export: 'createServer', call: 'call', role: 'app' }] },
  },
  {
    id: 'polka',
    label: 'polka',
    modules: ['polka'],
    roles: ['framework'],
    framework: { id: 'polka', factories: [{ export: '', call: 'call', role: 'app' }] },
  },
  { id: 'nuxt', label: 'Nuxt', modules: ['nuxt'], roles: ['framework'], signal: { dependency: 'server' } },
  { id: 'sveltekit', label: 'SvelteKit', modules: ['@sveltejs/kit'], roles: ['framework'], signal: { dependency: 'server' } },
  { id: 'remix-node', label: 'Remix (Node)', modules: ['@remix-run/node'], roles: ['framework'], signal: { dependency: 'server' } },
  // patches and routers that make Express 4 pass a rejected handler promise to next(err)
  { id: 'express-async-errors', label: 'express-async-errors', modules: ['express-async-errors'], roles: ['async-errors'] },
  { id: 'express-promise-router', label: 'express-promise-router', modules: ['express-promise-router'], roles: ['async-errors', 'router'] },
  { id: 'async-router', label: '@root/async-router', modules: ['@root/async-router'], roles: ['async-errors', 'router'] },
  { id: 'graphql', label: 'GraphQL', modules: ['graphql'], roles: ['graphql'], signal: { dependency: 'service' } },
  { id: 'apollo-server', label: 'Apollo Server', modules: ['@apollo/server'], roles: ['graphql', 'framework'], signal: { dependency: 'service' } },
  { id: 'apollo-server-legacy', label: 'Apollo Server (v2-3)', modules: ['apollo-server', 'apollo-server*'], roles: ['graphql', 'framework'], note: 'apollo-server, apollo-server-express, … before @apollo/server (the family prefix does not match the bare package name).' },
  { id: 'graphql-yoga', label: 'GraphQL Yoga', modules: ['graphql-yoga'], roles: ['graphql', 'framework'] },
  { id: 'mercurius', label: 'Mercurius', modules: ['mercurius'], roles: ['graphql', 'framework-plugin'] },
  { id: 'socket.io', label: 'Socket.IO', modules: ['socket.io'], roles: ['realtime'], signal: { dependency: 'service' } },
  { id: 'ws', label: 'ws', modules: ['ws'], roles: ['realtime'], signal: { dependency: 'service' } },
  // bot frameworks whose listeners catch handler errors themselves (bot.catch / app.error)
  { id: 'telegraf', label: 'Telegraf', modules: ['telegraf'], roles: ['chat-bot'] },
  { id: 'grammy', label: 'grammY', modules: ['grammy'], roles: ['chat-bot'] },
  { id: 'slack-bolt', label: 'Bolt for Slack', modules: ['@slack/bolt'], roles: ['chat-bot'] },
  // Cloudflare Workers: a project with them runs at the edge (no process, no long-lived server)
  { id: 'wrangler', label: 'Wrangler', modules: ['wrangler'], roles: ['edge-runtime'] },
  { id: 'workers-types', label: 'Cloudflare Workers types', modules: ['@cloudflare/workers-types'], roles: ['edge-runtime'] },
];
