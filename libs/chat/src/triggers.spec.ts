import type { Message } from 'telegraf/types';
import { botNamePattern, explicitTrigger, isQuestion, isRecapRequest, mentionsBot, parseCommand } from './triggers';

const bot = { id: 42, username: 'KrakenBot' };
const names = botNamePattern(['Кракен', 'Kraken']);
const group = { id: -1, type: 'supergroup' };
/** A message with the fields under test (a fixture: only the fields the code reads, hence the cast). */
const msg = (text: string, extra: Record<string, unknown> = {}) => ({ message_id: 1, date: 0, chat: group, from: { id: 7, first_name: 'A' }, text, ...extra }) as unknown as Message;

describe('triggers', () => {
  it.each(['Кракен, что нового?', 'кракен: расскажи', 'КРАКЕН как дела', 'Kraken!', '  kraken — привет', 'Кракен'])('a bot name at the start triggers: %s', (text) => {
    expect(explicitTrigger(msg(text), bot, names)).toBe('name');
  });

  it.each(['Кракенский флот', 'Привет, Кракен', 'krakens are big', 'Ну что'])('other texts do not: %s', (text) => {
    expect(explicitTrigger(msg(text), bot, names)).toBeNull();
  });

  it('recognises @mentions (any case), text mentions, replies to the bot and private chats', () => {
    expect(mentionsBot(msg('эй @krakenbot глянь', { entities: [{ type: 'mention', offset: 3, length: 10 }] }), bot)).toBe(true);
    expect(explicitTrigger(msg('эй @OtherBot', { entities: [{ type: 'mention', offset: 3, length: 9 }] }), bot, names)).toBeNull();
    expect(explicitTrigger(msg('эй ты', { entities: [{ type: 'text_mention', offset: 3, length: 2, user: { id: 42 } }] }), bot, names)).toBe('mention');
    expect(explicitTrigger(msg('а почему', { reply_to_message: { message_id: 5, date: 0, from: { id: 42 } } }), bot, names)).toBe('reply');
    expect(explicitTrigger(msg('привет', { chat: { id: 7, type: 'private' } }), bot, names)).toBe('private');
  });

  it('questions end in ? and are long enough', () => {
    expect(isQuestion('Кто идёт на встречу?', 12)).toBe(true);
    expect(isQuestion('Кто?', 12)).toBe(false);
    expect(isQuestion('Кто идёт на встречу? Я', 12)).toBe(false);
  });

  it('parses commands for this bot only', () => {
    expect(parseCommand('/usage', 'KrakenBot')).toEqual({ command: 'usage', args: '' });
    expect(parseCommand('/Policy@krakenbot  quiet', 'KrakenBot')).toEqual({ command: 'policy', args: 'quiet' });
    expect(parseCommand('/usage@OtherBot', 'KrakenBot')).toBeNull();
    expect(parseCommand('usage', 'KrakenBot')).toBeNull();
  });

  it.each(['Кракен, что тут было?', 'кракен что я пропустил', 'Kraken, what did I miss?', 'KRAKEN: catch me up', 'Кракен, сводку!'])('a recap request: %s', (text) => {
    expect(isRecapRequest(text, names)).toBe(true);
  });

  it.each(['Что тут было?', 'Кракен, что было на встрече в понедельник важного для всех кто пропустил и вообще', 'Привет, Кракен, что тут было?', 'Кракен, как дела?', 'Kraken, what is the rule?', 'Кракен, о чём тут говорили?'])('not a recap request: %s', (text) => {
    expect(isRecapRequest(text, names)).toBe(false);
  });

});
