/**
 * Caches: Redis clients (commands, TTL tokens and options, per-version SET shapes, deadlines)
 * and in-process caches (bounds, TTL options, imports).
 */
import { EVENT_METHODS } from './io';
import type { DriverFailures, LibraryRecord, RedisCommands } from './types';

/** The Redis protocol, as both ioredis and node-redis expose it. */
export const REDIS_COMMANDS: RedisCommands = {
  ttlTokens: ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL'],
  // the lower-case forms are other clients' (Upstash): accepted so that a TTL is seen there too
  ttlOptions: ['EX', 'PX', 'EXAT', 'PXAT', 'KEEPTTL', 'expiration', 'ex', 'px', 'exat', 'pxat', 'keepTtl'],
  expire: ['expire', 'pexpire', 'expireat', 'pexpireat'],
  set: ['set'],
  setIfAbsent: ['setnx'],
  hashWrites: ['hset', 'hmset', 'hsetnx'],
  multiWrites: ['mset', 'msetnx'],
  fillReads: ['get', 'hget', 'hgetall', 'hmget', 'exists', 'hexists', 'getex'],
  common: ['get', 'set', 'del', 'mget', 'mset', 'hget', 'hset', 'hgetall', 'hdel', 'expire', 'incr', 'decr', 'exists', 'setex', 'lpush', 'rpush', 'lrange', 'sadd', 'smembers', 'zadd', 'zrange', 'publish', 'eval'],
};

/** Read-only Redis commands (lower-case). */
const REDIS_READS = [
  'get', 'mget', 'hget', 'hmget', 'hgetall', 'hkeys', 'hvals', 'hlen', 'hexists', 'exists', 'ttl', 'pttl', 'type', 'strlen',
  'getrange', 'lrange', 'llen', 'lindex', 'smembers', 'sismember', 'smismember', 'scard', 'zrange', 'zrangebyscore',
  'zrevrange', 'zrevrangebyscore', 'zscore', 'zmscore', 'zrank', 'zrevrank', 'zcard', 'zcount', 'pfcount', 'getbit', 'bitcount',
];

const REDIS_FAILURES: DriverFailures = {
  timeout: { message: 'Command timed out', code: 'ETIMEDOUT' },
  error: { message: 'LOADING Redis is loading the dataset in memory', code: 'LOADING' },
  refused: { message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' },
};

export const CACHES: readonly LibraryRecord[] = [
  {
    id: 'ioredis',
    label: 'ioredis',
    modules: ['ioredis'],
    roles: ['cache'],
    signal: { dependency: 'server' },
    io: {
      kind: 'cache',
      factories: ['default', 'Redis', 'Cluster', 'default.Cluster'],
      local: [...EVENT_METHODS, 'multi', 'pipeline', 'duplicate', 'status', 'defineCommand'],
      promise: { returns: 'promise', except: ['disconnect'] },
      reads: REDIS_READS,
      failures: REDIS_FAILURES,
    },
    cache: { redis: REDIS_COMMANDS, setTtl: 'positional' },
    clientDeadlines: {
      factories: [[], ['Redis'], ['default']].map((path) => ({
        path, call: 'new' as const, options: 'last' as const, maxArgs: 3,
        deadlineOptions: ['commandTimeout', 'connectTimeout', 'socketTimeout'],
        write: [{ option: 'commandTimeout' }],
        // BullMQ's blocking connection: a command timeout would break BRPOP & co.
        exempt: { option: 'maxRetriesPerRequest', value: null },
      })),
      withoutDeadline: 'no command timeout: every command waits forever when Redis stalls',
    },
  },
  {
    id: 'redis',
    label: 'node-redis',
    modules: ['redis'],
    roles: ['cache'],
    signal: { dependency: 'server' },
    io: {
      kind: 'cache',
      factories: ['createClient', 'createCluster'],
      local: [...EVENT_METHODS, 'multi', 'duplicate', 'isOpen', 'isReady'],
      // before v4 the client API took callbacks
      promise: { returns: 'promise', versions: [{ range: '<4', returns: undefined }] },
      reads: REDIS_READS,
      failures: REDIS_FAILURES,
    },
    cache: { redis: REDIS_COMMANDS, setTtl: 'options', versions: [{ range: '<4', setTtl: 'positional' }] },
    clientDeadlines: { factories: [], defaultDeadline: { option: 'connectTimeout', ms: 5000 } },
  },
  {
    id: 'lru-cache',
    label: 'lru-cache',
    modules: ['lru-cache'],
    roles: ['cache'],
    cache: {
      constructors: [[], ['LRUCache'], ['default']],
      boundOptions: ['max', 'maxSize', 'ttl', 'maxAge', 'length'],
      ttlOption: { name: 'ttl', unit: 'ms' },
      sizeOption: 'max',
      import: { module: 'lru-cache', binding: 'LRUCache', kind: 'named' },
      versions: [
        { range: '<7', ttlOption: { name: 'maxAge', unit: 'ms' } },
        // the named export came with v10; before, the class is the default export
        { range: '<10', import: { module: 'lru-cache', binding: 'LRU', kind: 'default' } },
      ],
    },
  },
  {
    id: 'node-cache',
    label: 'node-cache',
    modules: ['node-cache'],
    roles: ['cache'],
    cache: {
      constructors: [[]],
      boundOptions: ['stdTTL', 'maxKeys'],
      unboundedValues: { stdTTL: '0', maxKeys: '-1' },
      ttlOption: { name: 'stdTTL', unit: 's' },
      setTtlArgument: 2,
    },
  },
];

/**
 * A cache client shared from a project module (`import { redis } from './cache'`): recognised by
 * the receiver's name, a common command, and a Redis client among the dependencies.
 */
export const SHARED_CACHE_CLIENT = {
  receiver: /^(redis|redisClient|cache|cacheClient)$/i,
  methods: REDIS_COMMANDS.common,
  drivers: ['ioredis', 'redis'] as readonly string[],
} as const;

/** Names of pub/sub connections: nothing awaits their commands, so a command timeout buys nothing. */
export const SUBSCRIBER_NAME = /subscri|pubsub|(^|[^a-z])sub([^a-z]|$)|listener/i;
