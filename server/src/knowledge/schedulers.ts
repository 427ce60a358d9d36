/**
 * Schedulers: where a timer job's callback and name are, and the events that report its failures.
 * Queue processors (BullMQ, Bull, Agenda) are in queues.ts.
 */
import type { LibraryRecord } from './types';

export const SCHEDULERS: readonly LibraryRecord[] = [
  {
    id: 'node-cron',
    label: 'node-cron',
    modules: ['node-cron'],
    roles: ['scheduler'],
    signal: { dependency: 'service' },
    // cron.schedule(expression, fn, { name })
    scheduler: { jobs: [{ call: 'call', path: ['schedule'], callback: 1, name: { argument: 2, option: 'name' }, minArgs: 2 }], failureEvents: ['task-failed', 'execution:failed'] },
  },
  {
    id: 'cron',
    label: 'cron',
    modules: ['cron'],
    roles: ['scheduler'],
    signal: { dependency: 'service' },
    scheduler: {
      jobs: [
        // CronJob.from({ cronTime, onTick, name, errorHandler })
        { call: 'call', path: ['CronJob', 'from'], callback: { option: 'onTick' }, name: { argument: 0, option: 'name' }, errorHandlerOption: 'errorHandler' },
        // new CronJob({ cronTime, onTick }) / new CronJob(cronTime, onTick, …)
        { call: 'new', path: ['CronJob'], callback: { option: 'onTick' }, errorHandlerOption: 'errorHandler' },
        { call: 'new', path: ['CronJob'], callback: 1, minArgs: 2, maxArgs: 10 },
      ],
      failureEvents: ['job failed'],
    },
  },
  {
    id: 'node-schedule',
    label: 'node-schedule',
    modules: ['node-schedule'],
    roles: ['scheduler'],
    // schedule.scheduleJob([name], rule, fn) — also on a Job
    scheduler: { jobs: [{ call: 'call', path: ['scheduleJob'], callback: 'last', name: { argument: 0, minArgs: 3 }, minArgs: 2 }], failureEvents: ['error'] },
  },
];
