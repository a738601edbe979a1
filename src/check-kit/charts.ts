// Pictures of measurements for the HTML report, computed from the same observations the
// judgements read: a flood's calls per second by status over time and its latency percentiles,
// container memory over time, and a message probe's bytes sent against the time of the answer.
import type { Chart, RefLine } from './verdict.js';
import type { StatsSummary } from '../docker/container-stats.js';
import type { FloodReport } from '../probes/flood.js';
import type { GrpcSendResult } from '../probes/oversize-grpc.js';
import type { RestSendResult } from '../probes/oversize-rest.js';

const MiB = 1048576;
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

/** Calls per second ending in each status, in windows of `windowMs` (the achieved rate over time). */
export function rateChart(calls: readonly { endMs: number; status: string }[], title: string, windowMs = 250): Chart {
  const end = Math.max(windowMs, ...calls.map((c) => c.endMs));
  const n = Math.ceil(end / windowMs);
  const statuses = [...new Set(calls.map((c) => c.status))].sort();
  const counts = Object.fromEntries(statuses.map((s) => [s, new Array<number>(n).fill(0)]));
  for (const c of calls) counts[c.status]![Math.min(n - 1, Math.floor(c.endMs / windowMs))]!++;
  return {
    kind: 'line', title, x: 'time (s)', y: 'calls/s',
    series: statuses.map((s) => ({ name: s, points: counts[s]!.map((v, i): [number, number] => [round(((i + 1) * windowMs) / 1000), round(v * (1000 / windowMs), 1)]) })),
  };
}

export const floodRateChart = (r: FloodReport): Chart => rateChart(r.calls, 'flood: calls per second by status');

export function latencyChart(r: FloodReport): Chart {
  const stats = [r.latencyMs.all, ...Object.values(r.latencyMs.byStatus)];
  return {
    kind: 'bars', title: 'flood: latency percentiles (ms)', x: 'percentile', y: 'latency (ms)', categories: ['p50', 'p90', 'p99', 'p99.9', 'max'],
    series: stats.map((s) => ({ name: `${s.population} (n=${s.n})`, values: [s.p50, s.p90, s.p99, s.p999, s.max] })),
  };
}

/** Container memory over time; `limits` (in bytes) are drawn across it, e.g. the gRPC memory quota. */
export function memoryChart(mem: StatsSummary, title = 'container memory (working set)', limits: readonly RefLine[] = []): Chart {
  return {
    kind: 'line', title, x: 'time (s)', y: 'memory (MiB)', series: [{ name: 'working set', points: mem.memorySeries.map(([t, b]): [number, number] => [t, round(b / MiB, 1)]) }],
    ...(limits.length ? { refLines: limits.map((l) => ({ name: l.name, value: round(l.value / MiB, 1) })) } : {}),
  };
}

/** How many calls were in the server at once, by how it was seen, against the configured limit (a thread cap, a stream limit, nireq). */
export function concurrencyChart(title: string, seen: readonly { name: string; calls: number }[], limit: RefLine | null): Chart {
  return {
    kind: 'bars', title, x: 'observation', y: 'calls at once', categories: seen.map((s) => s.name),
    series: [{ name: 'calls at once', values: seen.map((s) => s.calls) }], ...(limit ? { refLines: [limit] } : {}),
  };
}

/** A gRPC message probe: bytes sent over time until the last byte, then the wait for the answer. */
export function grpcProbeChart(r: GrpcSendResult, title: string): Chart {
  const mib = round(r.bytesSent / MiB, 2);
  const answer = r.answerAfterMs ?? r.durationMs;
  const last = r.answerAfterLastByteMs === null ? answer : Math.max(0, answer - r.answerAfterLastByteMs);
  return { kind: 'line', title, x: 'time (ms)', y: 'MiB sent', series: [{ name: `sent, answered at ${answer} ms`, points: [[0, 0], [last, mib], [answer, mib]] }] };
}

export function restProbeChart(r: RestSendResult, title: string): Chart {
  const mib = round(r.bytesSent / MiB, 2);
  const answer = r.answerAfterMs ?? r.durationMs;
  return { kind: 'line', title, x: 'time (ms)', y: 'MiB sent', series: [{ name: `sent, ${r.status !== null ? `HTTP ${r.status}` : r.connectionError ?? 'closed'} at ${answer} ms`, points: [[0, 0], [answer, mib]] }] };
}
