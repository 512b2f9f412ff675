export * from './month';
export * from './fact-batch';
export * from './fact-writer';
export * from './fact-batcher';
export * from './monthly-stats';
export * from './text-retention';
export * from './member-count-snapshot';
export * from './known-chats';
