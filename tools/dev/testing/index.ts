export * from './bot-api-emulator';
export * from './app-process';
export * from './queue-idle';
export * from './fake-llm';
export * from './webhook';
export * from './audio-duration';
export * from './test-database';
export * from './test-prisma';
