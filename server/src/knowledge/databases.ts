/**
 * Database drivers and ORMs: factories, local members, promise behaviour, read methods, the
 * operations where request input lands, connection deadlines, and what a failing driver says.
 */
import { EVENT_METHODS } from './io';
import type { DriverFailures, LibraryRecord } from './types';

const PG_FAILURES: DriverFailures = {
  timeout: { message: 'canceling statement due to statement timeout', code: '57014' },
  error: { message: 'terminating connection due to administrator command', code: '57P01' },
  refused: { message: 'connect ECONNREFUSED 127.0.0.1:5432', code: 'ECONNREFUSED' },
};
const MYSQL_FAILURES: DriverFailures = {
  timeout: { message: 'Query inactivity timeout', code: 'PROTOCOL_SEQUENCE_TIMEOUT' },
  error: { message: 'Server shutdown in progress', code: 'ER_SERVER_SHUTDOWN' },
  refused: { message: 'connect ECONNREFUSED 127.0.0.1:3306', code: 'ECONNREFUSED' },
};
const MONGO_FAILURES: DriverFailures = {
  timeout: { message: 'Server selection timed out after 30000 ms', code: 'ETIMEDOUT' },
  error: { message: 'interrupted at shutdown', code: 'InterruptedAtShutdown' },
  refused: { message: 'connect ECONNREFUSED 127.0.0.1:27017', code: 'ECONNREFUSED' },
};
const PRISMA_FAILURES: DriverFailures = {
  timeout: { message: 'Timed out fetching a new connection from the connection pool', code: 'P2024' },
  error: { message: 'Server has closed the connection', code: 'P1017' },
  refused: { message: "Can't reach database server at 127.0.0.1:5432", code: 'P1001' },
};
/** What any other client (an SDK, a service over HTTP) says when it fails. */
export const GENERIC_FAILURES: DriverFailures = {
  timeout: { message: 'Request timed out', code: 'ETIMEDOUT' },
  error: { message: 'Service Unavailable', code: 'ServiceUnavailable' },
  refused: { message: 'connect ECONNREFUSED 127.0.0.1:443', code: 'ECONNREFUSED' },
};

const MYSQL_LOCAL = [...EVENT_METHODS, 'format', 'escape', 'escapeId', 'raw'];
const MYSQL_FACTORIES = ['createPool', 'createConnection', 'createPoolCluster'];

/** MongoDB's deadline options (driver and mongoose), also accepted as connection-string parameters. */
const MONGO_DEADLINES = ['serverSelectionTimeoutMS', 'socketTimeoutMS', 'timeoutMS', 'connectTimeoutMS', 'waitQueueTimeoutMS'];
const MONGO_WRITE = [{ option: 'serverSelectionTimeoutMS' }, { option: 'socketTimeoutMS', atLeastMs: 45000 }];

/** Mongo collection/model operations that take a filter first. */
const MONGO_FILTER_OPS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne', 'countDocuments', 'exists', 'where'];
/** Mongo collection/model operations that take data or a filter. */
const MONGO_OPS = ['find', 'findOne', 'findById', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'findByIdAndUpdate', 'findByIdAndDelete', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne', 'create', 'insertMany', 'countDocuments', 'exists', 'where'];

export const DATABASES: readonly LibraryRecord[] = [
  {
    id: 'pg',
    label: 'pg',
    modules: ['pg'],
    roles: ['db'],
    signal: { dependency: 'server' },
    io: {
      kind: 'db',
      factories: ['Pool', 'Client', 'default.Pool', 'default.Client', '*.Pool', '*.Client'],
      local: [...EVENT_METHODS, 'escapeIdentifier', 'escapeLiteral', 'types', 'totalCount', 'idleCount', 'waitingCount'],
      singleConnection: ['Client', 'default.Client', '*.Client'],
      promise: { returns: 'promise' },
      sqlMethods: ['query', 'execute'],
      failures: PG_FAILURES,
    },
    db: { rawSql: ['query'] },
    clientDeadlines: {
      factories: ['Pool', 'Client'].map((c) => ({
        path: [c], call: 'new' as const, options: 0, maxArgs: 1,
        deadlineOptions: ['connectionTimeoutMillis', 'statement_timeout', 'query_timeout'],
        urlParams: ['connect_timeout', 'statement_timeout'],
        connectionStringOptions: ['connectionString', 'options'],
        stringArgumentAs: 'connectionString',
        write: [{ option: 'connectionTimeoutMillis' }],
      })),
      withoutDeadline: 'no connect or acquire timeout: pool.query() waits forever for a connection',
    },
  },
  {
    id: 'pg-promise',
    label: 'pg-promise',
    modules: ['pg-promise'],
    roles: ['db'],
    io: { kind: 'db', factories: [], failures: PG_FAILURES },
    note: 'Recognised on clients shared from project modules (db.one(), db.manyOrNone()); see SHARED_SQL_CLIENT.',
  },
  {
    id: 'mysql',
    label: 'mysql',
    modules: ['mysql'],
    roles: ['db'],
    io: { kind: 'db', factories: [], failures: MYSQL_FAILURES },
    note: 'The original callback driver: recognised on shared clients only.',
  },
  {
    id: 'mysql2',
    label: 'mysql2',
    modules: ['mysql2'],
    roles: ['db'],
    signal: { dependency: 'service' },
    io: { kind: 'db', factories: MYSQL_FACTORIES, local: [...MYSQL_LOCAL, 'promise'], singleConnection: ['createConnection'], sqlMethods: ['query', 'execute'], failures: MYSQL_FAILURES },
    db: { rawSql: ['query', 'execute'] },
    clientDeadlines: { factories: [], defaultDeadline: { option: 'connectTimeout', ms: 10000 } },
    note: 'The callback API: its calls return no promise (see mysql2/promise).',
  },
  {
    id: 'mysql2-promise',
    label: 'mysql2/promise',
    modules: ['mysql2/promise'],
    roles: ['db'],
    io: { kind: 'db', factories: MYSQL_FACTORIES, local: MYSQL_LOCAL, singleConnection: ['createConnection'], promise: { returns: 'promise' }, sqlMethods: ['query', 'execute'], failures: MYSQL_FAILURES },
    db: { rawSql: ['query', 'execute'] },
    clientDeadlines: { factories: [], defaultDeadline: { option: 'connectTimeout', ms: 10000 } },
  },
  {
    id: 'mssql',
    label: 'mssql',
    modules: ['mssql'],
    roles: ['db'],
    note: 'Recognised on clients shared from project modules only.',
  },
  {
    id: 'oracledb',
    label: 'oracledb',
    modules: ['oracledb'],
    roles: ['db'],
    note: 'Recognised on clients shared from project modules only.',
  },
  {
    id: 'postgres',
    label: 'postgres.js',
    modules: ['postgres'],
    roles: ['db'],
    db: { rawSql: ['unsafe'] },
    // `postgres(url, { connect_timeout })`: 30 s by default (seconds; idle_timeout and max_lifetime are
    // not deadlines): like mysql2, a client that does not wait forever to connect. There is no
    // queue/acquire timeout to add, and statement_timeout is a server setting (`connection: {…}`).
    clientDeadlines: { factories: [], defaultDeadline: { option: 'connect_timeout', ms: 30000 } },
  },
  {
    id: 'mongodb',
    label: 'MongoDB',
    modules: ['mongodb'],
    roles: ['db'],
    signal: { dependency: 'server' },
    io: {
      kind: 'db',
      factories: ['MongoClient'],
      local: [...EVENT_METHODS, 'db', 'collection', 'ObjectId', 'startSession', 'watch'],
      promise: { returns: 'promise' },
      reads: ['find', 'findone', 'countdocuments', 'estimateddocumentcount', 'aggregate', 'distinct'],
      chain: ['toArray'],
      failures: MONGO_FAILURES,
    },
    db: { ops: MONGO_OPS, filterOps: MONGO_FILTER_OPS },
    clientDeadlines: {
      factories: [
        { path: ['MongoClient'], call: 'new', options: 1, maxArgs: 2, deadlineOptions: MONGO_DEADLINES, urlParams: MONGO_DEADLINES, write: MONGO_WRITE },
        { path: ['MongoClient', 'connect'], call: 'call', options: 1, maxArgs: 2, deadlineOptions: MONGO_DEADLINES, urlParams: MONGO_DEADLINES, write: MONGO_WRITE },
      ],
      withoutDeadline: 'socketTimeoutMS 0: an operation on a stalled connection waits forever; 30 s server selection',
    },
  },
  {
    id: 'mongoose',
    label: 'Mongoose',
    modules: ['mongoose'],
    roles: ['db', 'orm'],
    signal: { dependency: 'server' },
    io: {
      kind: 'db',
      factories: ['model', 'createConnection', 'default.model'],
      local: [...EVENT_METHODS, 'Schema', 'model', 'Types', 'set', 'plugin', 'isValidObjectId', 'startSession', 'where', 'lean', 'select', 'populate', 'sort', 'limit', 'skip'],
      moduleLevel: true,
      // model queries are thenables that run when awaited or exec()-ed; create/insertMany/bulkWrite run at once
      promise: { returns: 'promise', lazy: { onInstance: true, except: ['create', 'insertMany', 'bulkWrite'] } },
      reads: ['find', 'findone', 'findbyid', 'countdocuments', 'estimateddocumentcount', 'aggregate', 'distinct', 'count'],
      chain: ['lean', 'exec', 'select', 'populate', 'sort', 'limit', 'skip', 'where', 'orFail', 'session', 'hint', 'collation'],
      failures: MONGO_FAILURES,
    },
    db: { ops: MONGO_OPS, filterOps: MONGO_FILTER_OPS },
    clientDeadlines: {
      factories: [
        { path: ['connect'], call: 'call', options: 1, maxArgs: 2, deadlineOptions: MONGO_DEADLINES, urlParams: MONGO_DEADLINES, write: MONGO_WRITE },
        { path: ['createConnection'], call: 'call', options: 1, maxArgs: 2, deadlineOptions: MONGO_DEADLINES, urlParams: MONGO_DEADLINES, write: MONGO_WRITE },
      ],
      withoutDeadline: 'socketTimeoutMS 0 (the MongoDB driver underneath)',
    },
  },
  {
    id: 'nestjs-mongoose',
    label: '@nestjs/mongoose',
    modules: ['@nestjs/mongoose'],
    roles: ['db', 'framework-plugin'],
    clientDeadlines: {
      factories: [{ path: ['MongooseModule', 'forRoot'], call: 'call', options: 1, maxArgs: 2, deadlineOptions: MONGO_DEADLINES, urlParams: MONGO_DEADLINES, write: MONGO_WRITE }],
    },
  },
  {
    id: 'prisma',
    label: 'Prisma',
    modules: ['@prisma/client'],
    roles: ['db', 'orm'],
    signal: { dependency: 'server' },
    io: {
      kind: 'db',
      factories: ['PrismaClient'],
      local: [...EVENT_METHODS, '$on', '$use', '$extends'],
      // `prisma.user.findMany()` is a lazy PrismaPromise; `prisma.$connect()` runs at once
      promise: { returns: 'promise', lazy: { minPath: 2 } },
      reads: ['findunique', 'finduniqueorthrow', 'findfirst', 'findfirstorthrow', 'findmany', 'count', 'aggregate', 'groupby'],
      failures: PRISMA_FAILURES,
    },
    db: {
      ops: ['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'updateManyAndReturn', 'upsert', 'delete', 'deleteMany', 'findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'count', 'aggregate', 'groupBy'],
      filterOps: ['findFirst', 'findFirstOrThrow', 'findMany', 'updateMany', 'deleteMany', 'count', 'aggregate', 'groupBy'],
      rawSql: ['$queryRawUnsafe', '$executeRawUnsafe'],
      dataKeys: ['data', 'create', 'update'],
      filterKey: 'where',
      filterOperators: ['in', 'notIn', 'contains', 'startsWith', 'endsWith', 'equals', 'not', 'lt', 'lte', 'gt', 'gte', 'has', 'hasSome', 'hasEvery', 'search', 'mode', 'path', 'array_contains', 'string_contains'],
      modelMethods: {
        distinct: ['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'upsert', 'createMany', 'createManyAndReturn', 'updateMany', 'updateManyAndReturn', 'deleteMany', 'aggregate', 'groupBy'],
        generic: ['create', 'update', 'delete', 'count'],
      },
    },
  },
  {
    id: 'prisma-cli',
    label: 'Prisma CLI',
    modules: ['prisma'],
    roles: ['db-tooling'],
    note: 'The schema/migration CLI: a project that has it uses Prisma (its client may be generated elsewhere).',
  },
  {
    id: 'knex',
    label: 'knex',
    modules: ['knex'],
    roles: ['db'],
    signal: { dependency: 'server' },
    // statement-level calls only build a query: no promise until awaited (not modelled)
    io: { kind: 'db', factories: ['default', 'knex'], local: ['raw', 'ref', 'fn', 'schema'] },
    db: { ops: ['insert', 'update', 'where', 'whereRaw', 'orWhere', 'andWhere', 'upsert', 'merge', 'del', 'delete'], rawSql: ['raw', 'whereRaw'] },
  },
  {
    id: 'sequelize',
    label: 'Sequelize',
    modules: ['sequelize'],
    roles: ['db', 'orm'],
    signal: { dependency: 'server' },
    io: {
      kind: 'db',
      factories: ['Sequelize'],
      local: ['define', 'literal', 'col', 'fn', 'where', 'Op'],
      promise: { returns: 'promise' },
      reads: ['findall', 'findandcountall', 'findbypk', 'findone', 'count'],
    },
    db: { ops: ['findAll', 'findOne', 'findByPk', 'create', 'bulkCreate', 'upsert', 'update', 'destroy'], rawSql: ['query'] },
  },
  {
    id: 'typeorm',
    label: 'TypeORM',
    modules: ['typeorm'],
    roles: ['db', 'orm'],
    signal: { dependency: 'server' },
    db: { ops: ['save', 'insert', 'update', 'upsert', 'create', 'find', 'findOne', 'findOneBy', 'findBy', 'findAndCount', 'delete', 'remove', 'merge', 'preload', 'exist', 'exists', 'count'], rawSql: ['query'] },
  },
];

/**
 * A SQL client shared from a project module (`import { pool } from './db'`): recognised by the
 * receiver's conventional name, the method, and a SQL driver among the dependencies (the first
 * of `drivers` the project has names it).
 */
export const SHARED_SQL_CLIENT = {
  receiver: /^(pool|db|pg|sql|database|knex|mysql|conn|connection|dbPool|pgPool)$/i,
  methods: ['query', 'execute', 'one', 'many', 'any', 'none', 'oneOrNone', 'manyOrNone', 'result'] as readonly string[],
  drivers: ['pg', 'mysql2', 'mysql', 'pg-promise', 'mssql', 'oracledb'] as readonly string[],
} as const;

/** A receiver named like a database client, for raw-SQL calls (`pool.query(\`… ${x}\`)`). */
export const DB_RECEIVER = /^(pool|db|client|conn|connection|knex|sequelize|prisma|pg|sql|database|trx|tx|mysql)$/i;
/** A receiver named like a Prisma client. */
export const PRISMA_RECEIVER = /prisma/i;
/** A repository (TypeORM `userRepository`). */
export const REPOSITORY_RECEIVER = /repo(sitory)?$/i;
/** A knex query builder call (`db('users')`). */
export const QUERY_BUILDER_RECEIVER = /^(knex|db|trx)$/;
