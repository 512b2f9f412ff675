import { AssistantSessionRepository, AssistantUserBudgetRepository, ModePrompts } from '@kraken/assistant';
import { PrismaService } from '@kraken/db';
import { ModelRegistry, ModelRegistryRepository, UsageReportRepository } from '@kraken/llm';
import type { Provider } from '@nestjs/common';
import { AssistantCallbackHandler } from './assistant-callback.handler';
import { AssistantCommandHandler } from './assistant-command.handler';
import { AssistantFileHandler } from './assistant-file.handler';
import { AssistantMessageHandler } from './assistant-message.handler';
import { AssistantReplies } from './assistant-replies';
import { AssistantRequestLock } from './assistant-request-lock';
import { AssistantSessions } from './assistant-sessions';
import { AssistantVoiceHandler } from './assistant-voice.handler';
import { AssistantUserBudget } from './assistant-user-budget';
import { AssistantWorkerService } from './assistant-worker.service';
import { KRAKEN_VERSION, readKrakenVersion } from './kraken-version';

/** The private assistant's part of the llm-worker: repositories, the model registry, mode presets, handlers and its worker. */
export const ASSISTANT_PROVIDERS: Provider[] = [
  { provide: AssistantSessionRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new AssistantSessionRepository(prisma) },
  { provide: ModelRegistryRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new ModelRegistryRepository(prisma) },
  { provide: ModelRegistry, inject: [ModelRegistryRepository], useFactory: (repository: ModelRegistryRepository) => new ModelRegistry(repository) },
  { provide: UsageReportRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new UsageReportRepository(prisma) },
  { provide: ModePrompts, useFactory: () => new ModePrompts(process.cwd()) },
  { provide: KRAKEN_VERSION, useFactory: () => readKrakenVersion() },
  { provide: AssistantUserBudgetRepository, inject: [PrismaService], useFactory: (prisma: PrismaService) => new AssistantUserBudgetRepository(prisma) },
  AssistantReplies,
  AssistantRequestLock,
  AssistantUserBudget,
  AssistantSessions,
  AssistantVoiceHandler,
  AssistantFileHandler,
  AssistantMessageHandler,
  AssistantCommandHandler,
  AssistantCallbackHandler,
  AssistantWorkerService,
];
