/** The digest-worker's settings; the schema lives with the others in @kraken/config. */
export { digestWorkerEnv, type DigestWorkerEnv } from '@kraken/config';
