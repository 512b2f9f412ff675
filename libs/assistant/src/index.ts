export * from './session.repository';
export * from './modes';
export * from './callback-data';
export * from './session-prompt';
export * from './assistant-texts';
export * from './limit-texts';
export * from './user-budget.repository';
