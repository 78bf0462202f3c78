// `npm run bench -- recognition`: how many words the offline recogniser (pocketsphinx, the product's
// PocketsphinxSTT as the agent runs it) gets wrong, on real human speech and on the two offline voices
// saying the same sentences. Real speech: the LibriVox clips of Debian's pocketsphinx-testdata, with
// their transcription; the voices: flite slt (the default) and espeak-ng en-us+klatt2 (the old
// default), plus interview answers of the kind the synthetic candidates give. The baseline is
// espeak-ng in the same run: the figure that counts is flite's word error rate against it.
// Writes bench/results/recognition.{json,svg}. Needs no network namespace (no LiveKit).
import { AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { initializeLogger } from '@livekit/agents';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PocketsphinxSTT } from '../agent/speech/pocketsphinx-stt.js';
import { speak } from '../testkit/speech.js';
import { REPO_ROOT } from '../testkit/stack.js';
import { parseWav } from '../testkit/wav.js';
import { runBounded } from './lib/run.js';
import { barChartSvg, writeChart } from './lib/svg.js';
import { wordErrors } from './recognition/word-errors.js';

const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';
const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
/** Answers as the tests' synthetic candidates give them. */
const ANSWERS = [
  'I have five years of experience building web applications.',
  'My most recent project was a payment system for a bank.',
  'I write tests first and run them on every change.',
  'The hardest bug I fixed was a race between two workers writing the same row.',
  'I would like to lead a small team and grow as an engineer.',
  'We moved the service to a queue so that a slow partner could not block checkout.',
];

interface Clip {
  id: string;
  text: string;
  wav?: string;
}

function librivoxClips(): Clip[] {
  const file = path.join(LIBRIVOX, 'transcription');
  if (!existsSync(file)) throw new Error(`${file} is missing: apt-get install pocketsphinx-testdata (scripts/setup.sh --test does it)`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const m = /^<s> (.*) <\/s> \((.*)\)$/.exec(line.trim());
      return m ? [{ id: m[2]!, text: m[1]!, wav: path.join(LIBRIVOX, `${m[2]}.wav`) }] : [];
    });
}

async function transcribe(engine: PocketsphinxSTT, { sampleRate, samples }: { sampleRate: number; samples: Int16Array }): Promise<string> {
  // As RoomIO hands audio to the agent: 24 kHz frames (PocketsphinxSTT converts them to 16 kHz).
  const rs = new AudioResampler(sampleRate, 24_000, 1);
  const frames = [...rs.push(new AudioFrame(samples, sampleRate, 1, samples.length)), ...rs.flush()];
  rs.close();
  const event = await engine.recognize(frames);
  return event.alternatives?.[0]?.text ?? '';
}

interface SourceFigure {
  source: string;
  words: number;
  errors: number;
  wer: number;
}

async function main(): Promise<number> {
  initializeLogger({ pretty: false, level: 'warn' });
  const engine = new PocketsphinxSTT();
  const clips = librivoxClips();
  const sentences = [...clips.map((c) => c.text), ...ANSWERS];
  process.stdout.write(`bench recognition: ${clips.length} LibriVox clips; ${sentences.length} sentences per offline voice\n`);

  const sources: { source: string; items: { text: string; audio: () => { sampleRate: number; samples: Int16Array } }[] }[] = [
    { source: 'real speech (LibriVox)', items: clips.map((c) => ({ text: c.text, audio: () => parseWav(readFileSync(c.wav!)) })) },
    { source: 'flite slt', items: sentences.map((text) => ({ text, audio: () => speak(text, { voice: 'slt' }) })) },
    { source: 'espeak-ng klatt2', items: sentences.map((text) => ({ text, audio: () => speak(text, { voice: 'en-us+klatt2' }) })) },
  ];
  const figures: SourceFigure[] = [];
  const heard: Record<string, { said: string; heard: string }[]> = {};
  for (const { source, items } of sources) {
    let words = 0;
    let errors = 0;
    heard[source] = [];
    for (const item of items) {
      const got = await transcribe(engine, item.audio());
      const e = wordErrors(item.text, got);
      words += e.words;
      errors += e.errors;
      heard[source]!.push({ said: item.text, heard: got });
    }
    figures.push({ source, words, errors, wer: errors / words });
  }

  const espeak = figures.find((f) => f.source.startsWith('espeak'))!;
  process.stdout.write('\nsource                    words  errors   WER   vs espeak-ng\n');
  for (const f of figures) {
    process.stdout.write(
      `${f.source.padEnd(24)} ${String(f.words).padStart(6)} ${String(f.errors).padStart(7)} ${(f.wer * 100).toFixed(1).padStart(5)}%   ${(f.wer / espeak.wer).toFixed(2)}×\n`,
    );
  }

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'recognition.json'), JSON.stringify({ figures, heard }, null, 2));
  const written = writeChart(
    RESULTS,
    'recognition',
    barChartSvg({
      title: 'Offline recognition (pocketsphinx): word errors',
      subtitle: ['real speech: LibriVox clips; the voices say those sentences and six interview answers'],
      yLabel: 'word error rate, %',
      panels: [
        {
          bars: figures.map((f) => ({ label: f.source, value: f.wer * 100, notes: [`${f.errors}/${f.words} words`] })),
        },
      ],
    }),
  );
  process.stdout.write(`\nwrote bench/results/recognition.json, ${written.map((w) => `bench/results/${w}`).join(', ')}\n`);
  return 0;
}

await runBounded(main, 10 * 60_000);
