// Judgements of S3's message limits: pure functions of what the oversize and at-limit probes saw.
import type { Evidence, Judgement } from '../checks/verdict.js';
import { error, pass, violated, warn } from '../checks/verdict.js';
import type { StatsSummary } from '../docker/container-stats.js';
import type { Liveness } from '../probes/liveness.js';
import { parseLargerThanMax, type GrpcSendResult } from '../probes/oversize-grpc.js';
import { restRefusal, type RestSendResult } from '../probes/oversize-rest.js';
import { grpcProbeChart, memoryChart, restProbeChart } from './charts.js';

export const RESOURCE_EXHAUSTED = 8;
const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

export function grpcLines(r: GrpcSendResult): string[] {
  return [
    `sent ${r.bytesSent} of ${r.announced} message bytes (5-byte gRPC prefix announcing ${r.announced}) in ${r.durationMs} ms`,
    `answer ${r.answerAfterMs ?? '-'} ms after the first byte, ${r.answerAfterLastByteMs ?? '-'} ms after the last byte sent`,
    `grpc-status ${r.grpcStatus ?? 'none'} "${r.grpcMessage}"${r.rstCode !== null ? `; RST_STREAM code ${r.rstCode}` : ''}${r.error ? `; stream error ${r.error}` : ''}`,
  ];
}

export function restLines(r: RestSendResult): string[] {
  return [
    `declared Content-Length ${r.declared}; body bytes sent ${r.bytesSent}${r.continueReceived ? ' (after 100 Continue)' : ''} in ${r.durationMs} ms`,
    r.status !== null ? `answer HTTP ${r.status} after ${r.answerAfterMs} ms, Connection: ${String(r.headers['connection'] ?? '-')}${r.body ? `, body ${JSON.stringify(r.body.slice(0, 200))}` : ', no body'}` : `no HTTP status read; connection ${r.connectionError ?? 'closed'}${r.closedBeforeBodyDone ? ` before the body was complete (${r.bytesSent} of ${r.declared} bytes)` : ''}`,
  ];
}

export interface GrpcBufferingObs { limit: number; sent: GrpcSendResult; mem: StatsSummary }

export function judgeGrpcBuffering(o: GrpcBufferingObs): Judgement {
  const size = o.limit + 1;
  const growth = o.mem.memoryPeakBytes !== null && o.mem.memoryBaselineBytes !== null ? o.mem.memoryPeakBytes - o.mem.memoryBaselineBytes : null;
  const items = [
    `probe: ${size}-byte message (limit + 1), the last byte held until the stats had seen the rest`,
    ...grpcLines(o.sent),
    `container memory (working set, Docker stats, ${o.mem.samples} samples): ${mib(o.mem.memoryBaselineBytes ?? 0)} before, peak ${mib(o.mem.memoryPeakBytes ?? 0)}, growth ${growth === null ? '-' : mib(growth)} for a ${mib(size)} message`,
    'gRPC core buffers the whole announced message before its size check (grpc-core-behaviour section 1); only --grpc_memory_quota bounds how much several such messages hold',
  ];
  const evidence: Evidence = {
    items, observed: { growthBytes: growth, peakBytes: o.mem.memoryPeakBytes, samples: o.mem.samples, bytesSent: o.sent.bytesSent, grpcStatus: o.sent.grpcStatus }, expected: { growthBytes: 'well under the message size' },
    charts: [memoryChart(o.mem, 'container memory while the limit+1 message arrives'), grpcProbeChart(o.sent, 'limit+1 gRPC message: bytes sent, then the answer')],
  };
  if (growth === null || o.mem.samples < 2) return error(`container memory could not be sampled (${o.mem.samples} samples)`, evidence);
  if (growth >= 0.1 * size) return warn(`the server held ${mib(growth)} while receiving a ${mib(size)} message it then refused: it buffers oversized messages`, evidence);
  return pass(`the server's memory grew by ${mib(growth)} while receiving a ${mib(size)} message`, evidence);
}

export interface GrpcOversizeObs { limit: number; describe: string; sent: GrpcSendResult; alive: Liveness }

export function judgeGrpcOversize(o: GrpcOversizeObs): Judgement {
  const { limit, sent: r } = o;
  const parsed = parseLargerThanMax(r.grpcMessage);
  const items = [
    `probe: ${o.describe}, serialized size ${limit + 1} = limit ${limit} + 1, over raw HTTP/2 from a reused 1 MiB buffer`,
    'the whole message is sent in every profile: gRPC core answers only once the announced message has fully arrived, so a prefix-only probe proves nothing (grpc-core-behaviour section 1)',
    ...grpcLines(r),
    parsed ? `server reports size ${parsed.size} vs. limit ${parsed.limit}` : 'no "Received message larger than max (N vs. L)" in the answer',
    `afterwards: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { bytesSent: r.bytesSent, grpcStatus: r.grpcStatus, grpcMessage: r.grpcMessage, reportedSize: parsed?.size ?? null, reportedLimit: parsed?.limit ?? null, answerAfterLastByteMs: r.answerAfterLastByteMs, liveAfterwards: o.alive.live },
    expected: { grpcStatus: RESOURCE_EXHAUSTED, reportedSize: limit + 1, reportedLimit: limit, liveAfterwards: true },
    charts: [grpcProbeChart(r, 'limit+1 gRPC message: bytes sent, then the refusal')],
  };
  if (r.grpcStatus === null && !o.alive.live) return violated(`the server died on a ${limit + 1}-byte message: no gRPC answer (${r.error ?? 'stream closed'}) and not live afterwards`, evidence);
  if (r.grpcStatus !== RESOURCE_EXHAUSTED || !parsed) {
    return violated(`a ${limit + 1}-byte message was not refused for its size: ${r.grpcStatus === null ? `no gRPC status (${r.error ?? 'stream closed'})` : `grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 120)}"`}`, evidence);
  }
  if (parsed.limit !== limit) return violated(`the server's limit is ${parsed.limit} bytes, not the expected ${limit}`, evidence);
  if (parsed.size !== limit + 1) return violated(`the server counted ${parsed.size} bytes, not the ${limit + 1} sent`, evidence);
  if (!o.alive.live) return violated('refused with RESOURCE_EXHAUSTED, but the server is not live afterwards', evidence);
  return pass(`RESOURCE_EXHAUSTED "Received message larger than max (${parsed.size} vs. ${parsed.limit})" after ${mib(r.bytesSent)}; live afterwards`, evidence);
}

export interface RestOversizeObs { limit: number; headerProbe: boolean; sent: RestSendResult; alive: Liveness }

export function judgeRestOversize(o: RestOversizeObs): Judgement {
  const { limit, sent: r } = o;
  const refusal = restRefusal(r);
  const items = [
    o.headerProbe
      ? `quick: header-first probe, POST with Content-Length ${limit + 1} and Expect: 100-continue; the body is sent only if the server asks for it`
      : `nightly: POST with Content-Length ${limit + 1}, the full body streamed from a reused 1 MiB buffer`,
    ...restLines(r),
    `refusal rule (413, or closed before the body was complete, or reset unanswered after the last byte): ${refusal.refused ? `refused: ${refusal.how}` : `not refused: ${refusal.how}`}`,
    `afterwards: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { status: r.status, bytesSent: r.bytesSent, closedBeforeBodyDone: r.closedBeforeBodyDone, continueReceived: r.continueReceived, connectionError: r.connectionError, refused: refusal.refused, refusedHow: refusal.how, liveAfterwards: o.alive.live },
    expected: { status: '413, or the connection closed before the body is accepted', liveAfterwards: true },
    charts: [restProbeChart(r, 'limit+1 REST body: bytes sent, then the refusal')],
  };
  if (!refusal.refused) return violated(`a body of ${limit + 1} bytes was not refused: ${refusal.how} after ${r.bytesSent} body bytes`, evidence);
  if (!o.alive.live) return violated('the oversized body was refused, but the server is not live afterwards', evidence);
  return pass(`${refusal.how === 'HTTP 413' ? 'HTTP 413' : refusal.how} after ${r.bytesSent} of ${limit + 1} body bytes; live afterwards`, evidence);
}

export interface GrpcAtLimitObs { limit: number; describe: string; sent: GrpcSendResult; alive: Liveness }

export function judgeGrpcAtLimit(o: GrpcAtLimitObs): Judgement {
  const { limit, sent: r } = o;
  const items = [`probe: ${o.describe}, serialized size exactly the limit (${limit}), the largest size the limit allows`, ...grpcLines(r), `afterwards: ${o.alive.items.join('; ')}`];
  const evidence: Evidence = { items, observed: { bytesSent: r.bytesSent, grpcStatus: r.grpcStatus, grpcMessage: r.grpcMessage, liveAfterwards: o.alive.live }, expected: { grpcStatus: 'anything but RESOURCE_EXHAUSTED (a content error is fine)', liveAfterwards: true }, charts: [grpcProbeChart(r, 'gRPC message at the limit: bytes sent, then the answer')] };
  if (r.grpcStatus === RESOURCE_EXHAUSTED) return violated(`a message of exactly ${limit} bytes was refused: "${r.grpcMessage}"`, evidence);
  if (r.grpcStatus === null) return violated(`no gRPC answer to a ${limit}-byte message (${r.error ?? 'stream closed'})`, evidence);
  if (!o.alive.live) return violated(`the server is not live after a ${limit}-byte message`, evidence);
  return pass(`a ${limit}-byte message was not refused for its size (grpc-status ${r.grpcStatus} "${r.grpcMessage.slice(0, 80)}")`, evidence);
}

export interface RestAtLimitObs { limit: number; headLength: number; sent: RestSendResult; alive: Liveness }

export function judgeRestAtLimit(o: RestAtLimitObs): Judgement {
  const { limit, sent: r } = o;
  const items = [`probe: POST, Content-Length exactly the limit (${limit}): a ${o.headLength}-byte KServe binary-extension JSON header, then zero bytes`, ...restLines(r), `afterwards: ${o.alive.items.join('; ')}`];
  const evidence: Evidence = { items, observed: { status: r.status, bytesSent: r.bytesSent, liveAfterwards: o.alive.live }, expected: { status: 'anything but 413, with the whole body accepted', liveAfterwards: true }, charts: [restProbeChart(r, 'REST body at the limit: bytes sent, then the answer')] };
  if (r.status === 413) return violated(`a body of exactly ${limit} bytes got 413`, evidence);
  if (r.status === null) return violated(`no answer to a ${limit}-byte body (${r.connectionError ?? 'closed'} after ${r.bytesSent} bytes)`, evidence);
  if (!o.alive.live) return violated(`the server is not live after a ${limit}-byte body`, evidence);
  return pass(`a ${limit}-byte body was not refused for its size (HTTP ${r.status})`, evidence);
}
