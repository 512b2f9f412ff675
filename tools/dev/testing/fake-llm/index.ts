export * from './fake-llm-server';
export * from './fake-llm-types';
export { fakeEmbedding, FAKE_EMBEDDING_DIMENSIONS } from './fake-embedding';
export { messageText } from './content-parts';
export { solidPng } from './image-generations';
