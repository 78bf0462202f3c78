// The load bench's figures per concurrency level, against the single interview measured in the
// same run, and the verdict. Pure: the unit test feeds it numbers.
import { median, percentile } from '../../testkit/stats.js';

export const GOALS = { interviewsPerWorkerCore: 12, gapP95Ratio: 1.5, rssMb: 200 };

export interface LevelRun {
  n: number;
  /** Every answer's reply gap (candidate: last answer frame sent → first loud reply frame heard), ms. */
  gapsMs: number[];
  /** Per interview: the candidate in the room → the agent first heard, ms. */
  heardAfterJoinMs: number[];
  /** First join → last interview ended, ms. */
  windowMs: number;
  /** CPU ms per host category (HostSampler) over the window. */
  cpuMs: Record<string, number>;
  /** Peak RSS of each job process that ran an interview, MB. */
  jobRssMb: number[];
  /** Peak RSS of the job processes that stayed idle (prewarmed, no interview), MB: the framework's floor. */
  idleJobRssMb: number[];
  /** Own CPU ms per kind of process on the workers' hosts (what dominates). */
  agentCpuByKind: Record<string, number>;
  /** Interviews per worker and per LiveKit node (the room's node). */
  spread: { workers: Record<string, number>; nodes: Record<string, number> };
  /** What went wrong, one line per interview that did not complete. */
  failures: string[];
}

export interface LevelFigures {
  n: number;
  gapP50Ms: number;
  gapP95Ms: number;
  /** Against the single interview of the same run. */
  gapP50Ratio: number;
  gapP95Ratio: number;
  heardAfterJoinP95Ms: number;
  /** Cores the agent workers' hosts used per interview in progress (job processes with their speech tools, worker mains). */
  agentCoresPerInterview: number;
  /** Everything the product used per interview: workers, LiveKit nodes, APIs, Redis. */
  productCoresPerInterview: number;
  /** Cores each host category used on average over the window (the candidates and the bench share the machine). */
  coresByHost: Record<string, number>;
  /** 1 / agentCoresPerInterview: how many interviews one worker core carries at this level. */
  interviewsPerWorkerCore: number;
  rssMbMedian: number;
  rssMbMax: number;
  idleRssMbMedian: number;
  /** Share of the workers' sampled CPU per kind of process, largest first. */
  agentCpuShares: [string, number][];
  spread: LevelRun['spread'];
  failures: string[];
}

export const AGENT_HOSTS = 'agent workers';
export const PRODUCT_HOSTS = [AGENT_HOSTS, 'livekit nodes', 'api replicas', 'redis'];

export function levelFigures(run: LevelRun, base?: LevelFigures): LevelFigures {
  const gapP50Ms = median(run.gapsMs);
  const gapP95Ms = percentile(run.gapsMs, 95);
  const coresPer = (ms: number) => ms / run.windowMs / run.n;
  const agentCoresPerInterview = coresPer(run.cpuMs[AGENT_HOSTS] ?? 0);
  const product = PRODUCT_HOSTS.reduce((s, k) => s + (run.cpuMs[k] ?? 0), 0);
  return {
    n: run.n,
    gapP50Ms,
    gapP95Ms,
    gapP50Ratio: base ? gapP50Ms / base.gapP50Ms : 1,
    gapP95Ratio: base ? gapP95Ms / base.gapP95Ms : 1,
    heardAfterJoinP95Ms: percentile(run.heardAfterJoinMs, 95),
    agentCoresPerInterview,
    productCoresPerInterview: coresPer(product),
    coresByHost: Object.fromEntries(Object.entries(run.cpuMs).map(([k, ms]) => [k, ms / run.windowMs])),
    interviewsPerWorkerCore: agentCoresPerInterview > 0 ? 1 / agentCoresPerInterview : Infinity,
    rssMbMedian: median(run.jobRssMb),
    rssMbMax: Math.max(0, ...run.jobRssMb),
    idleRssMbMedian: median(run.idleJobRssMb),
    agentCpuShares: shares(run.agentCpuByKind),
    spread: run.spread,
    failures: run.failures,
  };
}

/** The reply gap has degraded (or interviews failed): the ramp stops after this level. */
export const degraded = (f: LevelFigures) => f.failures.length > 0 || f.gapP95Ratio > GOALS.gapP95Ratio;

/** The highest level that held the reply gap (≤ 1.5× p95) with no failure, and whether the goals are met there. */
export function verdict(levels: LevelFigures[]): { held: LevelFigures | undefined; line: string } {
  const held = [...levels].reverse().find((f) => !degraded(f));
  if (!held) return { held, line: 'no level held: even one interview failed' };
  const perCore = held.interviewsPerWorkerCore;
  const met = perCore >= GOALS.interviewsPerWorkerCore && held.rssMbMax <= GOALS.rssMb;
  return {
    held,
    line:
      `${met ? 'GOAL MET' : 'GOAL NOT MET'}: up to ${held.n} concurrent interview(s) held the reply gap (p95 ${held.gapP95Ratio.toFixed(2)}× one interview, goal ≤ ${GOALS.gapP95Ratio}×); ` +
      `${perCore.toFixed(1)} interviews per worker core (goal ≥ ${GOALS.interviewsPerWorkerCore}); job RSS max ${Math.round(held.rssMbMax)} MB (goal ≤ ${GOALS.rssMb})`,
  };
}

function shares(byKind: Record<string, number>): [string, number][] {
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  return Object.entries(byKind)
    .map(([k, v]): [string, number] => [k, total > 0 ? v / total : 0])
    .sort((a, b) => b[1] - a[1]);
}

const tally = (m: Record<string, number>) =>
  Object.entries(m)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function levelLine(f: LevelFigures): string {
  return (
    `  N=${String(f.n).padStart(2)}: reply gap p50 ${Math.round(f.gapP50Ms)} ms (${f.gapP50Ratio.toFixed(2)}×), p95 ${Math.round(f.gapP95Ms)} ms (${f.gapP95Ratio.toFixed(2)}×)` +
    ` · agent heard after join p95 ${Math.round(f.heardAfterJoinP95Ms)} ms · CPU per interview: workers ${f.agentCoresPerInterview.toFixed(3)} cores` +
    ` (${f.interviewsPerWorkerCore.toFixed(1)} per core), whole product ${f.productCoresPerInterview.toFixed(3)}` +
    ` · machine: ${Object.entries(f.coresByHost)
      .sort((a, b) => b[1] - a[1])
      .map(([k, c]) => `${k} ${c.toFixed(2)}`)
      .join(', ')} cores` +
    ` · job RSS median ${Math.round(f.rssMbMedian)} MB, max ${Math.round(f.rssMbMax)} MB (idle prewarmed job ${Math.round(f.idleRssMbMedian)} MB)` +
    ` · workers' CPU: ${f.agentCpuShares
      .filter(([, s]) => s >= 0.02)
      .map(([k, s]) => `${k} ${Math.round(s * 100)}%`)
      .join(', ')}` +
    ` · workers: ${tally(f.spread.workers)} · nodes: ${tally(f.spread.nodes)}` +
    (f.failures.length ? ` · FAILED: ${f.failures.join('; ')}` : '')
  );
}
