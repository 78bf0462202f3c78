// turns' figures per policy (cut-offs, dead air, cut-off rate by pause length and kind), the verdict line,
// the chart (false cut-off % against median dead air, one point per policy) and the JSON report.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PAUSE_KINDS } from '../../testkit/real-speech.js';
import { median, percentile } from '../../testkit/stats.js';
import { esc, niceStep, svgHead, writeChart } from '../lib/svg.js';
import type { AnswerResult } from './session.js';
import { GOAL, RESULTS, type Policy } from './settings.js';

/** Pause-length buckets for the cut-off breakdown (ms, upper bound exclusive). */
export const BUCKETS = [
  { name: '<1 s', lo: 0, hi: 1000 },
  { name: '1–2 s', lo: 1000, hi: 2000 },
  { name: '>2 s', lo: 2000, hi: Infinity },
];

export interface PolicyFigures {
  policy: string;
  answers: number;
  cutOffs: number;
  cutOffPct: number;
  /** Answers not cut off that got no reply within the cap. */
  noReply: number;
  deadAir: { n: number; p50: number; p95: number };
  /** Per bucket: pauses played (up to the cut-off, if any), pauses the agent cut into. */
  byPause: PauseShare[];
  /** The same per kind of pause: between two clips, inside a clip's sentence. */
  byKind: PauseShare[];
}

export interface PauseShare {
  bucket: string;
  pauses: number;
  cutOffs: number;
  pct: number;
}

/** Of the pauses the candidate reached (all of them, or up to the one cut into) that `inBucket` takes, the share cut into. */
function share(rs: AnswerResult[], bucket: string, inBucket: (r: AnswerResult, i: number) => boolean): PauseShare {
  let pauses = 0;
  let cutOffs = 0;
  for (const r of rs) {
    const reached = r.cutOffAtMs === null ? r.pausesMs.length : r.cutOffPause === null ? 0 : r.cutOffPause + 1;
    for (let i = 0; i < reached; i++) {
      if (!inBucket(r, i)) continue;
      pauses++;
      if (r.cutOffPause === i) cutOffs++;
    }
  }
  return { bucket, pauses, cutOffs, pct: pauses ? (100 * cutOffs) / pauses : NaN };
}

export function policyFigures(policy: Policy, rs: AnswerResult[]): PolicyFigures {
  const cut = rs.filter((r) => r.cutOffAtMs !== null);
  const dead = rs.flatMap((r) => (r.deadAirMs !== null ? [r.deadAirMs] : []));
  const byPause = BUCKETS.map((b) => share(rs, b.name, (r, i) => r.pausesMs[i]! >= b.lo && r.pausesMs[i]! < b.hi));
  const byKind = PAUSE_KINDS.map((k) => share(rs, k, (r, i) => r.pauseKinds[i] === k));
  return {
    policy: policy.name,
    answers: rs.length,
    cutOffs: cut.length,
    cutOffPct: rs.length ? (100 * cut.length) / rs.length : NaN,
    noReply: rs.filter((r) => r.cutOffAtMs === null && r.deadAirMs === null).length,
    deadAir: { n: dead.length, p50: median(dead), p95: percentile(dead, 95) },
    byPause,
    byKind,
  };
}

const meets = (f: PolicyFigures) => f.answers > 0 && f.cutOffPct <= GOAL.cutOffPct && f.deadAir.p50 <= GOAL.deadAirMs;

/** The best policy meeting the goal (least dead air), or the nearest one (normalised distance to the goal). */
export function verdict(figs: PolicyFigures[]): { policy: string | null; met: boolean; line: string } {
  const ok = figs.filter(meets).sort((a, b) => a.deadAir.p50 - b.deadAir.p50);
  if (ok[0]) return { policy: ok[0].policy, met: true, line: `goal met by ${ok.map((f) => f.policy).join(', ')}; best: ${ok[0].policy}` };
  const miss = (f: PolicyFigures) =>
    Math.max(0, f.cutOffPct - GOAL.cutOffPct) / GOAL.cutOffPct + Math.max(0, (f.deadAir.p50 || 1e9) - GOAL.deadAirMs) / GOAL.deadAirMs;
  const near = figs.filter((f) => f.answers > 0).sort((a, b) => miss(a) - miss(b))[0];
  return { policy: near?.policy ?? null, met: false, line: `goal met by no policy; nearest: ${near?.policy ?? 'none'}` };
}

const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${v.toFixed(0)}%`);
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${Math.round(v)}`);
const cell = (b: PauseShare) => `${b.cutOffs}/${b.pauses} (${pct(b.pct)})`;

export function table(figs: PolicyFigures[]): string {
  const head =
    '| policy vad/min/max ms | answers | false cut-offs | dead air p50 / p95 ms | no reply | cut-off rate by pause ' +
    BUCKETS.map((b) => b.name).join(' · ') +
    ' | by kind ' +
    PAUSE_KINDS.join(' · ') +
    ' |\n|---|---|---|---|---|---|---|\n';
  return (
    head +
    figs
      .map(
        (f) =>
          `| ${f.policy} | ${f.answers} | ${f.cutOffs} (${pct(f.cutOffPct)}) | ${ms(f.deadAir.p50)} / ${ms(f.deadAir.p95)} | ${f.noReply} | ` +
          f.byPause.map(cell).join(' · ') +
          ' | ' +
          f.byKind.map(cell).join(' · ') +
          ' |',
      )
      .join('\n') +
    '\n'
  );
}

/** False cut-off % (y) against median dead air (x), one labelled point per policy, the goal box shaded. */
export function chartSvg(figs: PolicyFigures[], subtitle: string[]): string {
  const W = 760;
  const H = 480;
  const L = 70;
  const R = 30;
  const T = 60 + subtitle.length * 16;
  const B = 60;
  const pts = figs.filter((f) => f.answers > 0);
  const xMax = Math.max(GOAL.deadAirMs * 2, ...pts.flatMap((f) => (Number.isNaN(f.deadAir.p50) ? [] : [f.deadAir.p50]))) * 1.1;
  // A policy that cut off every answer has no dead air: drawn at the right edge.
  const dx = (f: PolicyFigures) => (Number.isNaN(f.deadAir.p50) ? xMax / 1.1 : f.deadAir.p50);
  const yMax = Math.max(GOAL.cutOffPct * 4, ...pts.map((f) => f.cutOffPct)) * 1.1;
  const x = (v: number) => L + (v / xMax) * (W - L - R);
  const y = (v: number) => H - B - (v / yMax) * (H - T - B);
  const out = svgHead(W, H, 'turns: false cut-offs vs dead air, per turn-taking policy', subtitle);
  out.push(
    `<rect x="${x(0)}" y="${y(GOAL.cutOffPct)}" width="${x(GOAL.deadAirMs) - x(0)}" height="${y(0) - y(GOAL.cutOffPct)}" fill="#d8f0d8"/>`,
  );
  out.push(
    `<text x="${x(0) + 6}" y="${y(GOAL.cutOffPct) - 4}" font-size="11" fill="#2a7a2a">goal: ≤ ${GOAL.cutOffPct}% at ≤ ${GOAL.deadAirMs / 1000} s</text>`,
  );
  const xs = niceStep(xMax, 6);
  for (let v = 0; v <= xMax; v += xs) {
    out.push(`<line x1="${x(v)}" y1="${y(0)}" x2="${x(v)}" y2="${y(0) + 5}" stroke="#333"/>`);
    out.push(`<text x="${x(v)}" y="${y(0) + 18}" text-anchor="middle" font-size="11">${(v / 1000).toFixed(1)}</text>`);
  }
  const ys = niceStep(yMax, 6);
  for (let v = 0; v <= yMax; v += ys) {
    out.push(`<line x1="${x(0) - 5}" y1="${y(v)}" x2="${W - R}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${x(0) - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11">${Math.round(v)}%</text>`);
  }
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${W - R}" y2="${y(0)}" stroke="#333"/>`);
  out.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${T}" stroke="#333"/>`);
  out.push(
    `<text x="${(L + W - R) / 2}" y="${H - 18}" text-anchor="middle" font-size="12">median dead air (s): true end of the answer → first agent audio</text>`,
  );
  out.push(
    `<text transform="translate(18 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle" font-size="12">false cut-offs (% of answers)</text>`,
  );
  const sorted = [...pts].sort((a, b) => dx(a) - dx(b));
  out.push(
    `<polyline fill="none" stroke="#4a7ab5" stroke-dasharray="4 3" points="${sorted.map((f) => `${x(dx(f))},${y(f.cutOffPct)}`).join(' ')}"/>`,
  );
  // Labels alternate above and below the points, as neighbours often sit on the same level.
  for (const [i, f] of sorted.entries()) {
    out.push(`<circle cx="${x(dx(f))}" cy="${y(f.cutOffPct)}" r="5" fill="${meets(f) ? '#2a7a2a' : '#c0392b'}"/>`);
    out.push(
      `<text x="${x(dx(f)) - 8}" y="${y(f.cutOffPct) + (i % 2 ? 18 : -8)}" text-anchor="end" font-size="11">${esc(f.policy)} (n=${f.answers}${Number.isNaN(f.deadAir.p50) ? ', no dead air: all cut off' : ''})</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

export function writeReport(report: Record<string, unknown>, figs: PolicyFigures[], subtitle: string[]): string[] {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, 'turns.json'), JSON.stringify(report, null, 2));
  writeFileSync(path.join(RESULTS, 'turns.md'), table(figs));
  return ['turns.json', 'turns.md', ...writeChart(RESULTS, 'turns', chartSvg(figs, subtitle))];
}
