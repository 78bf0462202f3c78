// SVG charts of the benchmarks, hand-written (no dependencies), and how they are written to disk.
// barChartSvg: side-by-side panels, each with its own y scale (so a much faster informational
// baseline does not flatten the bars that matter): one bar per target, the spread over rounds as a
// whisker, an optional goal line, and notes under each bar. The per-turn stacked chart of
// agent-latency is bench/latency/plot.ts, on the helpers exported here.
//
// Hand-written rather than a charting library: the charts are static files with a few dozen
// elements, and the libraries that draw SVG in Node (vega, chart.js + canvas) bring a headless
// renderer or native canvas bindings for what is here a page of string templates.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Bar {
  label: string;
  value: number;
  min?: number;
  max?: number;
  /** Extra lines under the label (latencies, CPU…). */
  notes?: string[];
  color?: string;
}

export interface Panel {
  /** Shown above the panel. */
  heading?: string;
  bars: Bar[];
  goal?: { value: number; label: string };
}

export interface BarChart {
  title: string;
  /** Lines under the title. */
  subtitle?: string[];
  yLabel: string;
  panels: Panel[];
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => Math.round(v).toLocaleString('en-US');

/** A round tick step (1, 2 or 5 × a power of ten) that cuts `span` into about `ticks` parts. */
export function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const n = raw / mag;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
}

/** The opening of a chart: the svg element on a white page, the title and the lines under it. */
export function svgHead(W: number, H: number, title: string, subtitle: string[]): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="30" text-anchor="middle" font-size="18" font-weight="bold">${esc(title)}</text>`,
    ...subtitle.map(
      (line, i) => `<text x="${W / 2}" y="${52 + i * 16}" text-anchor="middle" font-size="12" fill="#555">${esc(line)}</text>`,
    ),
  ];
}

export function barChartSvg(chart: BarChart): string {
  const slotW = 220;
  const gap = 70; // between panels: room for the next panel's axis labels
  const m = { top: 100, right: 30, bottom: 100, left: 80 };
  const nBars = chart.panels.reduce((n, p) => n + p.bars.length, 0);
  const W = Math.max(640, m.left + m.right + nBars * slotW + (chart.panels.length - 1) * gap);
  const H = 500;
  const plotH = H - m.top - m.bottom;
  const base = m.top + plotH;
  const out = svgHead(W, H, chart.title, chart.subtitle ?? []);
  out.push(
    `<text transform="translate(22 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="13" fill="#333">${esc(chart.yLabel)}</text>`,
  );

  const extra = W - (m.left + m.right + nBars * slotW + (chart.panels.length - 1) * gap);
  let left = m.left + extra / 2;
  for (const panel of chart.panels) {
    const width = panel.bars.length * slotW;
    const right = left + width;
    const top = Math.max(1, ...panel.bars.map((b) => b.max ?? b.value), panel.goal?.value ?? 0) * 1.12;
    const step = niceStep(top, 5);
    const yMax = Math.ceil(top / step) * step;
    const y = (v: number) => base - (v / yMax) * plotH;
    const barW = Math.min(110, slotW * 0.5);

    for (let v = 0; v <= yMax + 1e-9; v += step) {
      out.push(
        `<line x1="${left}" x2="${right}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`,
        `<text x="${left - 8}" y="${y(v) + 4}" text-anchor="end" font-size="12" fill="#333">${fmt(v)}</text>`,
      );
    }
    out.push(
      `<line x1="${left}" x2="${left}" y1="${m.top}" y2="${base}" stroke="#333"/>`,
      `<line x1="${left}" x2="${right}" y1="${base}" y2="${base}" stroke="#333"/>`,
    );
    if (panel.heading) {
      out.push(
        `<text x="${(left + right) / 2}" y="${m.top - 12}" text-anchor="middle" font-size="13" fill="#333">${esc(panel.heading)}</text>`,
      );
    }
    panel.bars.forEach((b, i) => {
      const cx = left + slotW * i + slotW / 2;
      out.push(
        `<rect x="${cx - barW / 2}" y="${y(b.value)}" width="${barW}" height="${base - y(b.value)}" fill="${b.color ?? '#4e79a7'}"/>`,
      );
      if (b.min !== undefined && b.max !== undefined) {
        out.push(
          `<line x1="${cx}" x2="${cx}" y1="${y(b.min)}" y2="${y(b.max)}" stroke="#222" stroke-width="1.5"/>`,
          `<line x1="${cx - 10}" x2="${cx + 10}" y1="${y(b.min)}" y2="${y(b.min)}" stroke="#222" stroke-width="1.5"/>`,
          `<line x1="${cx - 10}" x2="${cx + 10}" y1="${y(b.max)}" y2="${y(b.max)}" stroke="#222" stroke-width="1.5"/>`,
        );
      }
      out.push(
        `<text x="${cx + 14}" y="${Math.min(y(b.max ?? b.value), y(b.value)) - 8}" font-size="13" font-weight="bold">${fmt(b.value)}</text>`,
        `<text x="${cx}" y="${base + 20}" text-anchor="middle" font-size="13" font-weight="bold">${esc(b.label)}</text>`,
      );
      (b.notes ?? []).filter(Boolean).forEach((n, j) => {
        out.push(`<text x="${cx}" y="${base + 38 + j * 16}" text-anchor="middle" font-size="11" fill="#444">${esc(n)}</text>`);
      });
    });
    if (panel.goal) {
      const gy = y(panel.goal.value);
      out.push(
        `<line x1="${left}" x2="${right}" y1="${gy}" y2="${gy}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6 4"/>`,
        `<text x="${right - 4}" y="${gy - 6}" text-anchor="end" font-size="12" fill="#d62728">${esc(panel.goal.label)}</text>`,
      );
    }
    left = right + gap;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Greedy word wrap to lines of at most `maxChars` characters. */
export function wrapWords(line: string, maxChars: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of line.split(' ')) {
    if (cur && cur.length + 1 + word.length > maxChars) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  return cur ? [...lines, cur] : lines;
}

/** Writes `<dir>/<name>.svg`, and `<name>.png` when rsvg-convert is installed; returns the file names written. */
export function writeChart(dir: string, name: string, svg: string): string[] {
  const svgPath = path.join(dir, `${name}.svg`);
  writeFileSync(svgPath, svg);
  try {
    execFileSync('rsvg-convert', ['-o', path.join(dir, `${name}.png`), svgPath], { stdio: 'ignore' });
    return [`${name}.svg`, `${name}.png`];
  } catch {
    // rsvg-convert is optional (apt-get install librsvg2-bin).
    return [`${name}.svg`];
  }
}
