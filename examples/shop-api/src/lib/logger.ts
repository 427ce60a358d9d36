import pino from 'pino';

export const logger = pino({ name: 'shop-api', level: process.env.LOG_LEVEL ?? 'info' });
