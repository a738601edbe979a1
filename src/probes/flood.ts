// A bounded gRPC flood: N HTTP/2 connections (node:http2, one session each) x M calls in flight
// per connection, each call one pre-encoded request, stopped by a call count or a duration,
// whichever comes first. Reports in the shape of a load report: requested vs achieved rate, a
// key-sorted status histogram, normalised error messages with one raw example, and latency
// statistics that name their population, over fixed bucket edges so runs compare.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { assertFloodTarget } from './loopback.js';

export interface FloodOptions {
  address: string;
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
  calls: CallRecord[];
}

const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];
export const BUCKETS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

export function normaliseMessage(m: string): string {
  return m.replace(/\d+/g, 'N');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function latencyStats(population: string, values: number[]): LatencyStats {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return {
    population, n: s.length, min: r(s[0] ?? 0), mean: r(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    p50: r(percentile(s, 50)), p90: r(percentile(s, 90)), p99: r(percentile(s, 99)), p999: r(percentile(s, 99.9)), max: r(s[s.length - 1] ?? 0),
  };
}

export function summarise(calls: CallRecord[], opts: Pick<FloodOptions, 'connections' | 'inFlightPerConnection' | 'maxCalls' | 'maxDurationMs'>, durationMs: number, endReason: FloodReport['endReason']): FloodReport {
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
  const histogram = [...BUCKETS_MS, '+Inf' as const].map((le, i) => {
    const lo = i === 0 ? -Infinity : BUCKETS_MS[i - 1]!;
    const count = all.filter((v) => v > lo && (le === '+Inf' || v <= le)).length;
    return { le, count, frequency: Math.round((count / (all.length || 1)) * 10000) / 10000 };
  });
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

/** One gRPC call on a session; the status comes from trailers (or Trailers-Only headers) or the RST code. */
function oneCall(session: ClientHttp2Session, method: string, body: Buffer, timeoutMs: number): Promise<{ status: string; message: string }> {
  return new Promise((resolve) => {
    let status: string | undefined;
    let message = '';
    const take = (h: Record<string, unknown>): void => {
      if (h['grpc-status'] !== undefined) {
        status = GRPC_CODES[Number(h['grpc-status'])] ?? String(h['grpc-status']);
        try { message = decodeURIComponent(String(h['grpc-message'] ?? '')); } catch { message = String(h['grpc-message']); }
      }
    };
    let stream;
    try {
      stream = session.request({ [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: method, 'content-type': 'application/grpc', te: 'trailers' });
    } catch (e) {
      resolve({ status: 'CLIENT_ERROR', message: (e as Error).message });
      return;
    }
    stream.setTimeout(timeoutMs, () => { status ??= 'DEADLINE_EXCEEDED'; message ||= `no answer within ${timeoutMs} ms`; stream.close(constants.NGHTTP2_CANCEL); });
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => undefined);
    stream.on('error', (e: NodeJS.ErrnoException) => { message ||= e.code ?? e.message; });
    stream.on('close', () => {
      if (status === undefined) {
        const rst = stream.rstCode ?? 0;
        // As grpc-js maps resets (tooling-anchors C.2): ENHANCE_YOUR_CALM -> RESOURCE_EXHAUSTED, REFUSED_STREAM -> UNAVAILABLE.
        status = rst === constants.NGHTTP2_ENHANCE_YOUR_CALM ? 'RESOURCE_EXHAUSTED' : rst === constants.NGHTTP2_REFUSED_STREAM ? 'UNAVAILABLE' : rst === constants.NGHTTP2_CANCEL ? 'CANCELLED' : 'INTERNAL';
        message = `RST_STREAM code ${rst}${message ? ` (${message})` : ''}`;
      }
      resolve({ status, message });
    });
    stream.end(body);
  });
}

export async function flood(opts: FloodOptions): Promise<FloodReport> {
  const url = new URL(`http://${opts.address}`);
  await assertFloodTarget(url.hostname, opts.allowRemote ?? false);
  const sessions = Array.from({ length: opts.connections }, () => {
    const s = connect(url.origin);
    s.on('error', () => undefined);
    return s;
  });
  await Promise.all(sessions.map((s) => new Promise<void>((resolve) => { if (s.connecting) s.once('connect', () => resolve()); else resolve(); s.once('error', () => resolve()); })));
  const calls: CallRecord[] = [];
  const t0 = performance.now();
  const deadline = t0 + opts.maxDurationMs;
  let started = 0;
  let endReason: FloodReport['endReason'] = 'count';
  let lastProgress = t0;
  const report = (): void => {
    const now = performance.now();
    if (now - lastProgress < 1000) return;
    lastProgress = now;
    const ok = calls.filter((c) => c.status === 'OK').length;
    opts.progress?.(`flood: ${calls.length}/${opts.maxCalls} calls in ${((now - t0) / 1000).toFixed(1)} s, ${ok} OK, ${calls.length - ok} other`);
  };
  const worker = async (connection: number): Promise<void> => {
    for (;;) {
      if (started >= opts.maxCalls) return;
      if (performance.now() >= deadline) { endReason = 'duration'; return; }
      started++;
      const start = performance.now();
      const r = await oneCall(sessions[connection]!, opts.method, opts.body, opts.callTimeoutMs ?? 60_000);
      calls.push({ startMs: Math.round((start - t0) * 100) / 100, endMs: Math.round((performance.now() - t0) * 100) / 100, status: r.status, message: r.message, connection });
      report();
    }
  };
  const workers: Promise<void>[] = [];
  for (let c = 0; c < opts.connections; c++) for (let m = 0; m < opts.inFlightPerConnection; m++) workers.push(worker(c));
  await Promise.all(workers);
  const durationMs = performance.now() - t0;
  for (const s of sessions) s.close();
  return summarise(calls, opts, durationMs, endReason);
}

/** Frames a serialized message for gRPC: 5-byte prefix (no compression, length) + message. */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** The largest number of calls that were inside [start, end] at the same moment. */
export function peakConcurrency(calls: CallRecord[], filter: (c: CallRecord) => boolean = () => true): number {
  const events = calls.filter(filter).flatMap((c) => [[c.startMs, 1], [c.endMs, -1]] as [number, number][]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0, peak = 0;
  for (const [, d] of events) { cur += d; peak = Math.max(peak, cur); }
  return peak;
}
