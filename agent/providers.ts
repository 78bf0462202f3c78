// Speech and language providers, chosen by config alone: STT Deepgram | OpenAI-compatible |
// local (pocketsphinx); TTS OpenAI-compatible | local (espeak-ng); LLM any OpenAI-compatible
// endpoint | none (structured mode). Never a model string: those would call LiveKit Cloud.
import type { llm as llmTypes, stt as sttTypes, tts as ttsTypes } from '@livekit/agents';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import type { Config } from '../core/config.js';
import { EspeakTTS } from './speech/espeak-tts.js';
import { PocketsphinxSTT } from './speech/pocketsphinx-stt.js';

export interface Providers {
  stt: sttTypes.STT;
  tts: ttsTypes.TTS;
  llm: llmTypes.LLM | undefined;
}

export function buildProviders(config: Config): Providers {
  const { speech } = config;
  const stt: sttTypes.STT =
    speech.stt === 'deepgram'
      ? new deepgram.STT({ apiKey: speech.deepgramApiKey, model: 'nova-3', language: 'en-US' })
      : speech.stt === 'openai'
        ? // Plain /audio/transcriptions (Whisper-compatible servers), not the realtime websocket.
          new openai.STT({
            baseURL: speech.sttBaseUrl,
            apiKey: speech.openaiApiKey ?? 'none',
            useRealtime: false,
            model: 'whisper-1',
            language: 'en',
          })
        : new PocketsphinxSTT();
  const tts: ttsTypes.TTS =
    speech.tts === 'openai'
      ? new openai.TTS({ baseURL: speech.ttsBaseUrl, apiKey: speech.openaiApiKey ?? 'none', model: 'tts-1', voice: 'alloy' })
      : new EspeakTTS();
  const llm = config.llm ? new openai.LLM({ baseURL: config.llm.baseUrl, apiKey: config.llm.apiKey, model: config.llm.model }) : undefined;
  return { stt, tts, llm };
}
