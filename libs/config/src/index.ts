export * from './env.schema';
export * from './load-config';
export * from './kraken-config.module';
export * from './logger.module';
export * from './chat.env';
export * from './ops-env';
export * from './digest.env';
export * from './api.env';
