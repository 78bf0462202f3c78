// The load bench's figures: ratios against the single interview, CPU per interview, the spread,
// and where the ramp stops.
import { describe, expect, it } from 'vitest';
import { AGENT_HOSTS, degraded, levelFigures, verdict, type LevelRun } from '../../bench/load/figures.js';

const run = (n: number, gapsMs: number[], over: Partial<LevelRun> = {}): LevelRun => ({
  n,
  gapsMs,
  heardAfterJoinMs: [1_000, 2_000],
  windowMs: 60_000,
  cpuMs: { [AGENT_HOSTS]: 6_000 * n, 'livekit nodes': 600 * n, 'candidates and bench': 99_000 },
  jobRssMb: [250, 270],
  idleJobRssMb: [180],
  agentCpuByKind: { 'job processes': 3, 'pocketsphinx (STT)': 1 },
  spread: { workers: { 'worker-1': n }, nodes: { 'livekit-1': n } },
  failures: [],
  ...over,
});

describe('load bench figures', () => {
  it('compares each level with the single interview of the same run', () => {
    const one = levelFigures(run(1, [1_000, 1_000, 2_000]));
    const four = levelFigures(run(4, [1_500, 1_500, 3_000]), one);
    expect(one.gapP95Ratio).toBe(1);
    expect(four.gapP50Ratio).toBeCloseTo(1.5);
    expect(four.gapP95Ratio).toBeCloseTo(four.gapP95Ms / one.gapP95Ms);
    expect(degraded(four)).toBe(false); // 1.5× is the limit, not past it
    expect(degraded(levelFigures(run(8, [1_500, 1_500, 3_100]), one))).toBe(true);
  });

  it('counts CPU per interview in progress, from the product hosts only, and its inverse per core', () => {
    const f = levelFigures(run(2, [1_000]));
    // 12 s of the workers' CPU over a 60 s window for 2 interviews: 0.1 core each.
    expect(f.agentCoresPerInterview).toBeCloseTo(0.1);
    expect(f.interviewsPerWorkerCore).toBeCloseTo(10);
    expect(f.productCoresPerInterview).toBeCloseTo(0.11); // + LiveKit, never the candidates
    expect(f.agentCpuShares).toEqual([
      ['job processes', 0.75],
      ['pocketsphinx (STT)', 0.25],
    ]);
    expect(f.rssMbMax).toBe(270);
    expect(f.idleRssMbMedian).toBe(180);
  });

  it('stops at a failed interview, and says the highest level that held and whether the goals are met there', () => {
    const one = levelFigures(run(1, [1_000]));
    const two = levelFigures(run(2, [1_100]), one);
    const four = levelFigures(run(4, [1_000], { failures: ['interview 3: FAILED (agent_failed)'] }), one);
    expect(degraded(four)).toBe(true);
    const v = verdict([one, two, four]);
    expect(v.held?.n).toBe(2);
    expect(v.line).toMatch(/^GOAL NOT MET: up to 2 concurrent/);
    expect(v.line).toContain('10.0 interviews per worker core');
    const light = levelFigures(run(1, [1_000], { cpuMs: { [AGENT_HOSTS]: 3_000 }, jobRssMb: [150] }));
    expect(verdict([light]).line).toMatch(/^GOAL MET/);
  });
});
