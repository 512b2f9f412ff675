import { crc32, deflateSync } from 'node:zlib';
import type { ImagesResponse } from 'openai/resources/images';
import type { FakeImageRequest } from './fake-llm-types';

/**
 * A real PNG (https://www.w3.org/TR/png/): `width`×`height`, 8-bit RGB, filled with one colour.
 * A solid 1024×1024 picture deflates to a few kilobytes.
 */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const pixels = Buffer.concat(new Array<Buffer>(height).fill(row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** The picture the fake draws for a prompt: the requested `size` (`auto` and unparsable sizes → 1024×1024), a colour hashed from prompt and index. */
export function fakeImage(prompt: string, size: string | undefined | null, index: number): Buffer {
  const [width, height] = /^(\d+)x(\d+)$/.exec(size ?? '')?.slice(1).map(Number) ?? [1024, 1024];
  let hash = 2166136261;
  for (const char of `${index}:${prompt}`) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
  return solidPng(width, height, [hash & 0xff, (hash >>> 8) & 0xff, (hash >>> 16) & 0xff]);
}

/**
 * The `/images/generations` answer (https://platform.openai.com/docs/api-reference/images/create):
 * gpt-image models always answer `b64_json` with token `usage`; other models (dall-e-2/3) answer
 * `url` unless `response_format: "b64_json"`; each URL points at `urlOf(index)`.
 */
export function imagesResponse(request: FakeImageRequest, urlOf: (index: number) => string, revisedPrompt?: string): ImagesResponse {
  const model = request.body.model ?? 'dall-e-2';
  const asBase64 = model.startsWith('gpt-image') || request.body.response_format === 'b64_json';
  const data = request.output.map((png, index) => ({
    ...(asBase64 ? { b64_json: png.toString('base64') } : { url: urlOf(index) }),
    ...(revisedPrompt ? { revised_prompt: revisedPrompt } : {}),
  }));
  const answer: ImagesResponse = { created: Math.floor(Date.now() / 1000), data };
  if (model.startsWith('gpt-image')) {
    const input = Math.ceil(request.body.prompt.length / 4);
    const output = 272 * request.output.length; // OpenAI's low-quality 1024×1024 output, per image
    answer.usage = { input_tokens: input, output_tokens: output, total_tokens: input + output, input_tokens_details: { text_tokens: input, image_tokens: 0 } };
  }
  return answer;
}
