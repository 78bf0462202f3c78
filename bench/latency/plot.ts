// agent-latency's chart: per-turn stacked bars (ours at the bottom, so the goal line reads against
// it), and the same "ours" on its own scale, attributed (bench/README.md describes both panels).
import { esc, niceStep, svgHead, wrapWords } from '../lib/svg.js';
import type { PairedTurn } from './pairing.js';
import { GOAL_MS } from './settings.js';

const COLORS = {
  ours: '#d62728',
  tts: '#59a14f',
  llm: '#f28e2b',
  endpointing: '#4e79a7',
  // Panel 2: ours, attributed.
  transport: '#bab0ac',
  vadTail: '#76b7b2',
  leadIn: '#b07aa1',
};

export function plotSvg(
  turns: PairedTurn[],
  o: { title: string; subtitle: string[]; p95Ours: number; floorOneWay: number | null; footer: string[] },
): string {
  const n = Math.max(1, turns.length);
  const m = { left: 80, right: 40, top: 60 + o.subtitle.length * 16 + 20 };
  const W = Math.max(1000, m.left + m.right + n * 20);
  const plotW = W - m.left - m.right;
  const slot = plotW / n;
  const barW = Math.max(3, slot * 0.72);
  const h1 = 320;
  const h2 = 200;
  const gap = 70;
  const top1 = m.top;
  const top2 = top1 + h1 + gap;
  const legendY = top2 + h2 + 58;
  const maxChars = Math.floor((W - m.left - m.right) / 6.4);
  const wrapped = o.footer.flatMap((line) => wrapWords(line, maxChars));
  const H = legendY + 44 + wrapped.length * 16 + 6;
  const out = svgHead(W, H, o.title, o.subtitle);

  const axis = (top: number, h: number, lo: number, hi: number, label: string, heading: string) => {
    const step = niceStep(hi - lo, 6);
    const yMin = Math.floor(lo / step) * step;
    const yMax = Math.ceil(hi / step) * step;
    const y = (v: number) => top + h - ((v - yMin) / (yMax - yMin)) * h;
    for (let v = yMin; v <= yMax + 1e-9; v += step) {
      out.push(
        `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#999' : '#e6e6e6'}"/>`,
        `<text x="${m.left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#333">${Math.round(v).toLocaleString('en-US')}</text>`,
      );
    }
    out.push(
      `<line x1="${m.left}" x2="${m.left}" y1="${top}" y2="${top + h}" stroke="#333"/>`,
      `<text transform="translate(22 ${top + h / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="#333">${esc(label)}</text>`,
      `<text x="${m.left}" y="${top - 10}" font-size="13" font-weight="bold" fill="#333">${esc(heading)}</text>`,
    );
    return y;
  };
  const hline = (y: number, color: string, text: string, dash: string, anchorRight: boolean) => {
    out.push(
      `<line x1="${m.left}" x2="${m.left + plotW}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="${dash}"/>`,
    );
    // A white halo keeps the label readable over the bars.
    out.push(
      `<text x="${anchorRight ? m.left + plotW - 4 : m.left + 4}" y="${y - 5}" text-anchor="${anchorRight ? 'end' : 'start'}" font-size="11" font-weight="bold" fill="${color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(text)}</text>`,
    );
  };
  const xOf = (i: number) => m.left + slot * i + (slot - barW) / 2;
  const interviewBreaks = (top: number, h: number) => {
    turns.forEach((t, i) => {
      if (i > 0 && turns[i - 1]!.interview !== t.interview) {
        const x = m.left + slot * i;
        out.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${top + h}" stroke="#bbb" stroke-dasharray="2 3"/>`);
      }
    });
  };

  // Panel 1: the whole latency, stacked.
  const maxLat = Math.max(GOAL_MS, ...turns.map((t) => Math.max(t.latencyMs, t.endpointingMs + t.llmMs + t.ttsMs + Math.max(0, t.oursMs))));
  const y1 = axis(top1, h1, 0, maxLat * 1.05, 'ms', 'Per turn: last answer frame sent → first reply audio heard, split into its parts');
  interviewBreaks(top1, h1);
  turns.forEach((t, i) => {
    let base = 0;
    for (const [key, v] of [
      ['ours', Math.max(0, t.oursMs)],
      ['tts', t.ttsMs],
      ['llm', t.llmMs],
      ['endpointing', t.endpointingMs],
    ] as const) {
      if (v <= 0) continue;
      out.push(`<rect x="${xOf(i)}" y="${y1(base + v)}" width="${barW}" height="${y1(base) - y1(base + v)}" fill="${COLORS[key]}"/>`);
      base += v;
    }
  });
  hline(y1(GOAL_MS), '#d62728', `goal: ours ≤ ${GOAL_MS} ms at p95`, '6 4', true);
  if (Number.isFinite(o.p95Ours)) hline(y1(o.p95Ours), '#222', `p95 of ours: ${Math.round(o.p95Ours)} ms`, '3 3', false);

  // Panel 2: ours alone.
  const oursVals = turns.map((t) => t.oursMs);
  const lo = Math.min(0, ...oursVals);
  const hi = Math.max(GOAL_MS, Number.isFinite(o.p95Ours) ? o.p95Ours : 0, ...oursVals) * 1.12;
  const y2 = axis(top2, h2, lo, hi, 'ms', 'Our overhead per turn (latency − endpointing − LLM − TTS first byte), own scale, attributed');
  interviewBreaks(top2, h2);
  turns.forEach((t, i) => {
    // Bottom up: what the agent's processing adds, then the parts it does not choose per turn:
    // the transport floor both ways, the VAD's tail, espeak-ng's lead-in silence.
    // A negative part (the VAD can place the end of speech before a quiet final consonant ends) is
    // folded into the transport segment, so that the stack still adds up to ours.
    let parts: [keyof typeof COLORS, number][] = [['ours', t.oursMs]];
    if (o.floorOneWay !== null && t.agentMs !== null && t.vadTailMs !== null && t.ttsLeadInMs !== null) {
      const own: [keyof typeof COLORS, number][] = [
        ['ours', t.agentMs],
        ['leadIn', t.ttsLeadInMs],
        ['vadTail', t.vadTailMs],
      ];
      const shown = own.map(([k, v]) => [k, Math.max(0, v)] as [keyof typeof COLORS, number]);
      parts = [...shown, ['transport', t.oursMs - shown.reduce((sum, [, v]) => sum + v, 0)]];
    }
    let base = 0;
    for (const [key, v] of parts) {
      if (v <= 0) continue;
      out.push(`<rect x="${xOf(i)}" y="${y2(base + v)}" width="${barW}" height="${y2(base) - y2(base + v)}" fill="${COLORS[key]}"/>`);
      base += v;
    }
    if (t.oursMs < 0) out.push(`<rect x="${xOf(i)}" y="${y2(0)}" width="${barW}" height="${y2(t.oursMs) - y2(0)}" fill="${COLORS.ours}"/>`);
  });
  hline(y2(GOAL_MS), '#d62728', `goal ${GOAL_MS} ms`, '6 4', true);
  if (Number.isFinite(o.p95Ours)) hline(y2(o.p95Ours), '#222', `p95 of ours: ${Math.round(o.p95Ours)} ms`, '3 3', false);
  // Turn numbers under panel 2 (every k-th).
  const every = Math.max(1, Math.ceil(n / 25));
  turns.forEach((_, i) => {
    if (i % every === 0)
      out.push(`<text x="${xOf(i) + barW / 2}" y="${top2 + h2 + 14}" text-anchor="middle" font-size="10" fill="#555">${i + 1}</text>`);
  });
  out.push(
    `<text x="${m.left + plotW / 2}" y="${top2 + h2 + 30}" text-anchor="middle" font-size="11" fill="#333">paired turn (dotted lines: next interview)</text>`,
  );

  // Legend and notes.
  const legend = (y: number, entries: [keyof typeof COLORS, string][]) => {
    let lx = m.left;
    for (const [key, label] of entries) {
      out.push(`<rect x="${lx}" y="${y - 10}" width="12" height="12" fill="${COLORS[key]}"/>`);
      out.push(`<text x="${lx + 17}" y="${y}" font-size="12" fill="#333">${esc(label)}</text>`);
      lx += 30 + label.length * 6.2;
    }
  };
  legend(legendY, [
    ['endpointing', 'endpointing (agent eou delay)'],
    ['llm', 'LLM (injected delay, as served)'],
    ['tts', 'TTS first byte (espeak-ng)'],
    ['ours', 'ours (bottom panel: agent processing)'],
  ]);
  legend(legendY + 18, [
    ['transport', `transport floor, both ways (${o.floorOneWay === null ? 'n/a' : Math.round(o.floorOneWay)} ms each, probes)`],
    ['vadTail', 'Silero VAD tail (offline, per answer)'],
    ['leadIn', 'espeak-ng lead-in silence'],
  ]);
  wrapped.forEach((line, i) => out.push(`<text x="${m.left}" y="${legendY + 44 + i * 16}" font-size="12" fill="#333">${esc(line)}</text>`));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
