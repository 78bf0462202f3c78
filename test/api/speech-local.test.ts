// core/speech.ts offline: the question audio of seed 002 from flite (the default voice) and
// espeak-ng (any other voice), the real programs (scripts/setup.sh installs them).
import { describe, expect, it } from 'vitest';
import { createSpeech } from '../../core/speech.js';

describe('createSpeech offline (TTS_PROVIDER=local)', () => {
  const local = (voice: string) =>
    createSpeech({ provider: 'local', baseUrl: undefined, apiKey: undefined, model: 'tts-1', voice, voiceAr: 'ar' });
  const rate = (wav: Buffer) => wav.readUInt32LE(24);

  it.each([
    ['slt', 16_000],
    ['en-us+klatt2', 22_050],
  ])('voice %s: a WAV at %i Hz with speech in it', async (voice, hz) => {
    const audio = await local(voice).synthesize('Tell me about yourself.');
    expect(audio.contentType).toBe('audio/wav');
    expect(audio.bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(rate(audio.bytes)).toBe(hz);
    expect(audio.bytes.length).toBeGreaterThan(hz); // over half a second of 16-bit samples
  });

  it("an Arabic interview's text in espeak-ng's Arabic voice (flite speaks English only)", async () => {
    const audio = await local('slt').synthesize('حدثني عن خبرتك في تطوير الأنظمة.', 'ar');
    expect(rate(audio.bytes)).toBe(22_050);
    expect(audio.bytes.length).toBeGreaterThan(22_050);
  });
});
