import { AnswerKnowledge } from './answer-knowledge';
import { KbAdmins } from './kb-admins';
import { KbChats } from './kb-chats';
import { KbCommandHandler } from './kb-command.handler';
import { KbProbeHandler } from './kb-probe.handler';
import { knowledgeProviders } from './knowledge.providers';
import { KnowledgeWorkerService } from './knowledge-worker.service';
import { RecapJobHandler } from './recap-job.handler';

export { AnswerKnowledge } from './answer-knowledge';

/** Everything the llm-worker needs for recaps and the knowledge base (one line in the module). */
export const KNOWLEDGE_PROVIDERS = [
  ...knowledgeProviders,
  AnswerKnowledge,
  KbAdmins,
  KbChats,
  KbCommandHandler,
  KbProbeHandler,
  RecapJobHandler,
  KnowledgeWorkerService,
];
