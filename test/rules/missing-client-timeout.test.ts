import { runRuleTests } from '../harness/ruleTester';
import { missingClientTimeout } from '../../server/src/rules/missing-client-timeout';

runRuleTests(missingClientTimeout, {
  valid: [
    // options held in a const object literal are read (issue 14 recall)
    { name: 'pg Pool options in a const with a deadline', code: `import { Pool } from 'pg';\nconst config = { connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 };\nexport const pool = new Pool(config);` },
    { name: 'pg Pool options spreading a const with a deadline', code: `import { Pool } from 'pg';\nconst base = { connectionTimeoutMillis: 5000 };\nexport const pool = new Pool({ ...base, max: 10 });` },
    // postgres.js: connect_timeout is 30 s by default
    { name: 'postgres.js has a connect deadline by default', code: `import postgres from 'postgres';\nexport const sql = postgres(process.env.DATABASE_URL, { max: 10 });` },
    // AWS SDK v3 clients with a request handler deadline
    { name: 'AWS client with the requestHandler shorthand', code: `import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client({ region, requestHandler: { requestTimeout: 10000 } });` },
    { name: 'AWS client with a NodeHttpHandler deadline', code: `import { SQSClient } from '@aws-sdk/client-sqs';\nimport { NodeHttpHandler } from '@smithy/node-http-handler';\nexport const sqs = new SQSClient({ requestHandler: new NodeHttpHandler({ connectionTimeout: 3000 }) });` },
    { name: 'AWS client with a handler that cannot be seen', code: `import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client({ region, requestHandler: makeHandler() });` },
    { name: 'AWS client from a config variable', code: `import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client(config);` },
    { name: 'AWS commands are not clients', code: `import { GetObjectCommand } from '@aws-sdk/client-s3';\nexport const cmd = new GetObjectCommand({ Bucket, Key });` },
    // child_process with a timeout
    { name: 'execSync with a timeout', code: `import { execSync } from 'node:child_process';\nimport express from 'express';\nexport const app = express();\nexport const rev = () => execSync('git rev-parse HEAD', { timeout: 5000 });` },
    { name: 'exec with a timeout and a callback', code: `import { exec } from 'child_process';\nimport express from 'express';\nexport const app = express();\nexec(cmd, { timeout: 5000 }, (err, out) => done(err, out));` },
    { name: 'execFile with args and a timeout', code: `import { execFile } from 'node:child_process';\nimport express from 'express';\nexport const app = express();\nexecFile('convert', ['a.png', 'b.jpg'], { timeout: 30000 }, cb);` },
    { name: 'spawnSync with options in a const', code: `import { spawnSync } from 'node:child_process';\nimport express from 'express';\nexport const app = express();\nconst opts = { stdio: 'inherit', timeout: 60000 } as const;\nspawnSync('npm', ['ci'], opts);` },
    { name: 'execFileSync with options that cannot be seen', code: `import { execFileSync } from 'node:child_process';\nimport express from 'express';\nexport const app = express();\nexport const run = (file: string, options: object) => execFileSync(file, options);` },
    { name: 'a release script off any request path (no web app in the file) is tooling', code: `import { execSync } from 'node:child_process';\nfunction publish(pkg: string) {\n  execSync(\`npm publish \${pkg}\`, { stdio: 'inherit' });\n}\npublish(process.argv[2]);` },
    { name: 'spawn is long-running by design', code: `import { spawn } from 'node:child_process';\nimport express from 'express';\nexport const app = express();\nexport const worker = spawn('node', ['worker.js']);` },
    // pg with a deadline
    `import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });`,
    `import pg from 'pg';\nexport const pool = new pg.Pool({ host, statement_timeout: 10000, query_timeout: 12000 });`,
    `const { Client } = require('pg');\nconst client = new Client({ connectionString: 'postgres://db/app?connect_timeout=5' });`,
    `import { Pool } from 'pg';\nconst pool = new Pool({ options: '-c statement_timeout=5000' });`,
    // pg options we cannot see
    `import { Pool } from 'pg';\nexport const pool = new Pool(config.database);`,
    `import { Pool } from 'pg';\nexport const pool = new Pool({ ...baseConfig, max: 20 });`,
    // ioredis with a deadline, or a blocking/queue connection
    `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 2000 });`,
    `import Redis from 'ioredis';\nexport const redis = new Redis({ host: 'cache', connectTimeout: 10000 });`,
    { name: 'BullMQ connection (maxRetriesPerRequest: null) must not get a command timeout', code: `import IORedis from 'ioredis';\nconst connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });` },
    `import Redis from 'ioredis';\nexport const redis = new Redis(port, host, options);`,
    `import Redis from 'ioredis';\nconst redis = new Redis({ host, port, ...(password && { password }), commandTimeout: 1000 });`,
    `import Redis from 'ioredis';\nconst redis = new Redis({ host, ...sharedOptions });`,
    { name: 'a pub/sub subscriber connection: nothing awaits its commands', code: `import Redis from 'ioredis';\nconst redisSubscriber = new Redis(env.REDIS_URL);\nredisSubscriber.subscribe('events');` },
    // clients whose defaults already have a deadline
    `import { createClient } from 'redis';\nexport const client = createClient({ url: process.env.REDIS_URL });`,
    `import mysql from 'mysql2/promise';\nexport const pool = mysql.createPool({ host: 'db', user: 'app' });`,
    // mongo with deadlines
    `import mongoose from 'mongoose';\nawait mongoose.connect(uri, { serverSelectionTimeoutMS: 5000 });`,
    `import { MongoClient } from 'mongodb';\nconst client = new MongoClient(uri, { timeoutMS: 10000 });`,
    `import mongoose from 'mongoose';\nawait mongoose.connect('mongodb://db/app?socketTimeoutMS=45000');`,
    `import mongoose from 'mongoose';\nawait mongoose.connect(uri, mongoOptions);`,
    // NestJS HttpModule with a deadline
    `import { HttpModule } from '@nestjs/axios';\n@Module({ imports: [HttpModule.register({ timeout: 5000, maxRedirects: 5 })] })\nexport class AppModule {}`,
    `import { HttpModule } from '@nestjs/axios';\n@Module({ imports: [HttpModule.registerAsync({ useFactory: () => ({ timeout: 5000 }) })], exports: [HttpModule] })\nexport class AppModule {}`,
    // not these modules / not server code
    `import { Pool } from './pool';\nconst pool = new Pool();`,
    { code: `import { Pool } from 'pg';\nconst pool = new Pool();`, filename: 'test/db.test.ts' },
    `import { Pool } from 'pg';\n// failpath-disable-next-line missing-client-timeout -- pgbouncer enforces query_wait_timeout\nconst pool = new Pool();`,
  ],
  invalid: [
    {
      name: 'pg Pool options in a const without a deadline (no fix: the literal may be shared)',
      code: `import { Pool } from 'pg';\nconst config = { connectionString: process.env.DATABASE_URL, max: 10 };\nexport const pool = new Pool(config);\n`,
      errors: [{ line: 3, column: 25, message: 'new Pool() has no connectionTimeoutMillis' }],
      output: null,
    },
    {
      name: 'AWS client without a request handler deadline',
      code: `import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client({ region: 'eu-west-1' });\n`,
      errors: [{ line: 2, column: 23, message: 'new S3Client() has no requestHandler.connectionTimeout/requestTimeout' }],
      output: `import { S3Client } from '@aws-sdk/client-s3';\nexport const s3 = new S3Client({ region: 'eu-west-1', requestHandler: { connectionTimeout: 10000 } });\n`,
    },
    {
      name: 'AWS client without arguments',
      code: `import { SQSClient } from '@aws-sdk/client-sqs';\nexport const sqs = new SQSClient();\n`,
      errors: [{ line: 2, column: 24 }],
      output: `import { SQSClient } from '@aws-sdk/client-sqs';\nexport const sqs = new SQSClient({ requestHandler: { connectionTimeout: 10000 } });\n`,
    },
    {
      name: 'AWS client whose handler sets no timeout (no fix: requestHandler is there already)',
      code: `import { S3Client } from '@aws-sdk/client-s3';\nimport { NodeHttpHandler } from '@smithy/node-http-handler';\nexport const s3 = new S3Client({ requestHandler: new NodeHttpHandler({ httpsAgent: agent }) });\n`,
      errors: [{ line: 3, column: 23 }],
      output: null,
    },
    {
      name: 'execSync without a timeout',
      code: `import { execSync } from 'node:child_process';\nimport express from 'express';\nconst app = express();\napp.get('/rev', (req, res) => {\n  res.send(execSync('git rev-parse HEAD'));\n});\n`,
      errors: [{ line: 5, column: 12, message: 'execSync() has no timeout' }],
      output: `import { execSync } from 'node:child_process';\nimport express from 'express';\nconst app = express();\napp.get('/rev', (req, res) => {\n  res.send(execSync('git rev-parse HEAD', { timeout: 10000 }));\n});\n`,
    },
    {
      name: 'exec with only a callback',
      code: `import { exec } from 'child_process';\nimport express from 'express';\nexport const app = express();\nexec(cmd, (err, out) => done(err, out));\n`,
      errors: [{ line: 4, column: 1 }],
      output: `import { exec } from 'child_process';\nimport express from 'express';\nexport const app = express();\nexec(cmd, { timeout: 10000 }, (err, out) => done(err, out));\n`,
    },
    {
      name: 'execFile with args and options without a timeout',
      code: `import { execFile } from 'node:child_process';\nimport Fastify from 'fastify';\nexport const app = Fastify();\nexecFile('convert', ['a.png', 'b.jpg'], { cwd }, cb);\n`,
      errors: [{ line: 4, column: 1 }],
      output: `import { execFile } from 'node:child_process';\nimport Fastify from 'fastify';\nexport const app = Fastify();\nexecFile('convert', ['a.png', 'b.jpg'], { cwd, timeout: 10000 }, cb);\n`,
    },
    {
      name: 'spawnSync with an args variable',
      code: `import { spawnSync } from 'node:child_process';\nimport { Hono } from 'hono';\nexport const app = new Hono();\nexport const run = (args: string[]) => spawnSync('git', args);\n`,
      errors: [{ line: 4, column: 40 }],
      output: `import { spawnSync } from 'node:child_process';\nimport { Hono } from 'hono';\nexport const app = new Hono();\nexport const run = (args: string[]) => spawnSync('git', args, { timeout: 10000 });\n`,
    },
    {
      name: 'pg Pool from a connection string',
      code: `import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL });\n`,
      errors: [{ line: 2, column: 25, endLine: 2, endColumn: 29, message: 'new Pool() has no connectionTimeoutMillis' }],
      output: `import { Pool } from 'pg';\nexport const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });\n`,
    },
    {
      name: 'pg Pool without arguments',
      code: `import pg from 'pg';\nconst pool = new pg.Pool();`,
      errors: [{ line: 2, column: 18, endColumn: 25 }],
      output: `import pg from 'pg';\nconst pool = new pg.Pool({ connectionTimeoutMillis: 10000 });`,
    },
    {
      name: 'pg Client from a url string, multi-line file with require',
      code: `const { Client } = require('pg');\nconst client = new Client(process.env.DATABASE_URL);\n`,
      filename: 'src/db.js',
      errors: [{ line: 2, column: 20, message: 'new Client() has no connectionTimeoutMillis' }],
      output: `const { Client } = require('pg');\nconst client = new Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 10000 });\n`,
    },
    {
      name: 'pg multi-line options keep their layout; timeout from settings',
      code: `import { Pool } from 'pg';\nconst pool = new Pool({\n  host: 'db',\n  max: 20,\n});\n`,
      settings: { timeoutMs: 3000 },
      errors: [{ line: 2, column: 18, message: '3000 ms' }],
      output: `import { Pool } from 'pg';\nconst pool = new Pool({\n  host: 'db',\n  max: 20,\n  connectionTimeoutMillis: 3000,\n});\n`,
    },
    {
      name: 'pg connection string literal without timeouts',
      code: `import { Pool } from 'pg';\nconst pool = new Pool({ connectionString: 'postgres://db/app' });`,
      errors: [{ line: 2, column: 18 }],
    },
    {
      name: 'ioredis from a url',
      code: `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL);`,
      errors: [{ line: 2, column: 26, endColumn: 31, message: 'no commandTimeout' }],
      output: `import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL, { commandTimeout: 10000 });`,
    },
    {
      name: 'ioredis with options lacking deadlines',
      code: `import { Redis } from 'ioredis';\nconst redis = new Redis({ host: 'cache', port: 6379 });`,
      errors: [{ line: 2, column: 19 }],
      output: `import { Redis } from 'ioredis';\nconst redis = new Redis({ host: 'cache', port: 6379, commandTimeout: 10000 });`,
    },
    {
      name: 'ioredis with a visible conditional spread',
      code: `const Redis = require('ioredis');\nconst client = new Redis({\n  host: env.REDIS_HOST,\n  ...(env.REDIS_PASSWORD && { password: env.REDIS_PASSWORD })\n});`,
      filename: 'src/redis.js',
      errors: [{ line: 2, column: 20 }],
      output: `const Redis = require('ioredis');\nconst client = new Redis({\n  host: env.REDIS_HOST,\n  ...(env.REDIS_PASSWORD && { password: env.REDIS_PASSWORD }),\n  commandTimeout: 10000\n});`,
    },
    {
      name: 'ioredis without arguments, class member',
      code: `import Redis from 'ioredis';\nexport class Cache {\n  private redis = new Redis();\n}`,
      errors: [{ line: 3, column: 23 }],
      output: `import Redis from 'ioredis';\nexport class Cache {\n  private redis = new Redis({ commandTimeout: 10000 });\n}`,
    },
    {
      name: 'mongoose.connect with only a uri',
      code: `import mongoose from 'mongoose';\nawait mongoose.connect(process.env.MONGO_URI!);`,
      errors: [{ line: 2, column: 7, endColumn: 23, message: 'socketTimeoutMS' }],
      output: `import mongoose from 'mongoose';\nawait mongoose.connect(process.env.MONGO_URI!, { serverSelectionTimeoutMS: 10000, socketTimeoutMS: 45000 });`,
    },
    {
      name: 'mongoose options without deadlines',
      code: `const mongoose = require('mongoose');\nmongoose.connect(url, { autoIndex: false });`,
      filename: 'src/db.js',
      errors: [{ line: 2, column: 1 }],
      output: `const mongoose = require('mongoose');\nmongoose.connect(url, { autoIndex: false, serverSelectionTimeoutMS: 10000, socketTimeoutMS: 45000 });`,
    },
    {
      name: 'new MongoClient',
      code: `import { MongoClient } from 'mongodb';\nconst client = new MongoClient(uri);`,
      errors: [{ line: 2, column: 20, message: 'new MongoClient()' }],
      output: `import { MongoClient } from 'mongodb';\nconst client = new MongoClient(uri, { serverSelectionTimeoutMS: 10000, socketTimeoutMS: 45000 });`,
    },
    {
      name: 'NestJS MongooseModule.forRoot',
      code: `import { MongooseModule } from '@nestjs/mongoose';\n@Module({ imports: [MongooseModule.forRoot(process.env.MONGO_URL)] })\nexport class AppModule {}`,
      errors: [{ line: 2, column: 21, message: 'MongooseModule.forRoot()' }],
    },
    {
      name: 'NestJS HttpModule imported bare',
      code: `import { Module } from '@nestjs/common';\nimport { HttpModule } from '@nestjs/axios';\n\n@Module({ imports: [SharedModule, HttpModule], exports: [HttpModule] })\nexport class AnalyticsModule {}\n`,
      errors: [{ line: 4, column: 35, endColumn: 45, message: 'HttpModule is imported' }],
      output: `import { Module } from '@nestjs/common';\nimport { HttpModule } from '@nestjs/axios';\n\n@Module({ imports: [SharedModule, HttpModule.register({ timeout: 10000 })], exports: [HttpModule] })\nexport class AnalyticsModule {}\n`,
    },
    {
      name: 'NestJS HttpModule in a module list constant',
      code: `import { HttpModule } from '@nestjs/axios';\nconst MODULES = [ScheduleModule.forRoot(), HttpModule];`,
      errors: [{ line: 2, column: 44 }],
      output: `import { HttpModule } from '@nestjs/axios';\nconst MODULES = [ScheduleModule.forRoot(), HttpModule.register({ timeout: 10000 })];`,
    },
    {
      name: 'HttpModule.register without timeout',
      code: `import { HttpModule } from '@nestjs/axios';\n@Module({ imports: [HttpModule.register({ maxRedirects: 3 })] })\nexport class M {}`,
      errors: [{ line: 2, column: 21, message: 'HttpModule.register()' }],
      output: `import { HttpModule } from '@nestjs/axios';\n@Module({ imports: [HttpModule.register({ maxRedirects: 3, timeout: 10000 })] })\nexport class M {}`,
    },
  ],
});
