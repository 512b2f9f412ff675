import { escapeHtml, type BotLanguage } from '@kraken/chat';
import type { DocumentRefusalCode } from './document-text';

/** The assistant's texts about photos and documents (Telegram HTML; every value put in is escaped here). */
export interface AssistantFileTexts {
  /** The question sent with a photo or image without a caption. */
  describePrompt: string;
  /** The question sent with a document without a caption. */
  documentPrompt: string;
  /** The stored question turn of a document: `📄 name: caption`. */
  documentTurn(fileName: string, caption: string): string;
  /** The stored question turn of a photo or image. */
  imageTurn(caption: string): string;
  /** Sent when the session's model cannot see; `offer` is the vision model the button switches to, if any. */
  noVision(model: string, offer: string | null): string;
  visionButton(model: string): string;
  refused: Record<DocumentRefusalCode, string>;
}

const MB = 20;

/** The texts in Russian and English. */
export const ASSISTANT_FILE_TEXTS: Record<BotLanguage, AssistantFileTexts> = {
  ru: {
    describePrompt: 'Опиши, что на изображении.',
    documentPrompt: 'Кратко перескажи этот документ.',
    documentTurn: (name, caption) => `📄 ${name}: ${caption}`,
    imageTurn: (caption) => `🖼 ${caption}`,
    noVision: (model, offer) =>
      `Модель <code>${escapeHtml(model)}</code> не видит изображений.` + (offer ? ` Переключиться на <code>${escapeHtml(offer)}</code> и отправить фото ещё раз?` : ' Выберите другую модель командой /model.'),
    visionButton: (model) => `Переключиться на ${model}`,
    refused: {
      unsupported: 'Такой тип файла я не читаю. Пришлите PDF, DOCX, TXT, MD, CSV, JSON или изображение (JPEG, PNG, WebP).',
      'too-large': `Файл больше ${MB} МБ: Telegram не даёт ботам скачивать такие. Пришлите файл поменьше.`,
      empty: 'Файл пустой.',
      'no-text': 'В файле нет текста (например, PDF из сканов или картинок). Пришлите документ с текстовым слоем или фото страниц.',
      password: 'Файл защищён паролем, я не могу его прочитать. Снимите пароль и пришлите снова.',
      unreadable: 'Не получается прочитать файл: он повреждён или в неизвестном формате.',
      'too-many-rows': 'В таблице слишком много строк (больше 10 000). Пришлите выборку поменьше.',
      'too-long': 'Документ слишком длинный, чтобы прочитать его целиком. Пришлите часть поменьше.',
    },
  },
  en: {
    describePrompt: 'Describe what is in the image.',
    documentPrompt: 'Briefly summarise this document.',
    documentTurn: (name, caption) => `📄 ${name}: ${caption}`,
    imageTurn: (caption) => `🖼 ${caption}`,
    noVision: (model, offer) =>
      `The model <code>${escapeHtml(model)}</code> cannot see images.` + (offer ? ` Switch to <code>${escapeHtml(offer)}</code> and send the photo again?` : ' Pick another model with /model.'),
    visionButton: (model) => `Switch to ${model}`,
    refused: {
      unsupported: 'I cannot read this type of file. Send a PDF, DOCX, TXT, MD, CSV, JSON or an image (JPEG, PNG, WebP).',
      'too-large': `The file is over ${MB} MB: Telegram does not let bots download such files. Please send a smaller one.`,
      empty: 'The file is empty.',
      'no-text': 'The file has no text (e.g. a PDF of scans or images). Send a document with a text layer, or photos of the pages.',
      password: 'The file is password-protected, so I cannot read it. Remove the password and send it again.',
      unreadable: 'I cannot read the file: it is damaged or in an unknown format.',
      'too-many-rows': 'The table has too many rows (over 10,000). Please send a smaller extract.',
      'too-long': 'The document is too long to read in full. Please send a smaller part.',
    },
  },
};
