// turns' settings (BENCH_* environment variables, read once), the policies it can sweep and the goal.
import path from 'node:path';
import { REPO_ROOT } from '../../testkit/stack.js';
import { intSetting } from '../lib/run.js';

export const RESULTS = path.join(REPO_ROOT, 'bench', 'results');
export const LOG_DIR = path.join(REPO_ROOT, '.artifacts', 'bench', 'turns');
/** The goal: at most this share of answers cut off, at most this median dead air. */
export const GOAL = { cutOffPct: 5, deadAirMs: 1000 };

export interface Policy {
  /** e.g. "550/500/3000": AGENT_VAD_MIN_SILENCE_MS / AGENT_TURN_MIN_DELAY_MS / AGENT_TURN_MAX_DELAY_MS. */
  name: string;
  vadMs: number;
  minMs: number;
  maxMs: number;
}

export const DEFAULT_POLICIES = '550/300/3500,550/500/3000,550/1500/3500,550/2500/3000';
/** Today's defaults (core/config/worker.ts; 550/500/3000 before 2026-12-06). */
export const TODAY = '550/2500/3000';

export function parsePolicies(spec: string): Policy[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((name) => {
      const [vadMs, minMs, maxMs] = name.split('/').map(Number);
      if (![vadMs, minMs, maxMs].every((v) => Number.isInteger(v)) || maxMs! < minMs!) {
        throw new Error(`BENCH_POLICIES: '${name}' is not vad/min/max in ms (max ≥ min), e.g. ${TODAY}`);
      }
      return { name, vadMs: vadMs!, minMs: minMs!, maxMs: maxMs! };
    });
}

/** Who hears the candidate: the oracle (the true words, as a good production recogniser) or pocketsphinx. */
export const STT_MODES = ['oracle', 'local'] as const;
export type SttMode = (typeof STT_MODES)[number];

function sttMode(v: string | undefined): SttMode {
  const mode = v ?? 'oracle';
  if (!(STT_MODES as readonly string[]).includes(mode)) throw new Error(`BENCH_STT must be one of ${STT_MODES.join(', ')}`);
  return mode as SttMode;
}

export const settings = {
  policies: parsePolicies(process.env.BENCH_POLICIES ?? DEFAULT_POLICIES),
  stt: sttMode(process.env.BENCH_STT),
  /** % of clips cut inside their sentence for a pause (bench/turns/oracle.ts, testkit/word-align.ts). */
  insidePct: intSetting('BENCH_INSIDE_PCT', 50, 0, 100),
  /** Answers per policy (the same seeded answers for every policy). */
  answers: intSetting('BENCH_ANSWERS', 10, 1, 200),
  seed: intSetting('BENCH_SEED', 1, 0, 1_000_000),
  minPauseMs: intSetting('BENCH_MIN_PAUSE_MS', 300, 0, 10_000),
  maxPauseMs: intSetting('BENCH_MAX_PAUSE_MS', 3000, 0, 10_000),
  /** After the true end: how long to wait for the agent before giving up on that answer. */
  capMs: intSetting('BENCH_REPLY_CAP_MS', 8000, 1000, 30_000),
  followUps: intSetting('BENCH_FOLLOW_UPS', 2, 0, 5),
};
