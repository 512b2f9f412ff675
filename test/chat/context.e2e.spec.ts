import { ContextJob, type MessageFact, QueueName, updateJobId } from '@kraken/contracts';
import { countMessagesTokens } from '@kraken/llm';
import { messageText } from '@kraken/testing';
import { ChatHarness } from './chat-harness';

const anna = { id: 701, first_name: 'Anna' };
const boris = { id: 702, first_name: 'Boris' };
const userText = (h: ChatHarness, i = -1) => messageText(h.llm().requests.at(i)!.body.messages.find((m) => m.role === 'user')!.content);

describe('what the LLM receives: rolling context, replies, forwards, the 2-hour window and the budget', () => {
  const h = new ChatHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('sends the forwarded post with its source and the replied-to message, nothing older than 2 hours', async () => {
    const chat = { id: -3001 };
    await h.send(chat, boris, 'СТАРОЕ сообщение, которому уже больше двух часов');
    await h.idle();
    h.clock.advance(2 * 3600_000 + 60_000);
    await h.send(chat, boris, 'Свежая новость', {
      forward_origin: { type: 'channel', chat: { id: -100777, type: 'channel', title: 'Habr', username: 'habr' }, message_id: 5, date: 1 },
    });
    await h.send(chat, anna, 'Подпись к фото', { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], text: undefined, caption: 'Подпись к фото' });
    const claim = await h.send(chat, boris, 'Релиз выйдет в пятницу');
    await h.idle();
    const ask = await h.send(chat, anna, 'Кракен, это правда?', { reply_to_message: claim });
    await h.waitForReplies(chat.id, ask.message_id);
    const prompt = userText(h);
    expect(prompt).toMatch(/#\d+ \d\d:\d\d "Boris" \[forwarded from channel "Habr" @habr\]: "Свежая новость"/);
    expect(prompt).toMatch(/"Anna" \[photo\]: "Подпись к фото"/);
    expect(prompt).toMatch(new RegExp(`The message being replied to:\\n#${claim.message_id} \\d\\d:\\d\\d "Boris": "Релиз выйдет в пятницу"`));
    expect(prompt).toMatch(new RegExp(`Answer this message[^\\n]*\\n#${ask.message_id} \\d\\d:\\d\\d "Anna" \\(reply to #${claim.message_id}\\): "Кракен, это правда\\?"$`));
    expect(prompt).not.toContain('СТАРОЕ');
    expect(h.llm().requests.at(-1)!.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('Ты — Кракен') });
  });

  it('stays within the 1,500-token budget with 5,000 messages in the window', async () => {
    const chat = { id: -3002 };
    const now = Math.floor(h.clock.now() / 1000);
    const facts: MessageFact[] = Array.from({ length: 5000 }, (_, i) => ({
      updateId: 900_000 + i,
      chat: { id: chat.id, type: 'supergroup', title: 'Busy' },
      messageId: 10_000 + i,
      date: now - 5000 + i,
      sender: { id: 800 + (i % 50), kind: 'user', name: `User ${i % 50}`, isBot: false },
      kind: 'text',
      text: `Сообщение ${i}: ${'обсуждаем релиз и планы '.repeat(1 + (i % 13))}`,
      textLength: 10,
    }));
    await h.queue(QueueName.ChatContext).addBulk(facts.map((fact) => ({ name: ContextJob.Message, data: fact, opts: { jobId: updateJobId(fact.updateId) } })));
    await h.idle(60_000);
    const ask = await h.send(chat, anna, 'Кракен, о чём тут говорили?');
    await h.waitForReplies(chat.id, ask.message_id);
    const request = h.llm().requests.at(-1)!.body;
    const tokens = countMessagesTokens(request.messages as never, request.model);
    expect(tokens).toBeLessThanOrEqual(1500);
    expect(tokens).toBeGreaterThan(1200);
    expect(userText(h)).toContain('#14999 ');
    expect(userText(h)).not.toContain('#10000 ');
  });

  it('never serves one person’s cached answer to another: the same question from a second member asks the LLM', async () => {
    const chat = { id: -3003 };
    await h.send(chat, boris, 'Встреча в пятницу в семь');
    await h.idle();
    const before = h.llm().requests.length;
    const q1 = await h.send(chat, anna, 'Кракен, когда встреча?');
    const [first] = await h.waitForReplies(chat.id, q1.message_id);
    await h.idle();
    const q2 = await h.send(chat, boris, 'Кракен, когда встреча?');
    const [second] = await h.waitForReplies(chat.id, q2.message_id);
    expect(h.llm().requests.length).toBe(before + 2);
    expect(second.params.text).not.toBe(first.params.text);
  });

  it('private chats never share cache entries, even for identical prompts', async () => {
    // Two people with the same name send the same first message in their private chats in the same
    // minute: the prompts are byte-identical, the chats are not.
    const before = h.llm().requests.length;
    const anya1 = { id: 3101, first_name: 'Аня' };
    const anya2 = { id: 3102, first_name: 'Аня' };
    const m1 = await h.send({ id: anya1.id }, anya1, 'привет');
    const [r1] = await h.waitForReplies(anya1.id, m1.message_id);
    const m2 = await h.send({ id: anya2.id }, anya2, 'привет');
    const [r2] = await h.waitForReplies(anya2.id, m2.message_id);
    const [p1, p2] = h.llm().requests.slice(before).map((r) => JSON.stringify(r.body.messages));
    expect(p2).toBe(p1);
    expect(h.llm().requests.length).toBe(before + 2);
    expect(r2.params.text).not.toBe(r1.params.text);
  });

  it('emoji-only and media-only triggers do not collapse onto one cache entry', async () => {
    // Replies to Kraken in a group (a private chat is the assistant's, which answers only text).
    const chat = { id: -3007 };
    const vera = { id: 3201, first_name: 'Vera' };
    const hello = await h.send(chat, vera, 'Кракен, привет');
    const [greeting] = await h.waitForReplies(chat.id, hello.message_id);
    await h.idle();
    const reply = { reply_to_message: h.botMessage(greeting) };
    const sticker = (id: string) => ({ text: undefined, sticker: { file_id: id, file_unique_id: id, type: 'regular', width: 1, height: 1, is_animated: false, is_video: false }, ...reply });
    const before = h.llm().requests.length;
    const triggers = [await h.send(chat, vera, '👍', reply), await h.send(chat, vera, '🔥', reply), await h.send(chat, vera, '', sticker('s1')), await h.send(chat, vera, '', sticker('s2'))];
    const replies = [];
    for (const m of triggers) {
      replies.push((await h.waitForReplies(chat.id, m.message_id))[0].params.text);
      await h.idle();
    }
    expect(h.llm().requests.length).toBe(before + triggers.length);
    expect(new Set(replies).size).toBe(triggers.length);
  });

  it('names Kraken one way in the context and in the replied-to message, and dates yesterday’s messages (issue 9)', async () => {
    const chat = { id: -3004 };
    // 23:40 in Moscow (UTC+3) of the next day the clock reaches, so the answer is yesterday's by the follow-up.
    const day = 86_400_000;
    const target = Math.ceil((h.clock.now() + 3 * 3600_000) / day) * day - 3 * 3600_000 - 20 * 60_000;
    h.clock.advance(target - h.clock.now());
    const ask = await h.send(chat, anna, 'Кракен, как тебя зовут?');
    const [answer] = await h.waitForReplies(chat.id, ask.message_id);
    await h.idle();
    h.clock.advance(40 * 60_000);
    const followUp = await h.send(chat, anna, 'а полное имя?', { reply_to_message: h.botMessage(answer) });
    await h.waitForReplies(chat.id, followUp.message_id);
    const prompt = userText(h);
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date(target));
    const answerLine = new RegExp(`#${h.botMessage(answer).message_id} ${date} 23:40 you[^\\n]*: `);
    expect(prompt).toMatch(answerLine);
    expect(prompt.split('The message being replied to:\n')[1]).toMatch(answerLine);
    expect(prompt).toMatch(new RegExp(`#${ask.message_id} ${date} 23:40 "Anna": "Кракен, как тебя зовут\\?"`));
    expect(prompt).toMatch(new RegExp(`#${followUp.message_id} 00:20 "Anna" \\(reply to #\\d+\\): "а полное имя\\?"$`));
    expect(prompt).not.toContain('Kraken Test Bot');
  });
});
