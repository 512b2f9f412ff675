import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { FakeContextMessage, FakeImageInput } from './fake-llm-types';

/**
 * The text of a message content as the model reads it: a string as is, or the `text` /
 * `input_text` / `output_text` parts of a content-part array joined with `\n` (images and audio
 * parts carry no text). Use it in tests instead of assuming `content` is a string.
 */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((part): part is { text: string } => typeof part?.text === 'string')
    .map((part) => part.text)
    .join('\n');
}

/** `image_url` parts of chat messages (https://platform.openai.com/docs/guides/images-vision). */
export function chatImages(messages: ChatCompletionMessageParam[]): FakeImageInput[] {
  const images: FakeImageInput[] = [];
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as Array<{ type?: string; image_url?: { url: string; detail?: string } }>) {
      if (part.type === 'image_url' && part.image_url) images.push(imageInput(message.role, part.image_url.url, part.image_url.detail));
    }
  }
  return images;
}

/**
 * Normalises a Responses API `input` (a string, or items: messages with string or part-array
 * content, function-call outputs…) to context messages and the `input_image` parts it holds.
 * Items without a role (tool calls and outputs) become `{ role: item.type, text: output ?? '' }`.
 */
export function responsesInput(input: unknown): { messages: FakeContextMessage[]; images: FakeImageInput[] } {
  if (typeof input === 'string') return { messages: [{ role: 'user', text: input }], images: [] };
  const messages: FakeContextMessage[] = [];
  const images: FakeImageInput[] = [];
  for (const item of Array.isArray(input) ? (input as Array<Record<string, unknown>>) : []) {
    const role = typeof item.role === 'string' ? item.role : String(item.type ?? 'item');
    if (Array.isArray(item.content)) {
      for (const part of item.content as Array<Record<string, unknown>>) {
        if (part.type === 'input_image' && typeof part.image_url === 'string') images.push(imageInput(role, part.image_url, part.detail as string | undefined));
      }
    }
    messages.push({ role, text: item.content !== undefined ? messageText(item.content) : typeof item.output === 'string' ? item.output : '' });
  }
  return { messages, images };
}

function imageInput(role: string, url: string, detail?: string): FakeImageInput {
  const image: FakeImageInput = { role, url, ...(detail ? { detail } : {}) };
  const data = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(url);
  if (data) {
    image.mimeType = data[1] ?? 'text/plain';
    image.data = data[2] ? Buffer.from(data[3], 'base64') : Buffer.from(decodeURIComponent(data[3]));
  }
  return image;
}
