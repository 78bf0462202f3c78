// compare's chart (bench/lib/svg.ts's bar panels, each on its own scale): per panel, ours beside
// the plain agent. Bars: the p50 over every turn (greeting: over every round); whiskers: the
// lowest and highest round's p50, so the spread between rounds on the shared machine shows.
import { barChartSvg, type Bar, type Panel } from '../lib/svg.js';
import type { Summary } from '../../testkit/stats.js';
import { GREETING_GOAL_MS, type CompareFigures, type Part } from './figures.js';

const COLOR = { ours: '#d62728', plain: '#4e79a7' };
export const PART_LABEL: Record<Part, string> = {
  gap: 'reply gap',
  endpointing: 'endpointing (eou delay)',
  llmTtft: 'LLM TTFT (llm node)',
  tts: 'TTS TTFB',
  rest: 'rest (transport, scheduling)',
  llmServed: 'LLM as served',
  inbound: 'inbound',
  commitToLlm: 'commit → LLM request',
  llmToFrame: 'LLM → first frame − TTS',
  outbound: 'outbound',
};
const ms = (v: number) => `${Math.round(v)} ms`;
const signed = (v: number) => `${v >= 0 ? '+' : ''}${Math.round(v)} ms`;

export function compareSvg(f: CompareFigures, subtitle: string[]): string {
  const panels: Panel[] = [];
  for (const row of f.parts.filter((r) => ['gap', 'endpointing', 'llmTtft', 'tts', 'rest'].includes(r.part))) {
    const bar = (kind: 'ours' | 'plain'): Bar => ({
      label: kind,
      value: row[kind].p50,
      min: Math.min(...row.roundP50[kind]),
      max: Math.max(...row.roundP50[kind]),
      color: COLOR[kind],
      notes: [
        `p95 ${ms(row[kind].p95)} · n ${row[kind].n}`,
        kind === 'ours' ? `Δ p50 ${signed(row.diffP50)}, mean ${signed(row.diffMean)}` : '',
      ],
    });
    panels.push({
      heading: row.part === 'gap' ? `reply gap: ours/plain ${f.replyGap.ratioP50.toFixed(2)}× p50` : PART_LABEL[row.part],
      bars: [bar('ours'), bar('plain')],
      ...(row.part === 'gap' ? { goal: { value: row.plain.p50 * f.goal.ratio, label: `${f.goal.ratio}× plain` } } : {}),
    });
  }
  // Greetings: one figure per round, so the bar is the p50 over rounds and the whiskers min–max.
  const perRound = (s: { ours: Summary; plain: Summary }) =>
    (['ours', 'plain'] as const).map((kind): Bar => ({
      label: kind,
      value: s[kind].p50,
      min: s[kind].min,
      max: s[kind].max,
      color: COLOR[kind],
      notes: [`n ${s[kind].n}`],
    }));
  panels.push({ heading: `join → greeting: ${f.greeting.ratioP50.toFixed(2)}×`, bars: perRound(f.greeting) });
  panels.push({
    heading: 'agent joined → greeting',
    bars: perRound(f.greetingAfterAgentJoined),
    goal: { value: GREETING_GOAL_MS, label: 'goal 1.5 s' },
  });
  return barChartSvg({
    title: 'Our interviewer vs a plain LiveKit Agents voice agent, same providers, same run',
    subtitle,
    yLabel: 'ms',
    panels,
  });
}
