export * from './queue-names';
export * from './telegram-facts';
export * from './outbox-call';
export * from './job-ids';
export * from './job-options';
export * from './redis-connection';
export * from './allowed-updates';
