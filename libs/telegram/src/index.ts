export * from './message-kind';
export * from './names';
export * from './chat-ref';
export * from './message-fact';
export * from './chat-member-fact';
export * from './reaction-facts';
export * from './classify-update';
export * from './update-schema';
