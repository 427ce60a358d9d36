/**
 * Graceful-shutdown and health libraries: which process events they handle for the app, and
 * whether they also serve health endpoints.
 */
import type { LibraryRecord } from './types';

export const SHUTDOWN_LIBRARIES: readonly LibraryRecord[] = [
  { id: 'close-with-grace', label: 'close-with-grace', modules: ['close-with-grace'], roles: ['shutdown'], shutdown: { handles: ['SIGTERM', 'unhandledRejection'] } },
  { id: 'terminus', label: '@godaddy/terminus', modules: ['@godaddy/terminus'], roles: ['shutdown', 'health'], shutdown: { handles: ['SIGTERM'], health: true } },
  { id: 'lightship', label: 'lightship', modules: ['lightship'], roles: ['shutdown', 'health'], shutdown: { handles: ['SIGTERM'], health: true } },
  { id: 'http-terminator', label: 'http-terminator', modules: ['http-terminator'], roles: ['shutdown'], shutdown: { handles: ['SIGTERM'] } },
  { id: 'stoppable', label: 'stoppable', modules: ['stoppable'], roles: ['shutdown'], shutdown: { handles: ['SIGTERM'] } },
  { id: 'http-graceful-shutdown', label: 'http-graceful-shutdown', modules: ['http-graceful-shutdown'], roles: ['shutdown'], shutdown: { handles: ['SIGTERM'] } },
];

/** Process events that mean shutdown or crash handling. */
export const SHUTDOWN_EVENTS: readonly string[] = ['SIGTERM', 'SIGINT', 'unhandledRejection', 'uncaughtException'];
