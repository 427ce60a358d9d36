/**
 * Telemetry: metrics, tracing, error tracking, and the libraries that carry a request or trace
 * id (into log lines, for `log-injector`).
 */
import type { LibraryRecord } from './types';

export const TELEMETRY: readonly LibraryRecord[] = [
  { id: 'prom-client', label: 'prom-client', modules: ['prom-client'], roles: ['metrics'] },
  { id: 'hot-shots', label: 'hot-shots', modules: ['hot-shots'], roles: ['metrics'] },
  { id: 'statsd-client', label: 'statsd-client', modules: ['statsd-client'], roles: ['metrics'] },
  { id: 'otel-metrics', label: '@opentelemetry/api-metrics', modules: ['@opentelemetry/api-metrics'], roles: ['metrics', 'tracing'] },
  {
    id: 'opentelemetry',
    label: 'OpenTelemetry',
    modules: ['@opentelemetry/*'],
    roles: ['tracing'],
    note: 'The whole @opentelemetry scope (api, sdk-node, auto-instrumentations-node, exporters, …).',
  },
  { id: 'otel-pino', label: '@opentelemetry/instrumentation-pino', modules: ['@opentelemetry/instrumentation-pino'], roles: ['tracing', 'correlation', 'log-injector'] },
  { id: 'otel-winston', label: '@opentelemetry/instrumentation-winston', modules: ['@opentelemetry/instrumentation-winston'], roles: ['tracing', 'correlation', 'log-injector'] },
  { id: 'dd-trace', label: 'dd-trace', modules: ['dd-trace'], roles: ['tracing'] },
  { id: 'sentry', label: 'Sentry', modules: ['@sentry/*'], roles: ['error-tracking', 'tracing'] },
  // request context and ids
  { id: 'cls-rtracer', label: 'cls-rtracer', modules: ['cls-rtracer'], roles: ['correlation', 'log-injector'] },
  { id: 'express-request-id', label: 'express-request-id', modules: ['express-request-id'], roles: ['correlation'] },
  { id: 'cls-hooked', label: 'cls-hooked', modules: ['cls-hooked'], roles: ['correlation'] },
  { id: 'express-http-context', label: 'express-http-context', modules: ['express-http-context'], roles: ['correlation', 'log-injector'] },
  { id: 'express-request-context', label: 'express-request-context', modules: ['express-request-context'], roles: ['correlation', 'log-injector'] },
  { id: 'nestjs-cls', label: 'nestjs-cls', modules: ['nestjs-cls'], roles: ['correlation', 'log-injector'] },
  { id: 'fastify-request-context', label: '@fastify/request-context', modules: ['@fastify/request-context'], roles: ['correlation', 'log-injector'] },
];
