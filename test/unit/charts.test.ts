import { describe, expect, it } from 'vitest';
import { clip } from '../../src/clip.js';
import { concurrencyChart, grpcProbeChart, latencyChart, memoryChart, rateChart, restProbeChart } from '../../src/check-kit/charts.js';
import type { Chart } from '../../src/check-kit/verdict.js';
import { seriesColours, statusColour } from '../../src/report/chart-colours.js';
import { svgChart } from '../../src/report/svg-chart.js';
import type { GrpcSendResult } from '../../src/probes/oversize-grpc.js';
import type { RestSendResult } from '../../src/probes/oversize-rest.js';
import { latencyStats, type FloodReport } from '../../src/probes/flood.js';

const MiB = 1048576;
const calls = [
  { startMs: 0, endMs: 100, status: 'OK', message: '', connection: 0 },
  { startMs: 0, endMs: 120, status: 'RESOURCE_EXHAUSTED', message: 'Server Threadpool Exhausted', connection: 0 },
  { startMs: 0, endMs: 300, status: 'UNAVAILABLE', message: 'x', connection: 1 },
];
const floodReport = (): FloodReport => ({
  requested: { connections: 2, inFlightPerConnection: 2, maxCalls: 3, maxDurationMs: 1000 },
  achieved: { count: 3, durationMs: 300, rate: 10, okRate: 3.3 },
  statusCodes: { OK: 1, RESOURCE_EXHAUSTED: 1, UNAVAILABLE: 1 }, errors: {},
  latencyMs: { all: latencyStats('all calls', [100, 120, 300]), byStatus: { RESOURCE_EXHAUSTED: latencyStats('RESOURCE_EXHAUSTED', [120]), OK: latencyStats('OK', [100]) } },
  histogram: [], endReason: 'count', serverStreamLimit: 2, openAtFirstRefusal: null, calls,
});
const grpc: GrpcSendResult = { announced: 1073741825, bytesSent: 1073741825, grpcStatus: 8, grpcMessage: 'Received message larger than max', rstCode: null, answerAfterMs: 900, answerAfterLastByteMs: 3, durationMs: 901, error: null };
const rest: RestSendResult = { declared: 1073741825, bytesSent: 0, status: 413, headers: {}, body: '', closedBeforeBodyDone: false, continueReceived: false, connectionError: null, answerAfterMs: 9, durationMs: 9 };
const mem = { samples: 3, memoryBaselineBytes: 100 * MiB, memoryPeakBytes: 4142 * MiB, cpuPeakPercent: 50, memorySeries: [[0, 100 * MiB], [1, 4142 * MiB], [2, 300 * MiB]] as [number, number][] };

/** The fill or stroke colour drawn for a series' legend entry in the SVG. */
function legendColour(svg: string, name: string): string | undefined {
  const at = svg.indexOf(`>${name}</text>`);
  const before = svg.slice(0, at);
  return [...before.matchAll(/(?:fill|stroke)="(#[0-9a-f]{6})"/g)].at(-1)?.[1];
}

describe('charts', () => {
  it('gives each status one colour in every chart, whatever the order of the series', () => {
    const a = svgChart(rateChart(calls, 'one'));
    const b = svgChart(rateChart([...calls].reverse().map((c) => ({ ...c, status: c.status === 'OK' ? 'OK' : c.status })), 'two'));
    const lat = svgChart(latencyChart(floodReport()));
    for (const s of ['OK', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE']) expect(legendColour(a, s)).toBe(legendColour(b, s));
    // The latency bars name populations with their count; the status still decides the colour.
    expect(legendColour(lat, 'RESOURCE_EXHAUSTED (n=1)')).toBe(legendColour(a, 'RESOURCE_EXHAUSTED'));
    expect(legendColour(lat, 'OK (n=1)')).toBe(legendColour(a, 'OK'));
    // A REST refusal and a gRPC refusal are told apart, a served call is never a failure's colour.
    expect(new Set([statusColour('OK'), statusColour('HTTP 200')])).toEqual(new Set([statusColour('OK')]));
    expect(statusColour('HTTP 413')).not.toBe(statusColour('RESOURCE_EXHAUSTED'));
    expect(statusColour('UNAVAILABLE')).not.toBe(statusColour('OK'));
    // Numbers in a series name are not statuses: "answered at 500 ms" is neutral.
    expect(statusColour('sent, answered at 500 ms')).toBeNull();
    expect(statusColour('sent, HTTP 413 at 9 ms')).toBe(statusColour('HTTP 413'));
  });

  it('never gives two neutral series of one chart the same colour, nor a status colour', () => {
    const names = ['working set', 'all calls (n=3)', 'sent', 'calls at once', 'a', 'b'];
    const colours = seriesColours(names);
    expect(new Set(colours).size).toBe(names.length);
    const statusColours = ['OK', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'HTTP 413', 'HTTP 503', 'CANCELLED'].map(statusColour);
    for (const c of colours) expect(statusColours).not.toContain(c);
  });

  it('draws a configured limit as a dashed reference line, named, with its value, inside the y range', () => {
    const chart = memoryChart(mem, 'memory', [{ name: 'grpc_memory_quota', value: 2048 * MiB }]);
    expect(chart.kind === 'line' && chart.refLines).toEqual([{ name: 'grpc_memory_quota', value: 2048 }]);
    const svg = svgChart(chart);
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).toContain('>grpc_memory_quota: 2048</text>');
    // A limit above every measurement still shows: the y axis reaches it.
    const high = svgChart(concurrencyChart('calls', [{ name: 'peak', calls: 3 }], { name: 'stream limit', value: 100 }));
    const y = [...high.matchAll(/<line x1="56" x2="624" y1="([\d.]+)"[^>]*stroke-dasharray/g)].map((m) => Number(m[1]));
    expect(y).toHaveLength(1);
    expect(y[0]).toBeGreaterThanOrEqual(28);
  });

  it('labels both axes of every chart the harness draws, with a unit where the axis is a quantity', () => {
    const charts: Chart[] = [
      rateChart(calls, 'rate'), latencyChart(floodReport()), memoryChart(mem), grpcProbeChart(grpc, 'grpc'), restProbeChart(rest, 'rest'),
      concurrencyChart('calls', [{ name: 'peak', calls: 3 }], null),
    ];
    for (const c of charts) {
      expect(c.y, c.title).toMatch(/calls\/s|\((ms|MiB|s)\)|MiB|calls at once/);
      expect(c.kind === 'line' ? c.x : c.x ?? '', c.title).toMatch(/\((s|ms)\)$|^(percentile|observation|request)$/);
      const svg = svgChart(c);
      expect(svg).toContain(`>${c.y.replace(/&/g, '&amp;')}</text>`);
      if (c.kind === 'line' || c.x) expect(svg).toContain(`>${c.kind === 'line' ? c.x : c.x}</text>`);
    }
  });

  it('writes category and legend names whole, however long', () => {
    const long = 'open on the wire at the first refusal of the flood, an upper bound';
    const svg = svgChart(concurrencyChart('calls', [{ name: long, calls: 3 }, { name: 'request 10 (cut)', calls: 1 }], null));
    expect(svg).toContain(`>${long}</text>`);
    expect(svg).toContain('>request 10 (cut)</text>');
    const legend = 'sent, answered at 123456 ms after the last byte of a 1073741825-byte message';
    expect(svgChart({ kind: 'line', title: 't', x: 'time (ms)', y: 'MiB sent', series: [{ name: legend, points: [[0, 0], [1, 1]] }] })).toContain(`>${legend}</text>`);
  });
});

describe('clip', () => {
  it('never cuts a number or a word: it stops before it and says so', () => {
    const msg = 'Received message larger than max. Actual: 1073741791 bytes, limit 1073741824';
    for (let max = 10; max < msg.length; max++) {
      const c = clip(msg, max);
      expect(c.endsWith('...')).toBe(true);
      const kept = c.slice(0, -3);
      expect(msg.startsWith(kept)).toBe(true);
      // What is kept ends at a boundary: the next character of the original is not part of a word.
      expect(msg[kept.length] === undefined || /[\s.,]/.test(msg[kept.length]!) || kept.length === 0).toBe(true);
      for (const n of kept.match(/\d+/g) ?? []) expect(['1073741791', '1073741824']).toContain(n);
    }
    expect(clip('short', 10)).toBe('short');
  });
});
