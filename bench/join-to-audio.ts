// `npm run bench -- join-to-audio`: how long a candidate waits for the interviewer. Each join goes
// through the API like the candidate page (POST /join), connects to LiveKit as a synthetic
// candidate, and is timed to the first loud audio frame of the agent. Half the joins come back to
// back, right after the previous interview ended (the worker still busy finishing it), half after
// a pause. Real parts in a private network namespace: the LiveKit server, the API (its watchdog
// and webhooks), one worker with its real availability, offline speech, structured mode.
//
// Reported: join → first agent audio, p50/p95 per kind of join; the baseline measured in the same
// run is the candidate's own join → connected-and-publishing time, which no agent can beat.
// Goal (issue): p95 ≤ 2 s. Writes bench/results/join-to-audio.{json,svg} (and .png when
// rsvg-convert exists).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCandidate } from '../testkit/candidate.js';
import { createInterviewRoom, REPO_ROOT, sleep, waitUntil } from '../testkit/stack.js';
import { percentile as pct } from '../testkit/stats.js';
import { intSetting, runBounded } from './lib/run.js';
import { startBenchStack } from './lib/stack.js';
import { barChartSvg, writeChart } from './lib/svg.js';

const JOINS = intSetting('BENCH_JOINS', 20, 1, 200);
const PAUSE_MS = intSetting('BENCH_PAUSE_MS', 8_000, 0, 600_000);
const GOAL_P95_MS = 2_000;
const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
const LOG_DIR = path.join(RESULTS, 'join-to-audio');

interface Sample {
  kind: 'after-pause' | 'back-to-back';
  /** POST /join sent → the agent's first loud audio frame heard. */
  toAudioMs: number;
  /** POST /join sent → connected and publishing (the baseline: the candidate's own part). */
  toConnectedMs: number;
}

async function main(): Promise<number> {
  process.stdout.write(
    `bench join-to-audio: ${JOINS} joins (half back to back), ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  const { api } = await startBenchStack({
    logDir: LOG_DIR,
    env: { STT_PROVIDER: 'local', TTS_PROVIDER: 'local', LOG_LEVEL: 'info' },
    webhooks: true,
    poolSize: 2,
  });
  // The worker keeps warm job processes; give it the moment a real deployment has before traffic.
  await sleep(5_000);

  const samples: Sample[] = [];
  for (let i = 0; i < JOINS; i++) {
    const kind: Sample['kind'] = i % 2 === 0 ? 'after-pause' : 'back-to-back';
    if (kind === 'after-pause') await sleep(PAUSE_MS);
    const room = await createInterviewRoom(api);
    const sent = Date.now();
    const c = await startCandidate({
      apiUrl: api.url,
      roomCode: room.roomCode,
      logDir: LOG_DIR,
      name: `candidate-${i + 1}`,
      answers: [],
      recordWav: false,
    });
    const heardAt = await c.waitForFirstSpeech(60_000);
    samples.push({ kind, toAudioMs: heardAt - sent, toConnectedMs: c.connectedAt - sent });
    process.stdout.write(
      `  join ${String(i + 1).padStart(2)} (${kind.padEnd(12)}): agent heard after ${heardAt - sent} ms (connected after ${c.connectedAt - sent} ms)\n`,
    );
    // HR ends it; the next join of a back-to-back pair comes as soon as the room is closed.
    const end = await api.request(`/api/interviews/${room.sessionId}/end`, { method: 'POST', headers: room.auth });
    if (end.status !== 200) throw new Error(`ending interview ${i + 1}: ${end.status}`);
    await c.leave();
    await waitUntil(
      async () => {
        const r = await api.request(`/api/interviews/${room.sessionId}`, { headers: room.auth });
        return ((await r.json()) as { evaluation: unknown }).evaluation !== null;
      },
      { timeoutMs: 60_000, what: `interview ${i + 1} evaluated`, intervalMs: 200 },
    );
  }

  const figures = (['after-pause', 'back-to-back', 'all'] as const).map((kind) => {
    const s = samples.filter((x) => kind === 'all' || x.kind === kind);
    const audio = s.map((x) => x.toAudioMs);
    const base = s.map((x) => x.toConnectedMs);
    return {
      kind,
      n: s.length,
      p50Ms: pct(audio, 50),
      p95Ms: pct(audio, 95),
      baselineP50Ms: pct(base, 50),
      baselineP95Ms: pct(base, 95),
      ratioP50: pct(audio, 50) / pct(base, 50),
    };
  });
  const all = figures.find((f) => f.kind === 'all')!;
  process.stdout.write('\n kind          n   join→agent audio p50 / p95   join→connected p50 / p95 (baseline)   ratio p50\n');
  for (const f of figures) {
    process.stdout.write(
      ` ${f.kind.padEnd(12)} ${String(f.n).padStart(2)}   ${String(f.p50Ms).padStart(6)} / ${String(f.p95Ms).padStart(6)} ms` +
        `            ${String(f.baselineP50Ms).padStart(6)} / ${String(f.baselineP95Ms).padStart(6)} ms                ${f.ratioP50.toFixed(2)}×\n`,
    );
  }
  const met = all.p95Ms <= GOAL_P95_MS;
  process.stdout.write(`\n goal p95 ≤ ${GOAL_P95_MS} ms: ${met ? 'met' : 'NOT met'} (p95 ${all.p95Ms} ms)\n`);

  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'join-to-audio.json'), JSON.stringify({ samples, figures, goalP95Ms: GOAL_P95_MS }, null, 2));
  const files = writeChart(
    RESULTS,
    'join-to-audio',
    barChartSvg({
      title: 'Candidate joins → first agent audio',
      subtitle: [
        `${JOINS} joins, real LiveKit, API and worker, offline speech; whiskers: p50–p95`,
        `baseline: the candidate's own join → connected`,
      ],
      yLabel: 'ms',
      panels: figures.map((f) => ({
        heading: f.kind,
        goal: { value: GOAL_P95_MS, label: 'goal p95' },
        bars: [
          { label: 'agent audio p50', value: f.p50Ms, min: f.p50Ms, max: f.p95Ms, notes: [`p95 ${f.p95Ms} ms`] },
          {
            label: 'connected p50',
            value: f.baselineP50Ms,
            min: f.baselineP50Ms,
            max: f.baselineP95Ms,
            notes: [`p95 ${f.baselineP95Ms} ms`],
            color: '#999999',
          },
        ],
      })),
    }),
  );
  process.stdout.write(` results in bench/results/: join-to-audio.json, ${files.join(', ')}\n`);
  return 0;
}

await runBounded(main, 20 * 60_000);
