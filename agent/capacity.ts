// What the worker tells LiveKit about its load, every 2.5 s. LiveKit gives no job to a worker at or
// over its target load (0.7), and drops the dispatch when no worker takes it ("no servers
// available"). The framework's default reports raw CPU use, so a momentary spike (a job process
// starting, the previous interview's evaluation) refused work while the worker had room for it.
//
// Here capacity is counted in interviews: running jobs against a configured maximum. Below the
// maximum the reported load stays under the threshold, and CPU use (smoothed) only makes a busy
// worker less likely to be picked than an idle one; at the maximum the worker reports itself full.
import os from 'node:os';

/** Just under LiveKit's default target load: a worker below its maximum is always eligible. */
export const BELOW_FULL = 0.69;
/** Weight of the newest CPU sample: with one sample per 2.5 s, a spike fades in about 15 s. */
const SMOOTHING = 0.15;

/** Busy fraction of all cores since the previous call. */
export function cpuSampler(cpus: () => os.CpuInfo[] = os.cpus) {
  const totals = () =>
    cpus().reduce(
      (acc, c) => {
        const t = c.times;
        acc.busy += t.user + t.nice + t.sys + t.irq;
        acc.all += t.user + t.nice + t.sys + t.irq + t.idle;
        return acc;
      },
      { busy: 0, all: 0 },
    );
  let last = totals();
  return () => {
    const now = totals();
    const all = now.all - last.all;
    const busy = now.busy - last.busy;
    last = now;
    return all > 0 ? Math.min(1, Math.max(0, busy / all)) : 0;
  };
}

export function capacityLoad(maxJobs: number, cpu: () => number = cpuSampler()) {
  let smoothed: number | undefined;
  return (runningJobs: number): number => {
    const sample = cpu();
    smoothed = smoothed === undefined ? sample : smoothed + SMOOTHING * (sample - smoothed);
    if (runningJobs >= maxJobs) return 1;
    return BELOW_FULL * Math.max(runningJobs / maxJobs, smoothed);
  };
}
