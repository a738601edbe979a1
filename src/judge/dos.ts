// Judgements of S3's denial-of-service limits, by what gRPC core really does
// (shared/facts/grpc-core-behaviour.md): pure functions of the floods' and probes' observations.
import type { Evidence, Judgement } from '../checks/verdict.js';
import { error, pass, skip, violated, warn } from '../checks/verdict.js';
import type { EndState, StatsSummary } from '../docker/container-stats.js';
import type { FloodReport } from '../probes/flood.js';
import type { GrpcSendResult } from '../probes/oversize-grpc.js';
import type { Liveness } from '../probes/liveness.js';
import { UNLIMITED_STREAMS } from '../probes/stream-settings.js';
import type { ChannelArgument } from '../ovms/server-settings.js';
import { floodRateChart, latencyChart, memoryChart, rateChart } from './charts.js';

export const MAX_STREAMS_KEY = 'grpc.max_concurrent_streams';
export const THREADPOOL_EXHAUSTED = 'Server Threadpool Exhausted';
// Keys of gRPC core's channel arguments that a server deployment plausibly sets.
const KNOWN_CHANNEL_ARGS = new Set([
  MAX_STREAMS_KEY, 'grpc.max_connection_idle_ms', 'grpc.max_connection_age_ms', 'grpc.max_connection_age_grace_ms',
  'grpc.keepalive_time_ms', 'grpc.keepalive_timeout_ms', 'grpc.keepalive_permit_without_calls', 'grpc.http2.max_pings_without_data',
  'grpc.http2.min_recv_ping_interval_without_data_ms', 'grpc.http2.min_ping_interval_without_data_ms', 'grpc.max_receive_message_length',
  'grpc.max_send_message_length', 'grpc.http2.max_frame_size', 'grpc.http2.lookahead_bytes', 'grpc.http2.bdp_probe', 'grpc.so_reuseport',
  'grpc.max_metadata_size', 'grpc.http2.write_buffer_size', 'grpc.optimization_target', 'grpc.enable_channelz',
]);
const mib = (n: number | null): string => (n === null ? '-' : `${(n / 1048576).toFixed(0)} MiB`);
const NO_LIMIT = (limit: number): string => `the server advertises ${limit === 0 ? 'a stream limit of 0 (every call would hang)' : 'no stream limit'}, so a flood cannot be sized per connection; see dos.channel-args and dos.max-concurrent-streams`;

/** A stream limit the flood checks can divide by, or why not. */
export function usableStreamLimit(limit: number): string | null {
  return limit === 0 || limit === UNLIMITED_STREAMS || !Number.isFinite(limit) ? NO_LIMIT(limit) : null;
}

export function floodLines(r: FloodReport): string[] {
  const l = r.latencyMs;
  return [
    `requested ${r.requested.connections} connections x ${r.requested.inFlightPerConnection} in flight, at most ${r.requested.maxCalls} calls or ${r.requested.maxDurationMs} ms; ended by ${r.endReason}`,
    r.serverStreamLimit === null ? 'the server announced no stream limit on the flood connections' : `the server announced SETTINGS_MAX_CONCURRENT_STREAMS ${r.serverStreamLimit}${r.serverStreamLimit < r.requested.inFlightPerConnection ? `: ${r.requested.inFlightPerConnection - r.serverStreamLimit} calls per connection waited on the client for a free stream, as gRPC clients queue them` : ''}`,
    `achieved ${r.achieved.count} calls in ${r.achieved.durationMs} ms: ${r.achieved.rate} calls/s (${r.achieved.okRate} OK/s)`,
    `statuses ${JSON.stringify(r.statusCodes)}`,
    ...Object.entries(r.errors).map(([k, v]) => `${v.count} x ${k} (e.g. "${v.example}")`),
    `latency ms (${l.all.population}): p50 ${l.all.p50}, p90 ${l.all.p90}, p99 ${l.all.p99}, max ${l.all.max}`,
    ...Object.values(l.byStatus).map((s) => `latency ms (${s.population}, n=${s.n}): p50 ${s.p50}, p99 ${s.p99}, max ${s.max}`),
  ];
}

export function floodObserved(r: FloodReport) {
  return { requested: r.requested, achieved: r.achieved, serverStreamLimit: r.serverStreamLimit, statusCodes: r.statusCodes, latencyMs: JSON.parse(JSON.stringify(r.latencyMs)), histogram: r.histogram.map((h) => ({ le: String(h.le), count: h.count })) };
}

// dos.channel-args ----------------------------------------------------------------------------

export function judgeChannelArgs(o: { serverArgs: string[]; channelArguments: ChannelArgument[] | null; cores: number }): Judgement {
  const args = o.channelArguments;
  if (args === null) {
    return pass(`no --grpc_channel_arguments: OVMS keeps ${MAX_STREAMS_KEY} = cores (${o.cores})`, { items: [`server arguments: ${o.serverArgs.join(' ') || '(none)'}`], observed: { channelArguments: null }, expected: { channelArguments: 'absent or sane' } });
  }
  const items: string[] = [`--grpc_channel_arguments ${args.map((a) => (a.wellFormed ? `${a.key}=${a.raw}` : a.raw)).join(',')}`];
  const bad: string[] = [];
  const unknown: string[] = [];
  for (const a of args) {
    if (!a.wellFormed) { bad.push(`"${a.raw}" is not key=value: OVMS refuses to start its gRPC server ("Grpc channel arguments passed in wrong format")`); continue; }
    if (a.key === MAX_STREAMS_KEY) {
      if (typeof a.value === 'string') bad.push(`${MAX_STREAMS_KEY}=${a.raw} is not a number: OVMS passes it as a string, gRPC ignores it and the stream limit silently disappears`);
      else if (a.value === 0) bad.push(`${MAX_STREAMS_KEY}=0: every call hangs until its deadline`);
      else if (a.value < 0) bad.push(`${MAX_STREAMS_KEY}=${a.value} is negative`);
      else items.push(`${MAX_STREAMS_KEY}=${a.value}: a numeric limit`);
    } else if (!KNOWN_CHANNEL_ARGS.has(a.key)) unknown.push(a.key);
    else items.push(`${a.key}=${a.raw}: known to gRPC`);
  }
  items.push(...bad, ...unknown.map((k) => `${k}: not a gRPC core channel argument this harness knows; gRPC ignores unknown keys`));
  const evidence: Evidence = { items, observed: { channelArguments: args.map((a) => `${a.key}=${a.raw}`) }, expected: { [MAX_STREAMS_KEY]: 'a number > 0', unknownKeys: [] } };
  if (bad.length > 0) return violated(bad[0]!, evidence);
  if (unknown.length > 0) return warn(`unknown channel argument(s): ${unknown.join(', ')}`, evidence);
  return pass('channel arguments are well-formed with a numeric stream limit', evidence);
}

// dos.max-concurrent-streams ------------------------------------------------------------------

export interface MaxStreamsObs { configured: ChannelArgument | undefined; cores: number; coresHow: string; settings: Record<string, unknown>; address: string }

export function judgeMaxStreams(o: MaxStreamsObs): Judgement {
  const mcs = o.configured;
  if (mcs && (typeof mcs.value !== 'number' || mcs.value <= 0)) return skip(`${MAX_STREAMS_KEY}=${mcs.raw} is not a usable limit; see dos.channel-args`);
  const expected = mcs ? (mcs.value as number) : o.cores;
  const observed = Number(o.settings['maxConcurrentStreams'] ?? UNLIMITED_STREAMS);
  const items = [
    `SETTINGS from ${o.address}: ${JSON.stringify(o.settings)}`,
    `expected ${expected}: ${mcs ? `--grpc_channel_arguments ${MAX_STREAMS_KEY}=${mcs.raw}` : `the CPU count OVMS sees in the container (${o.coresHow})`}`,
  ];
  const evidence: Evidence = { items, observed: { maxConcurrentStreams: observed }, expected: { maxConcurrentStreams: expected } };
  if (observed === expected) return pass(`SETTINGS_MAX_CONCURRENT_STREAMS = ${observed} as configured`, evidence);
  return violated(observed === UNLIMITED_STREAMS ? 'the server advertises no SETTINGS_MAX_CONCURRENT_STREAMS: no per-client stream limit' : `SETTINGS_MAX_CONCURRENT_STREAMS = ${observed}, expected ${expected}`, evidence);
}

// dos.streams-queued ----------------------------------------------------------------------------

export interface QueuedCall { ok: boolean; ms: number; status: string }
export interface StreamsQueuedObs { limit: number; calls: QueuedCall[]; peakInServer: number | null; samples: number }

export function judgeStreamsQueued(o: StreamsQueuedObs): Judgement {
  const noLimit = usableStreamLimit(o.limit);
  if (noLimit) return skip(noLimit);
  const n = o.calls.length;
  const failed = o.calls.filter((c) => !c.ok);
  const done = o.calls.map((c) => c.ms).sort((a, b) => a - b);
  const items = [
    `${n} concurrent ModelInfer calls on one grpc-js channel (one HTTP/2 connection); server stream limit ${o.limit}`,
    `completion times ms: ${done.join(', ')}`,
    `statuses: ${n - failed.length} OK${failed.length ? `, ${failed.length} failed (${[...new Set(failed.map((f) => f.status))].join('; ')})` : ''}`,
    `ovms_current_requests peak ${o.peakInServer ?? 'not observed'} over ${o.samples} /metrics samples every 10 ms`,
  ];
  const evidence: Evidence = { items, observed: { calls: n, ok: n - failed.length, peakInServer: o.peakInServer, completionMs: done }, expected: { ok: n, peakInServerAtMost: o.limit } };
  if (failed.length > 0) {
    const byThreads = failed.filter((f) => f.status.includes(THREADPOOL_EXHAUSTED)).length;
    const who = byThreads === failed.length
      ? `refused by the thread cap (--grpc_max_threads: "${THREADPOOL_EXHAUSTED}"), though within what the stream limit ${o.limit} lets queue`
      : 'failed instead of queueing';
    return violated(`${failed.length} of ${n} calls were ${who}: ${failed[0]!.status}`, evidence);
  }
  if (o.peakInServer === null) return error('ovms_current_requests could not be sampled from /metrics (start the server with --metrics_enable)', evidence);
  if (o.peakInServer === 0) return warn(`inconclusive: all ${n} calls completed OK, but /metrics never showed a call in the server (${o.samples} samples), so the queueing was not observed`, evidence);
  if (o.peakInServer > o.limit) return violated(`${o.peakInServer} calls were in the server at once on one connection, above the stream limit ${o.limit}`, evidence);
  return pass(`${n} calls over a limit of ${o.limit} all completed OK, at most ${o.peakInServer} in the server at once`, evidence);
}

// dos.thread-cap --------------------------------------------------------------------------------

export interface ThreadCapObs {
  threads: number; threadsConfigured: boolean; workers: number; cores: number; connections: number; inFlight: number;
  flood: FloodReport; peakInHandlers: number | null; samples: number; mem: StatsSummary | null; after: EndState; alive: Liveness;
}

export function judgeThreadCap(o: ThreadCapObs): Judgement {
  const r = o.flood;
  const cap = o.threads === 0 ? Infinity : o.threads - o.workers;
  const exhausted = r.errors[`RESOURCE_EXHAUSTED: ${THREADPOOL_EXHAUSTED}`]?.count ?? 0;
  const rejectedP50 = r.latencyMs.byStatus['RESOURCE_EXHAUSTED']?.p50 ?? null;
  const okP90 = r.latencyMs.byStatus['OK']?.p90 ?? null;
  const a = o.after;
  const items = [
    `grpc_max_threads ${o.threads} (${o.threadsConfigured ? 'configured' : `default 8 x ${o.cores} cores`}), grpc_workers ${o.workers}: at most ${cap} calls in handlers`,
    ...floodLines(r),
    `ovms_current_requests peak ${o.peakInHandlers ?? 'not observed'} (${o.samples} samples)`,
    o.mem ? `container: peak memory ${mib(o.mem.memoryPeakBytes)}, peak CPU ${o.mem.cpuPeakPercent ?? '-'}% (${o.mem.samples} stats samples)` : 'container memory not sampled (no container access)',
    `afterwards ${a.status}, restarts ${a.restartCount}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}`,
    `recovery: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { ...floodObserved(r), threadpoolExhausted: exhausted, peakInHandlers: o.peakInHandlers, memoryPeakBytes: o.mem?.memoryPeakBytes ?? null, restarts: a.restartCount, running: a.running, liveAfterwards: o.alive.live },
    expected: { threadpoolExhaustedAtLeast: 1, peakInHandlersAtMost: Number.isFinite(cap) ? cap : 'no cap', restarts: 0, liveAfterwards: true },
    charts: [floodRateChart(r), latencyChart(r), ...(o.mem ? [memoryChart(o.mem, 'container memory during the flood')] : [])],
  };
  if (!a.running || a.restartCount > 0) return violated(`the server ${a.running ? 'restarted' : `stopped (exit code ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''})`} under the flood instead of refusing it`, evidence);
  if (exhausted === 0) return violated(`no call was refused with "${THREADPOOL_EXHAUSTED}" while ${o.connections * o.inFlight} were in flight: the flood was absorbed`, evidence);
  if (o.peakInHandlers !== null && o.peakInHandlers > cap) return violated(`${o.peakInHandlers} calls were in handlers at once, above grpc_max_threads - grpc_workers = ${cap}`, evidence);
  // "Fast" as gRPC core refuses: before the served calls, not after queueing like them.
  if (rejectedP50 !== null && okP90 !== null && rejectedP50 > okP90) return violated(`refusals were not fast: p50 ${rejectedP50} ms, slower than 90% of served calls (p90 ${okP90} ms)`, evidence);
  if (!o.alive.live) return violated('the server is not live after the flood', evidence);
  return pass(`${exhausted} calls refused fast with "${THREADPOOL_EXHAUSTED}" (p50 ${rejectedP50} ms), at most ${o.peakInHandlers ?? '?'} in handlers (cap ${cap}), live afterwards`, evidence);
}

// dos.memory-quota ----------------------------------------------------------------------------

/** Each request at least 32 MiB and the total at least 2.25 x the quota (grpc-core-behaviour section 3). */
export const QUOTA_MIN_REQUEST = 32 * 1048576;
export const QUOTA_TOTAL_FACTOR = 2.25;

/** The probe's shape for a quota under a message limit, or why it cannot be sized. */
export function quotaProbe(quota: number, messageLimit: number): { per: number; count: number } | { unsizable: string } {
  const maxPer = messageLimit - 4096;
  if (maxPer < QUOTA_MIN_REQUEST) return { unsizable: `the message limit ${mib(messageLimit)} is below the ${mib(QUOTA_MIN_REQUEST)} a request needs to pile up in the transport (below that gRPC core often cuts nothing, grpc-core-behaviour section 3)` };
  const per = Math.min(maxPer, Math.max(QUOTA_MIN_REQUEST, Math.ceil((quota * QUOTA_TOTAL_FACTOR) / 3)));
  return { per, count: Math.max(3, Math.ceil((quota * QUOTA_TOTAL_FACTOR) / per)) };
}

export interface MemoryQuotaObs { quota: number; quotaConfigured: boolean; per: number; results: GrpcSendResult[]; mem: StatsSummary | null; after: EndState; alive: Liveness }

export function isQuotaCut(r: GrpcSendResult): boolean {
  return r.rstCode === 11 || /Bandwidth exhausted|memory limit/.test(r.grpcMessage);
}

export function judgeMemoryQuota(o: MemoryQuotaObs): Judgement {
  const count = o.results.length;
  const cut = o.results.filter(isQuotaCut);
  const a = o.after;
  const items = [
    `grpc_memory_quota ${o.quota} (${o.quotaConfigured ? 'configured' : 'default 2 GiB'}); ${count} concurrent ModelInferRequests of ${o.per} bytes, one connection each, ${count * o.per} bytes in all (${((count * o.per) / o.quota).toFixed(2)} x the quota), each holding its last byte until all others have sent theirs`,
    ...o.results.map((r, i) => `request ${i + 1}: sent ${r.bytesSent} of ${r.announced} bytes in ${r.durationMs} ms; ${r.rstCode === 11 ? 'RST_STREAM ENHANCE_YOUR_CALM (11)' : r.grpcStatus !== null ? `grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 100)}"` : `closed (${r.error ?? `RST ${r.rstCode}`})`}`),
    o.mem ? `container: memory ${mib(o.mem.memoryBaselineBytes)} -> peak ${mib(o.mem.memoryPeakBytes)} (${o.mem.samples} stats samples)` : 'container memory not sampled (no container access)',
    `afterwards ${a.status}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}, restarts ${a.restartCount}; ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items, observed: { requests: count, bytesEach: o.per, cutByQuota: cut.length, memoryPeakBytes: o.mem?.memoryPeakBytes ?? null, oomKilled: a.oomKilled, liveAfterwards: o.alive.live }, expected: { cutByQuotaAtLeast: 1, oomKilled: false, liveAfterwards: true },
    charts: [
      ...(o.mem ? [memoryChart(o.mem, 'container memory while the large requests are in flight')] : []),
      { kind: 'bars', title: 'bytes each request got through before its answer (MiB)', y: 'MiB', categories: o.results.map((r, i) => `request ${i + 1}${isQuotaCut(r) ? ' (cut)' : ''}`), series: [{ name: 'sent', values: o.results.map((r) => Math.round((r.bytesSent / 1048576) * 10) / 10) }] },
    ],
  };
  if (!a.running) return violated(`the server died (exit ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''}) under ${count} x ${mib(o.per)}`, evidence);
  if (cut.length === 0) return violated(`all ${count} requests (${mib(count * o.per)} in all, ${((count * o.per) / o.quota).toFixed(2)} x the ${mib(o.quota)} quota) passed the transport: no memory quota acts`, evidence);
  if (!o.alive.live) return violated('the server is not live afterwards', evidence);
  return pass(`${cut.length} of ${count} requests were cut by the memory quota (ENHANCE_YOUR_CALM)${o.mem ? `; peak memory ${mib(o.mem.memoryPeakBytes)}` : ''}; live afterwards`, evidence);
}

// dos.inference-parallelism -------------------------------------------------------------------

export interface ParallelismObs { numStreams: number | null; nireqConfigured: number | null; queueSize: number | null; flood: FloodReport; streams: number | null; activePeak: number | null; samples: number }

export function judgeParallelism(o: ParallelismObs): Judgement {
  const nireq = o.nireqConfigured ?? o.queueSize;
  const r = o.flood;
  const items = [
    `configuration: NUM_STREAMS ${o.numStreams ?? 'not set (OpenVINO decides)'}, nireq ${o.nireqConfigured ?? `not set; ovms_infer_req_queue_size = ${o.queueSize ?? '?'}`}`,
    ...floodLines(r),
    `metrics over ${o.samples} samples: ovms_streams ${o.streams ?? 'absent'}, ovms_infer_req_active peak ${o.activePeak ?? 'absent'}`,
  ];
  const evidence: Evidence = { items, observed: { ...floodObserved(r), ovmsStreams: o.streams, inferReqActivePeak: o.activePeak }, expected: { ovmsStreams: o.numStreams ?? 'recorded', inferReqActiveAtMost: nireq }, charts: [floodRateChart(r), latencyChart(r)] };
  if (o.streams === null || o.activePeak === null) return error('ovms_streams / ovms_infer_req_active were not in /metrics (add them to --metrics_list)', evidence);
  if (o.numStreams !== null && o.streams !== o.numStreams) return violated(`ovms_streams = ${o.streams}, but NUM_STREAMS is configured as ${o.numStreams}`, evidence);
  if (nireq !== null && o.activePeak > nireq) return violated(`${o.activePeak} infer requests were active at once, above nireq ${nireq}`, evidence);
  if ((r.statusCodes['OK'] ?? 0) === 0) return error('no call of the flood was served, so parallelism could not be observed', evidence);
  if (o.activePeak === 0) return warn(`inconclusive: ${r.statusCodes['OK']} calls were served but /metrics never showed an active infer request (${o.samples} samples)`, evidence);
  return pass(`at most ${o.activePeak} infer requests active (nireq ${nireq ?? '?'}), ovms_streams ${o.streams}${o.numStreams !== null ? ' as configured' : ''}, over ${r.achieved.count} calls`, evidence);
}

// dos.rest-flood / dos.recovery ---------------------------------------------------------------

export interface RestFloodObs {
  workers: number; connections: number; amount: number; path: string;
  result: { total: number; average: number; statusCodes: Record<string, number>; errors: number; timeouts: number; non2xx: number; p50: number; p99: number; max: number };
  after: EndState; alive: Liveness; readyAfter: number;
  /** When each response or error ended (ms from the start) and its HTTP status or error name. */
  timeline: { endMs: number; status: string }[];
}

export function judgeRestFlood(o: RestFloodObs): Judgement {
  const r = o.result;
  const items = [
    `autocannon: ${o.connections} connections (rest_workers ${o.workers} x 4), ${o.amount} requests on GET ${o.path}`,
    `${r.total} requests, ${r.average} req/s average; status codes ${JSON.stringify(r.statusCodes)}; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`,
    `latency ms: p50 ${r.p50}, p99 ${r.p99}, max ${r.max}`,
    `afterwards: ${o.after.status}, restarts ${o.after.restartCount}; GET /v2/health/ready -> ${o.readyAfter}; ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items, observed: { requests: r.total, rate: r.average, statusCodes: r.statusCodes, errors: r.errors, timeouts: r.timeouts, readyAfter: o.readyAfter, liveAfterwards: o.alive.live }, expected: { readyAfter: 200, liveAfterwards: true },
    charts: [
      rateChart(o.timeline, 'REST flood: responses per second by status'),
      { kind: 'bars', title: 'REST flood: latency (ms)', y: 'ms', categories: ['p50', 'p99', 'max'], series: [{ name: `${r.total} requests`, values: [r.p50, r.p99, r.max] }] },
    ],
  };
  if (!o.after.running) return violated(`the server stopped under the REST flood (exit code ${o.after.exitCode})`, evidence);
  if (!o.alive.live || o.readyAfter !== 200) return violated(`after the REST flood the server is ${o.alive.live ? 'live but not ready' : 'not live'}`, evidence);
  if (r.total === 0) return error('the REST flood sent no request', evidence);
  return pass(`${r.total} requests from ${o.connections} connections; live and ready afterwards`, evidence);
}

export interface RecoveryObs { after: EndState; alive: Liveness | null; readyAfter: number | null; inference: { ok: boolean; line: string } | null }

export function judgeRecovery(o: RecoveryObs): Judgement {
  const a = o.after;
  const items = [`server ${a.status}, restarts ${a.restartCount}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}`, ...(o.alive?.items ?? []), ...(o.readyAfter !== null ? [`readiness -> ${o.readyAfter}`] : []), ...(o.inference ? [o.inference.line] : [])];
  const evidence: Evidence = { items, observed: { running: a.running, restarts: a.restartCount, live: o.alive?.live ?? false, ready: o.readyAfter, inference: o.inference?.ok ?? false }, expected: { running: true, live: true, ready: 200, inference: true } };
  if (!a.running) return violated(`the server is gone after the floods (exit code ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''})`, evidence);
  if (!o.alive?.live || o.readyAfter !== 200 || !o.inference?.ok) return violated('the server has not recovered: not live, not ready or not inferring correctly', evidence);
  return pass('after the floods the server is live, ready and answers a correct inference', evidence);
}
