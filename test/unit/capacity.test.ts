// The load the worker reports to LiveKit (agent/capacity.ts): counted in interviews, CPU smoothed.
import { describe, expect, it } from 'vitest';
import type { CpuInfo } from 'node:os';
import { BELOW_FULL, capacityLoad, cpuSampler } from '../../agent/capacity.js';

/** LiveKit's default target load: a worker reporting this or more gets no job. */
const LIVEKIT_TARGET_LOAD = 0.7;

const samples = (...values: number[]) => {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
};

describe('capacityLoad', () => {
  it('keeps a worker below its maximum eligible, however busy the CPU is', () => {
    const load = capacityLoad(4, samples(1, 1, 1, 1, 1));
    for (const jobs of [0, 1, 2, 3]) expect(load(jobs)).toBeLessThan(LIVEKIT_TARGET_LOAD);
  });

  it('reports itself full at its maximum number of interviews', () => {
    const load = capacityLoad(4, samples(0));
    expect(load(4)).toBeGreaterThanOrEqual(LIVEKIT_TARGET_LOAD);
    expect(load(5)).toBe(1);
  });

  it('grows with running jobs, so LiveKit prefers the emptier of two workers', () => {
    const a = capacityLoad(8, samples(0));
    const b = capacityLoad(8, samples(0));
    expect(a(1)).toBeLessThan(b(6));
    expect(b(6)).toBeCloseTo(BELOW_FULL * (6 / 8));
  });

  it('smooths CPU: one spike after a quiet spell barely moves the load', () => {
    const load = capacityLoad(8, samples(0.1, 0.1, 0.1, 0.1, 1));
    for (let i = 0; i < 4; i++) load(0);
    const afterSpike = load(0);
    expect(afterSpike).toBeLessThan(BELOW_FULL * 0.3);
    expect(afterSpike).toBeGreaterThan(BELOW_FULL * 0.1);
  });
});

describe('cpuSampler', () => {
  it('measures the busy share of all cores between two calls', () => {
    const cpu = (user: number, idle: number): CpuInfo => ({ model: 'x', speed: 1, times: { user, nice: 0, sys: 0, idle, irq: 0 } });
    const readings = [
      [cpu(100, 100), cpu(100, 100)],
      [cpu(175, 125), cpu(125, 175)],
    ];
    let i = 0;
    const sample = cpuSampler(() => readings[Math.min(i++, readings.length - 1)]!);
    // Between the readings: busy 75 + 25 of 100 + 100 ticks.
    expect(sample()).toBeCloseTo(0.5);
    expect(sample()).toBe(0); // no time passed: no ticks, nothing busy
  });
});
