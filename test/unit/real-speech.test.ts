// testkit/real-speech.ts and testkit/word-align.ts, the pure parts: the prompts' transcript list,
// the aligner's units and output, where a clip may be cut, and the answers built from clips (seeded,
// both kinds of pause, every word placed in the answer). No recordings and no pocketsphinx: word
// times are given.
import { describe, expect, it } from 'vitest';
import { buildAnswers, parsePromptTranscripts, SPEECH_RATE, type Clip } from '../../testkit/real-speech.js';
import { alignmentUnits, parseAlignment, quietestCut, splitPoints, tokenTimes, tokenise, type WordTime } from '../../testkit/word-align.js';

describe('parsePromptTranscripts', () => {
  it('keeps the words, drops stage directions, comments and prompts with no words', () => {
    const m = parsePromptTranscripts(
      [
        '; Core Asterisk Sounds in English',
        '',
        'agent-pass: Please enter your password followed by the pound key.',
        'beep: [this is a simple beep tone]',
        'vm-intro: Please leave your message after the tone.  When done hang up. (simple tone sound plays)',
        'digits/1: One.',
      ].join('\n'),
    );
    expect(m.get('agent-pass')).toBe('Please enter your password followed by the pound key.');
    expect(m.has('beep')).toBe(false);
    expect(m.get('vm-intro')).toBe('Please leave your message after the tone. When done hang up.');
    expect(m.get('digits/1')).toBe('One.');
    expect(m.size).toBe(3);
  });
});

describe('alignmentUnits / parseAlignment / tokenTimes', () => {
  it('lower-cases, splits hyphens, spells single digits, skips punctuation alone', () => {
    expect(alignmentUnits(tokenise('Call-Forward on No Answer.'))!.map((u) => [u.unit, u.token])).toEqual([
      ['call', 0],
      ['forward', 0],
      ['on', 1],
      ['no', 2],
      ['answer', 3],
    ]);
    expect(alignmentUnits(tokenise('press 1 … now'))!.map((u) => u.unit)).toEqual(['press', 'one', 'now']);
    expect(alignmentUnits(tokenise("party's extension"))!.map((u) => u.unit)).toEqual(["party's", 'extension']);
  });

  it('refuses what the aligner cannot say: numbers of several digits', () => {
    expect(alignmentUnits(tokenise('press 162 now'))).toBeNull();
  });

  it('reads the word lines, without silences, fillers or pronunciation variants', () => {
    const out =
      '<s> 0.000 0.240 1.000000\nunless 0.250 0.580 1.000000\nto(3) 0.590 0.690 1.000000\n<sil> 0.700 0.800 1.0\n[NOISE] 0.810 0.900 1.0\nbe 0.910 1.050 1.000000\nnoise text line\n';
    expect(parseAlignment(out)).toEqual([
      { word: 'unless', startMs: 250, endMs: 580 },
      { word: 'to', startMs: 590, endMs: 690 },
      { word: 'be', startMs: 910, endMs: 1050 },
    ]);
  });

  it('gives each token the span of its units, and null when the aligner returned other words', () => {
    const tokens = tokenise('Call-Forward now.');
    const units = alignmentUnits(tokens)!;
    const aligned = [
      { word: 'call', startMs: 0, endMs: 200 },
      { word: 'forward', startMs: 210, endMs: 500 },
      { word: 'now', startMs: 600, endMs: 800 },
    ];
    expect(tokenTimes(tokens, units, aligned)).toEqual([
      { word: 'Call-Forward', startMs: 0, endMs: 500 },
      { word: 'now.', startMs: 600, endMs: 800 },
    ]);
    expect(tokenTimes(tokens, units, aligned.slice(0, 2))).toBeNull();
    expect(tokenTimes(tokens, units, [aligned[0]!, { ...aligned[1]!, word: 'ford' }, aligned[2]!])).toBeNull();
  });
});

describe('splitPoints / quietestCut', () => {
  const w = (word: string, startMs: number, endMs: number): WordTime => ({ word, startMs, endMs });

  it('cuts only inside a phrase (no punctuation before the cut), with enough speech on each side', () => {
    const words = [
      w('Thank', 0, 300),
      w('you.', 310, 600),
      w('Please', 700, 1000),
      w('enter', 1010, 1300),
      w('your', 1310, 1500),
      w('pin.', 1510, 1900),
    ];
    // After "Thank": 300 ms before it (< 400); after "you.": punctuation; after "your": 390 ms after.
    expect(splitPoints(words)).toEqual([2, 3]);
    expect(splitPoints(words, 0)).toEqual([0, 2, 3, 4]);
    expect(splitPoints([w('one', 0, 900)])).toEqual([]);
  });

  it('moves the cut to the quietest 10 ms nearby', () => {
    const s = new Int16Array(SPEECH_RATE).map((_, i) => (i % 2 ? 8000 : -8000));
    s.fill(0, 8000, 8200);
    const at = quietestCut(s, 7800, 480, SPEECH_RATE);
    expect(at).toBeGreaterThanOrEqual(8000);
    expect(at).toBeLessThanOrEqual(8200);
  });
});

describe('buildAnswers', () => {
  // Clips of "words" 300 ms long with 100 ms gaps between them, loud inside a word, silent between.
  const clip = (name: string, n: number): Clip => {
    const ms = n * 400 - 100;
    const samples = new Int16Array((ms * SPEECH_RATE) / 1000);
    for (let i = 0; i < samples.length; i++) if (((i / SPEECH_RATE) * 1000) % 400 < 300) samples[i] = i % 2 ? 5000 : -5000;
    const text = Array.from({ length: n }, (_, k) => `${name}${k}`).join(' ');
    return { name, text, samples, ms };
  };
  const clips = [clip('a', 3), clip('b', 5), clip('c', 8), clip('d', 2)];
  const wordTimes = (c: Clip) => tokenise(c.text).map((word, k) => ({ word, startMs: k * 400, endMs: k * 400 + 300 }));

  it('is the same for the same seed, and mixes both kinds of pause', () => {
    const a = buildAnswers(clips, 30, 7, { wordTimes, insideShare: 0.5 });
    const b = buildAnswers(clips, 30, 7, { wordTimes, insideShare: 0.5 });
    expect(a.map((x) => x.text)).toEqual(b.map((x) => x.text));
    expect(a.map((x) => x.pausesMs)).toEqual(b.map((x) => x.pausesMs));
    const kinds = a.flatMap((x) => x.pauseKinds);
    expect(kinds).toContain('inside');
    expect(kinds).toContain('between');
    expect(buildAnswers(clips, 30, 8, { wordTimes }).map((x) => x.text)).not.toEqual(a.map((x) => x.text));
  });

  it('puts every word where the audio holds it, and cuts between words', () => {
    for (const a of buildAnswers(clips, 30, 3, { wordTimes, insideShare: 1 })) {
      expect(a.pausesMs).toHaveLength(a.segments.length - 1);
      expect(a.pauseKinds).toHaveLength(a.pausesMs.length);
      a.pauseKinds.forEach((k, i) => {
        const [s, t] = [a.segments[i]!, a.segments[i + 1]!];
        expect(t.startMs - s.endMs).toBeCloseTo(a.pausesMs[i]!, 0);
        expect(k === 'inside').toBe(s.part === 'head' && t.part === 'tail' && s.clip === t.clip);
      });
      // Each word inside one segment, and loud at its middle (the audio is where the word says).
      for (const w of a.words) {
        const mid = (w.startMs + w.endMs) / 2;
        expect(a.segments.some((s) => mid > s.startMs && mid < s.endMs)).toBe(true);
        expect(Math.abs(a.samples[Math.round((mid / 1000) * SPEECH_RATE)]!)).toBeGreaterThan(0);
      }
      expect(a.words.map((w) => w.word).join(' ')).toBe(a.text.replace(/ … /g, ' '));
    }
  });

  it('never cuts with insideShare 0, nor a clip with no place to cut', () => {
    expect(buildAnswers(clips, 20, 5, { wordTimes, insideShare: 0 }).flatMap((a) => a.pauseKinds)).not.toContain('inside');
    const short = buildAnswers([clip('d', 2)], 10, 5, { wordTimes, insideShare: 1 });
    expect(short.flatMap((a) => a.pauseKinds)).not.toContain('inside');
  });
});
