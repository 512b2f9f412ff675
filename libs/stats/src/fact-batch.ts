import type { ChatMemberFact, ChatSeenFact, MessageFact, ReactionCountFact, ReactionFact } from '@kraken/contracts';

/** Facts written together by FactWriter. */
export interface FactBatch {
  messages: MessageFact[];
  chatMembers: ChatMemberFact[];
  reactionCounts: ReactionCountFact[];
  reactions: ReactionFact[];
  chatsSeen: ChatSeenFact[];
}

/** A fact tagged with its kind, as queued in FactBatcher. */
export type TaggedFact =
  | { kind: 'message'; fact: MessageFact }
  | { kind: 'chatMember'; fact: ChatMemberFact }
  | { kind: 'reactionCount'; fact: ReactionCountFact }
  | { kind: 'reaction'; fact: ReactionFact }
  | { kind: 'chatSeen'; fact: ChatSeenFact };

/** Groups tagged facts into a FactBatch. */
export function toBatch(facts: TaggedFact[]): FactBatch {
  const batch: FactBatch = { messages: [], chatMembers: [], reactionCounts: [], reactions: [], chatsSeen: [] };
  for (const item of facts) {
    if (item.kind === 'message') batch.messages.push(item.fact);
    else if (item.kind === 'chatMember') batch.chatMembers.push(item.fact);
    else if (item.kind === 'reactionCount') batch.reactionCounts.push(item.fact);
    else if (item.kind === 'chatSeen') batch.chatsSeen.push(item.fact);
    else batch.reactions.push(item.fact);
  }
  return batch;
}
