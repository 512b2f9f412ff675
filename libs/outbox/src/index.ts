export { OutboxModule } from './outbox.module';
export { OutboxWorker, outboxWorkerOptions, OUTBOX_MAX_STALLED_COUNT } from './outbox-worker';
export { bullRootModule } from './bull-root.module';
export { OutboxService, DEFAULT_CALL_TIMEOUT_MS, type SendOptions, type CallOptions } from './outbox.service';
export { OutboxCallFailedError, type OutboxCallFailure } from './outbox-call-failed.error';
export { isUnparsableEntities } from './telegram-failure';
export { OutboxProcessor, REQUEST_TIMEOUT_MS } from './outbox.processor';
export {
  OUTBOX_JOB_OPTIONS,
  OUTBOX_ATTEMPTS,
  OUTBOX_BACKOFF_TYPE,
  OUTBOX_BACKOFF_BASE_MS,
  OUTBOX_BACKOFF_CAP_MS,
  outboxBackoffDelayMs,
  outboxBackoffStrategy,
  type OutboxJobData,
} from './outbox-job';
export { outboxUpload, isOutboxUpload, type OutboxUpload } from './outbox-upload';
export { sentMarkerKey } from './outbox-keys';
export { isGroupChat, type ChatLimits } from './chat-rate-limiter';
export { ChatAdmins, chatAdminsKey, changesAnAdmin, ADMIN_STATUSES, type ChatAdminsOptions, type ChatMemberChange } from './chat-admins';
