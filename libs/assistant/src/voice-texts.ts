import { escapeHtml, type BotLanguage } from '@kraken/chat';

/** The assistant's texts about voice notes, audio files and video notes (Telegram HTML; values escaped here). */
export interface VoiceTexts {
  /** Over the Bot API's download limit (`limitMb` MB): refused before getFile. */
  tooLarge(limitMb: number): string;
  /** The provider or ffmpeg could not read the audio. */
  unreadable: string;
  /** Transcription timed out or every provider failed. */
  failed: string;
  /** Nothing was heard. */
  empty: string;
  /** The transcript, quoted and collapsible. */
  transcript(text: string): string;
}

/** Telegram's message limit leaves room for the quote's markup around a transcript this long, in characters. */
const TRANSCRIPT_SHOWN_CHARS = 3900;

const quote = (label: string, text: string) => {
  const shown = text.length > TRANSCRIPT_SHOWN_CHARS ? `${text.slice(0, TRANSCRIPT_SHOWN_CHARS)}…` : text;
  return `${label}\n<blockquote expandable>${escapeHtml(shown)}</blockquote>`;
};

export const VOICE_TEXTS: Record<BotLanguage, VoiceTexts> = {
  ru: {
    tooLarge: (mb) => `Файл больше ${mb} МБ: Telegram не даёт ботам скачивать такие. Пришлите запись покороче.`,
    unreadable: 'Не удалось прочитать аудио: файл повреждён или в неизвестном формате. Попробуйте записать ещё раз.',
    failed: 'Не удалось распознать речь: сервис распознавания не ответил. Попробуйте ещё раз чуть позже.',
    empty: 'В записи не удалось разобрать ни слова.',
    transcript: (text) => quote('🎙 Распознано:', text),
  },
  en: {
    tooLarge: (mb) => `The file is over ${mb} MB: Telegram does not let bots download such files. Please send a shorter recording.`,
    unreadable: 'Could not read the audio: the file is damaged or in an unknown format. Please record it again.',
    failed: 'Could not transcribe the speech: the transcription service did not answer. Please try again a bit later.',
    empty: 'No words could be made out in the recording.',
    transcript: (text) => quote('🎙 Transcript:', text),
  },
};
