// A bounded gRPC flood: N HTTP/2 connections (raw, see h2-connection.ts) x M calls in flight
// per connection, each call one pre-encoded request, stopped by a call count or a duration,
// whichever comes first. Reports in the shape of a load report: requested vs achieved rate, a
// key-sorted status histogram, normalised error messages with one raw example, and latency
// statistics that name their population, over fixed bucket edges so runs compare.
import { H2Connection } from './h2-connection.js';
import { encodeHeaderBlock } from './hpack.js';
import { assertFloodTarget } from './loopback.js';
import type { Endpoint } from '../protocol/endpoint.js';
import { authHeaders, hostPort, tlsOptions } from '../protocol/connect.js';

export interface FloodOptions {
  endpoint: Endpoint;
  method: string;
  /** The whole gRPC body: 5-byte prefix + serialized message, sent as is for every call. */
  body: Buffer;
  connections: number;
  inFlightPerConnection: number;
  maxCalls: number;
  maxDurationMs: number;
  allowRemote?: boolean;
  progress?: (line: string) => void;
  /** Deadline of one call; a call without an answer by then counts as DEADLINE_EXCEEDED. */
  callTimeoutMs?: number;
}

export interface CallRecord { startMs: number; endMs: number; status: string; message: string; connection: number }

export interface LatencyStats { population: string; n: number; min: number; mean: number; p50: number; p90: number; p99: number; p999: number; max: number }

export interface FloodReport {
  requested: { connections: number; inFlightPerConnection: number; maxCalls: number; maxDurationMs: number };
  achieved: { count: number; durationMs: number; rate: number; okRate: number };
  statusCodes: Record<string, number>;
  errors: Record<string, { count: number; example: string }>;
  latencyMs: { all: LatencyStats; byStatus: Record<string, LatencyStats> };
  histogram: { le: number | '+Inf'; count: number; frequency: number }[];
  endReason: 'count' | 'duration';
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announced on the flood's connections (null: none); calls beyond it waited on this side. */
  serverStreamLimit: number | null;
  /** Calls open on the wire (sent, unanswered, on every connection) when the first non-OK answer came: an upper bound of what the server held then. */
  openAtFirstRefusal: { open: number; status: string; atMs: number } | null;
  calls: CallRecord[];
}

export const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export function normaliseMessage(m: string): string {
  return m.replace(/\d+/g, 'N');
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function latencyStats(population: string, values: ArrayLike<number>): LatencyStats {
  const s = Float64Array.from(values).sort();
  const r = (x: number): number => Math.round(x * 100) / 100;
  let sum = 0;
  for (const v of s) sum += v;
  return {
    population, n: s.length, min: r(s[0] ?? 0), mean: r(sum / (s.length || 1)),
    p50: r(percentile(s, 50)), p90: r(percentile(s, 90)), p99: r(percentile(s, 99)), p999: r(percentile(s, 99.9)), max: r(s[s.length - 1] ?? 0),
  };
}

export function summarise(calls: CallRecord[], opts: Pick<FloodOptions, 'connections' | 'inFlightPerConnection' | 'maxCalls' | 'maxDurationMs'>, durationMs: number, endReason: FloodReport['endReason']): Omit<FloodReport, 'serverStreamLimit' | 'openAtFirstRefusal'> {
  const statusCodes: Record<string, number> = {};
  const errors: Record<string, { count: number; example: string }> = {};
  const byStatusValues: Record<string, number[]> = {};
  for (const c of calls) {
    statusCodes[c.status] = (statusCodes[c.status] ?? 0) + 1;
    (byStatusValues[c.status] ??= []).push(c.endMs - c.startMs);
    if (c.status !== 'OK') {
      const key = `${c.status}: ${normaliseMessage(c.message)}`;
      errors[key] ??= { count: 0, example: c.message };
      errors[key].count++;
    }
  }
  const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
  const all = calls.map((c) => c.endMs - c.startMs);
  const counts = new Array<number>(BUCKETS_MS.length + 1).fill(0);
  for (const v of all) {
    let i = 0;
    while (i < BUCKETS_MS.length && v > BUCKETS_MS[i]!) i++;
    counts[i]!++;
  }
  const histogram = [...BUCKETS_MS, '+Inf' as const].map((le, i) => ({ le, count: counts[i]!, frequency: Math.round((counts[i]! / (all.length || 1)) * 10000) / 10000 }));
  const ok = statusCodes['OK'] ?? 0;
  return {
    requested: { connections: opts.connections, inFlightPerConnection: opts.inFlightPerConnection, maxCalls: opts.maxCalls, maxDurationMs: opts.maxDurationMs },
    achieved: { count: calls.length, durationMs: Math.round(durationMs), rate: Math.round((calls.length / (durationMs / 1000)) * 10) / 10, okRate: Math.round((ok / (durationMs / 1000)) * 10) / 10 },
    statusCodes: sortKeys(statusCodes),
    errors: sortKeys(errors),
    latencyMs: { all: latencyStats('all calls', all), byStatus: sortKeys(Object.fromEntries(Object.entries(byStatusValues).map(([k, v]) => [k, latencyStats(`calls ending ${k}`, v)]))) },
    histogram,
    endReason,
    calls,
  };
}

export async function flood(opts: FloodOptions): Promise<FloodReport> {
  const { host, port } = hostPort(opts.endpoint);
  await assertFloodTarget(host, opts.allowRemote ?? false);
  const tls = tlsOptions(opts.endpoint, ['h2']);
  const connections = await Promise.all(Array.from({ length: opts.connections }, () => H2Connection.open(host, port, 10_000, tls)));
  const headerBlock = encodeHeaderBlock([
    [':method', 'POST'], [':scheme', tls ? 'https' : 'http'], [':path', opts.method], [':authority', opts.endpoint.address],
    ['content-type', 'application/grpc'], ['te', 'trailers'], ['user-agent', 'ovms-validate-flood'],
    ...Object.entries(authHeaders(opts.endpoint)),
  ]);
  const timeoutMs = opts.callTimeoutMs ?? 60_000;
  const calls: CallRecord[] = [];
  const t0 = performance.now();
  const deadline = t0 + opts.maxDurationMs;
  let started = 0;
  let endReason: FloodReport['endReason'] = 'count';
  let lastProgress = t0;
  let openAtFirstRefusal: FloodReport['openAtFirstRefusal'] = null;
  const report = (now: number): void => {
    if (now - lastProgress < 1000) return;
    lastProgress = now;
    const ok = calls.filter((c) => c.status === 'OK').length;
    opts.progress?.(`flood: ${calls.length}/${opts.maxCalls} calls in ${((now - t0) / 1000).toFixed(1)} s, ${ok} OK, ${calls.length - ok} other`);
  };
  // Each of the connections x inFlightPerConnection slots starts its next call when its last one ends.
  let slots = opts.connections * opts.inFlightPerConnection;
  let allDone!: () => void;
  const finished = new Promise<void>((resolve) => { allDone = resolve; });
  const next = (connection: number): void => {
    const start = performance.now();
    if (started >= opts.maxCalls || start >= deadline) {
      if (started < opts.maxCalls) endReason = 'duration';
      if (--slots === 0) allDone();
      return;
    }
    started++;
    connections[connection]!.call(headerBlock, opts.body, timeoutMs, (status, message) => {
      const end = performance.now();
      if (status !== 'OK' && openAtFirstRefusal === null) {
        openAtFirstRefusal = { open: connections.reduce((n, c) => n + c.active, 0) + 1, status: `${status} ${message}`.trim(), atMs: Math.round(end - t0) };
      }
      calls.push({ startMs: Math.round((start - t0) * 100) / 100, endMs: Math.round((end - t0) * 100) / 100, status, message, connection });
      report(end);
      next(connection);
    });
  };
  opts.progress?.(`flood: ${opts.connections} connections x ${opts.inFlightPerConnection} in flight to ${opts.endpoint.address}${opts.method}, at most ${opts.maxCalls} calls or ${(opts.maxDurationMs / 1000).toFixed(0)} s`);
  if (slots === 0) allDone();
  for (let c = 0; c < opts.connections; c++) for (let m = 0; m < opts.inFlightPerConnection; m++) next(c);
  await finished;
  const durationMs = performance.now() - t0;
  for (const c of connections) c.close();
  const limits = connections.map((c) => c.peer.maxConcurrentStreams).filter(Number.isFinite);
  const r = { ...summarise(calls, opts, durationMs, endReason), serverStreamLimit: limits.length ? Math.min(...limits) : null, openAtFirstRefusal };
  opts.progress?.(`flood: ${r.achieved.count} calls in ${(durationMs / 1000).toFixed(1)} s (${r.achieved.rate} calls/s), ended by ${endReason}: ${JSON.stringify(r.statusCodes)}`);
  return r;
}

/** Frames a serialized message for gRPC: 5-byte prefix (no compression, length) + message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}
