// Charts as inline SVG, so the HTML report needs nothing at view time: lines over time with axes,
// ticks and a legend, or grouped bars per category, with configured limits drawn across as dashed
// reference lines. Pure: a chart in, markup out.
import type { Chart, RefLine } from '../check-kit/verdict.js';
import { seriesColours } from './chart-colours.js';

const W = 640;
const H = 240;
const PAD = { left: 56, right: 16, top: 28, bottom: 40 };
const REF = '#333333';

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round tick values: 1, 2 or 5 times a power of ten. */
function ticks(max: number, n = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [0];
  while (out[out.length - 1]! < max) out.push(Math.round(out.length * step * 1e6) / 1e6);
  return out;
}

const fmt = (v: number): string => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(Math.round(v * 100) / 100));

interface Key { name: string; colour: string; dashed?: boolean }

function frame(title: string, xLabel: string, yLabel: string, yTicks: number[], yMax: number, body: string, legend: Key[], refs: readonly RefLine[]): string {
  const y = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const grid = yTicks.map((t) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}" class="grid"/><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`).join('');
  const refLines = refs.map((r) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(r.value).toFixed(1)}" y2="${y(r.value).toFixed(1)}" stroke="${REF}" stroke-width="1.5" stroke-dasharray="6 4"><title>${esc(`${r.name}: ${fmt(r.value)} ${yLabel}`)}</title></line><text x="${W - PAD.right - 4}" y="${(y(r.value) - 4).toFixed(1)}" text-anchor="end" class="ref">${esc(`${r.name}: ${fmt(r.value)}`)}</text>`).join('');
  // Legend entries side by side, each as wide as its name at about 6 px a character, wrapping onto
  // more rows below the plot; the picture grows by the rows it needs. Names are never cut.
  let at = PAD.left;
  let row = 0;
  const keys = [...legend, ...refs.map((r) => ({ name: r.name, colour: REF, dashed: true }))].map((k) => {
    const width = 30 + k.name.length * 6;
    if (at > PAD.left && at + width > W) { at = PAD.left; row++; }
    const top = H + row * 16;
    const mark = k.dashed
      ? `<line x1="${at}" x2="${at + 10}" y1="${top + 5}" y2="${top + 5}" stroke="${k.colour}" stroke-width="2" stroke-dasharray="3 2"/>`
      : `<rect x="${at}" y="${top}" width="10" height="10" fill="${k.colour}"/>`;
    const key = `${mark}<text x="${at + 14}" y="${top + 9}">${esc(k.name)}</text>`;
    at += width;
    return key;
  }).join('');
  const height = H + 16 + row * 16;
  return `<svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" xmlns="http://www.w3.org/2000/svg">
<title>${esc(title)}</title><text x="${W / 2}" y="16" text-anchor="middle" class="chart-title">${esc(title)}</text>
${grid}<text x="12" y="${PAD.top - 8}">${esc(yLabel)}</text><text x="${W - PAD.right}" y="${H - PAD.bottom + 30}" text-anchor="end">${esc(xLabel)}</text>
<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="axis"/><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" class="axis"/>
${body}${refLines}${keys}</svg>`;
}

function line(c: Extract<Chart, { kind: 'line' }>): string {
  const all = c.series.flatMap((s) => s.points);
  const refs = c.refLines ?? [];
  const xMax = Math.max(1e-9, ...all.map(([x]) => x));
  const yT = ticks(Math.max(0, ...all.map(([, v]) => v), ...refs.map((r) => r.value)));
  const yMax = yT[yT.length - 1]! || 1;
  const colours = seriesColours(c.series.map((s) => s.name));
  const x = (v: number): number => PAD.left + (v / xMax) * (W - PAD.left - PAD.right);
  const y = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const xTicks = ticks(xMax).filter((t) => t <= xMax * 1.0001).map((t) => `<text x="${x(t)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${fmt(t)}</text>`).join('');
  const paths = c.series.map((s, i) => `<polyline fill="none" stroke="${colours[i]}" stroke-width="2" points="${s.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>${s.points.length <= 3 ? s.points.map(([a, b]) => `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${colours[i]}"/>`).join('') : ''}`).join('');
  return frame(c.title, c.x, c.y, yT, yMax, xTicks + paths, c.series.map((s, i) => ({ name: s.name, colour: colours[i]! })), refs);
}

function bars(c: Extract<Chart, { kind: 'bars' }>): string {
  const refs = c.refLines ?? [];
  const yT = ticks(Math.max(0, ...c.series.flatMap((s) => s.values), ...refs.map((r) => r.value)));
  const yMax = yT[yT.length - 1]! || 1;
  const colours = seriesColours(c.series.map((s) => s.name));
  const groupW = (W - PAD.left - PAD.right) / Math.max(1, c.categories.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, c.series.length));
  const y = (v: number): number => H - PAD.bottom - (v / yMax) * (H - PAD.top - PAD.bottom);
  const body = c.categories.map((cat, ci) => {
    const x0 = PAD.left + ci * groupW + groupW * 0.1;
    const rects = c.series.map((s, si) => { const v = s.values[ci] ?? 0; return `<rect x="${(x0 + si * barW).toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(H - PAD.bottom - y(v)).toFixed(1)}" fill="${colours[si]}"><title>${esc(`${s.name} ${cat}: ${fmt(v)} ${c.y}`)}</title></rect>`; }).join('');
    // A category label wider than its group is drawn smaller rather than cut.
    const fit = Math.min(1, (groupW * 0.95) / Math.max(1, cat.length * 6));
    return `${rects}<text x="${(x0 + groupW * 0.4).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle"${fit < 1 ? ` style="font-size:${Math.max(6, 11 * fit).toFixed(1)}px"` : ''}>${esc(cat)}</text>`;
  }).join('');
  return frame(c.title, c.x ?? '', c.y, yT, yMax, body, c.series.map((s, i) => ({ name: s.name, colour: colours[i]! })), refs);
}

export function svgChart(c: Chart): string {
  return c.kind === 'line' ? line(c) : bars(c);
}
