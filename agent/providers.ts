// Speech and language providers, chosen by config alone: STT Deepgram | OpenAI-compatible |
// local (pocketsphinx); TTS OpenAI-compatible | local (flite, espeak-ng); LLM any OpenAI-compatible
// endpoint | none (structured mode). Never a model string: those would call LiveKit Cloud. Speech is
// per interview: its language picks the recognition language and the voice.
import type { llm as llmTypes, stt as sttTypes, tts as ttsTypes } from '@livekit/agents';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import { sttLanguage, ttsVoice, type SttConfig, type WorkerConfig } from '../core/config.js';
import type { InterviewLanguage } from '../core/domain.js';
import { LocalTTS } from './speech/local-tts.js';
import { PocketsphinxSTT } from './speech/pocketsphinx-stt.js';

export interface Providers {
  stt: sttTypes.STT;
  tts: ttsTypes.TTS;
  llm: llmTypes.LLM | undefined;
}

/**
 * Whether this worker's recogniser understands speech in `language`: pocketsphinx has one English
 * model, so an Arabic interview on it would hear nothing the candidate says (agent/interviewer.ts
 * says so and ends instead). Deepgram and OpenAI-compatible servers are told the language.
 */
export const hearsLanguage = (stt: Pick<SttConfig, 'provider'>, language: InterviewLanguage) =>
  stt.provider !== 'local' || language === 'en';

export function buildProviders(config: Pick<WorkerConfig, 'stt' | 'tts' | 'llm'>, interviewLanguage: InterviewLanguage = 'en'): Providers {
  const { stt: s, tts: t } = config;
  const language = sttLanguage(s, interviewLanguage);
  const voice = ttsVoice(t, interviewLanguage);
  const stt: sttTypes.STT =
    s.provider === 'deepgram'
      ? new deepgram.STT({ apiKey: s.apiKey, model: s.model, language })
      : s.provider === 'openai'
        ? // Plain /audio/transcriptions (Whisper-compatible servers), not the realtime websocket.
          new openai.STT({ baseURL: s.baseUrl, apiKey: s.apiKey ?? 'none', useRealtime: false, model: s.model, language })
        : // One English acoustic model: STT_MODEL does not apply, the language only labels the transcripts.
          new PocketsphinxSTT({ language });
  const tts: ttsTypes.TTS =
    t.provider === 'openai'
      ? // The plugin's type lists OpenAI's voices only; a compatible server's own voice names pass through as given.
        new openai.TTS({ baseURL: t.baseUrl, apiKey: t.apiKey ?? 'none', model: t.model, voice: voice as openai.TTSVoices })
      : new LocalTTS({ voice });
  const llm = config.llm ? new openai.LLM({ baseURL: config.llm.baseUrl, apiKey: config.llm.apiKey, model: config.llm.model }) : undefined;
  return { stt, tts, llm };
}
