/**
 * Structured loggers: their call shapes (argument order, the error key, reserved fields) and
 * how a fix creates a module logger. NestJS's Logger is a facet of `@nestjs/common` (frameworks.ts).
 */
import type { LibraryRecord, LoggerShape, LoggerStyle } from './types';

/** How each logger style is called. */
export const LOGGER_SHAPES: Readonly<Record<LoggerStyle, LoggerShape>> = {
  pino: { style: 'pino', order: 'object-first', errorKey: 'err', reserved: ['level', 'time', 'msg', 'pid', 'hostname'] },
  bunyan: { style: 'bunyan', order: 'object-first', errorKey: 'err', reserved: ['level', 'time', 'msg', 'pid', 'hostname', 'v', 'name', 'src'] },
  winston: { style: 'winston', order: 'message-first', errorKey: 'error', reserved: ['level', 'message'] },
  log4js: { style: 'log4js', order: 'message-args', reserved: [] },
  // Nest's Logger takes (message, ...optionalParams): error(message, stack); fields go in an object message
  nestjs: { style: 'nestjs', order: 'message-stack', methods: { info: 'log' }, reserved: ['message'] },
};

export const LOGGERS: readonly LibraryRecord[] = [
  {
    id: 'pino',
    label: 'pino',
    modules: ['pino'],
    roles: ['logger'],
    signal: { dependency: 'service' },
    logger: {
      style: 'pino',
      priority: 0,
      create: { import: { binding: 'pino', kind: 'default' }, declaration: 'const {name} = pino({ name: {label} })' },
    },
  },
  {
    id: 'winston',
    label: 'winston',
    modules: ['winston'],
    roles: ['logger'],
    signal: { dependency: 'service' },
    logger: {
      style: 'winston',
      priority: 1,
      create: {
        import: { binding: 'winston', kind: 'default' },
        declaration: 'const {name} = winston.createLogger({ format: winston.format.json(), defaultMeta: { module: {label} }, transports: [new winston.transports.Console()] })',
      },
    },
  },
  {
    id: 'bunyan',
    label: 'bunyan',
    modules: ['bunyan'],
    roles: ['logger'],
    signal: { dependency: 'service' },
    logger: {
      style: 'bunyan',
      priority: 2,
      create: { import: { binding: 'bunyan', kind: 'default' }, declaration: 'const {name} = bunyan.createLogger({ name: {label} })' },
    },
  },
  {
    id: 'log4js',
    label: 'log4js',
    modules: ['log4js'],
    roles: ['logger'],
    signal: { dependency: 'service' },
    logger: {
      style: 'log4js',
      priority: 3,
      create: { import: { binding: 'log4js', kind: 'default' }, declaration: 'const {name} = log4js.getLogger({label})' },
    },
  },
  {
    id: 'pino-http',
    label: 'pino-http',
    modules: ['pino-http'],
    roles: ['request-logger', 'correlation'],
    // `app.use(pinoHttp())` gives every request `req.log`, a child logger with the request id
    middleware: { import: { binding: 'pinoHttp', kind: 'default' }, mount: '{app}.use(pinoHttp())' },
  },
  {
    id: 'nestjs-pino',
    label: 'nestjs-pino',
    modules: ['nestjs-pino'],
    roles: ['request-logger', 'correlation', 'log-injector'],
  },
];

/** The request-scoped logger a framework or middleware gives a handler: `{req}.log`. */
export const REQUEST_LOGGER = '{req}.log';
