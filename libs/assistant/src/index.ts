export * from './session.repository';
export * from './modes';
export * from './callback-data';
export * from './session-prompt';
export * from './assistant-texts';
export * from './document-text';
export * from './file-texts';
export * from './document-digest';
