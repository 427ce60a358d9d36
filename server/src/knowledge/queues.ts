/**
 * Queues and message brokers: clients, processors (jobs that must be monitored), the events
 * that report failures, and what depending on them says about a package (a long-running service).
 */
import { EVENT_METHODS } from './io';
import type { LibraryRecord } from './types';

export const QUEUES: readonly LibraryRecord[] = [
  {
    id: 'bullmq',
    label: 'BullMQ',
    modules: ['bullmq'],
    roles: ['queue', 'worker'],
    signal: { dependency: 'server' },
    io: {
      kind: 'queue',
      factories: ['Queue', 'Worker', 'QueueEvents', 'FlowProducer'],
      local: [...EVENT_METHODS, 'name'],
      promise: { returns: 'promise' },
      reads: ['getjob', 'getjobs', 'getjobcounts', 'getwaiting', 'getactive', 'getcompleted', 'getfailed', 'getdelayed'],
    },
    scheduler: {
      jobs: [{ call: 'new', path: ['Worker'], callback: 1, name: { argument: 0 }, processor: true }],
      failureEvents: ['failed', 'error'],
      failureListeners: [['QueueEvents']],
    },
  },
  {
    id: 'bull',
    label: 'Bull',
    modules: ['bull'],
    roles: ['queue', 'worker'],
    signal: { dependency: 'service' },
    // queue.process([name], [concurrency], fn) on a queue made by `new Queue()` / `Queue()`
    scheduler: { jobs: [{ call: 'method', path: ['process'], callback: 'last', name: { argument: 0 }, processor: true }], failureEvents: ['failed', 'error'] },
  },
  {
    id: 'agenda',
    label: 'Agenda',
    modules: ['agenda', '@hokify/agenda'],
    roles: ['queue', 'scheduler', 'worker'],
    signal: { dependency: 'service' },
    // agenda.define('name', [options], fn)
    scheduler: { jobs: [{ call: 'method', path: ['define'], callback: 'last', name: { argument: 0 }, processor: true }], failureEvents: ['fail', 'fail:'] },
    note: '@hokify/agenda is the maintained fork; `fail:` is the prefix of `fail:<job name>` events.',
  },
  {
    id: 'amqplib',
    label: 'amqplib',
    modules: ['amqplib'],
    roles: ['queue', 'messaging'],
    signal: { dependency: 'service' },
  },
  {
    id: 'kafkajs',
    label: 'KafkaJS',
    modules: ['kafkajs'],
    roles: ['queue', 'messaging'],
    signal: { dependency: 'service' },
  },
  {
    id: 'temporal-worker',
    label: 'Temporal worker',
    modules: ['@temporalio/worker'],
    roles: ['workflow', 'worker'],
    signal: { dependency: 'service' },
  },
];
