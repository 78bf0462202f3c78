// Seed 002's question audio with a speech provider that counts and can fail: each question is
// synthesized once however many ask at the same time, and a provider outage is a 503 in the one
// envelope that is not cached (the next request tries again).
import { beforeAll, describe, expect, it } from 'vitest';
import { SpeechUnavailableError, type Speech } from '../../core/speech.js';
import { hrUser, startHarness, type Harness } from '../../testkit/api.js';
import { expectError } from '../../testkit/errors.js';
import { call, useAddressPerTest, useFileDatabase } from './helpers/public.js';
import * as text from './helpers/text-interview.js';

const file = useFileDatabase();
useAddressPerTest('192.0.2', 200);

const calls: string[] = [];
let failNext = false;
const speech: Speech = {
  async synthesize(question) {
    calls.push(question);
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (failNext) {
      failNext = false;
      throw new SpeechUnavailableError('provider down');
    }
    return { bytes: Buffer.from(`RIFF${question}`), contentType: 'audio/wav' };
  },
};

let h: Harness;
let hr: text.Hr;
beforeAll(async () => {
  h = await startHarness({}, file.database, { speech });
  hr = await hrUser(h);
});

describe('question audio', () => {
  it('synthesizes a question once for concurrent and later requests', async () => {
    const s = await text.started(h, await text.linkedInterview(h, hr));
    const [q1] = s.questions as [text.StartQuestion];
    calls.length = 0;
    const answers = await Promise.all([call(h, q1.audio_url), call(h, q1.audio_url), call(h, q1.audio_url)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await answers[0]!.text()).toBe(`RIFF${q1.text}`);
    expect((await call(h, q1.audio_url)).status).toBe(200);
    expect(calls).toEqual([q1.text]);
  });

  it('answers 503 SERVICE_UNAVAILABLE when the provider is down, and tries again on the next request', async () => {
    const s = await text.started(h, await text.linkedInterview(h, hr));
    const [, q2] = s.questions as [text.StartQuestion, text.StartQuestion];
    calls.length = 0;
    failNext = true;
    const body = await expectError(await call(h, q2.audio_url), 503, 'SERVICE_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toMatch(/provider down/);
    const again = await call(h, q2.audio_url);
    expect(again.status).toBe(200);
    expect(calls).toEqual([q2.text, q2.text]);
  });
});
