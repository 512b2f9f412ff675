export * from './session.repository';
export * from './modes';
export * from './callback-data';
export * from './session-prompt';
export * from './assistant-texts';
export * from './audio-upload';
export * from './voice-texts';
