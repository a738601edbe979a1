// dos.memory-quota: concurrent large requests whose total exceeds the gRPC memory quota are cut
// (RST_STREAM ENHANCE_YOUR_CALM), the server survives, no OOM kill.
import { clip } from '../../clip.js';
import { memoryPeakObserved, memoryPeakText, type EndState, type StatsSummary } from '../../docker/container-stats.js';
import { type Evidence, type Judgement, pass, violated, warn } from '../../check-kit/verdict.js';
import { type GrpcSendResult, sendGrpcMessage } from '../../probes/oversize-grpc.js';
import type { Liveness } from '../../protocol/liveness.js';
import { MODEL_INFER } from '../../protocol/codec.js';
import { mib } from './common.js';
import { assertFloodTarget } from '../../probes/loopback.js';
import { DECLARE, context } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { DEFAULT_GRPC_MEMORY_QUOTA } from '../../ovms/server-settings.js';
import { hostPort } from '../../protocol/connect.js';
import { memoryChart } from '../../check-kit/charts.js';
import { servedInterface } from '../../probes/served-model.js';
import { sizedInferRequest } from '../../probes/payload.js';
import { stateAfterProbe } from '../../probes/after-probe.js';
import { stopSkip } from '../../check-kit/context.js';

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

/** Where the quota comes from: set (bytes), unset 0 (no quota at all), OVMS's default, or unknown (no command line). */
export type QuotaSource = { kind: 'configured'; bytes: number } | { kind: 'zero' } | { kind: 'default' } | { kind: 'unknown' };

export function quotaSource(configured: number | null, commandKnown: boolean): QuotaSource {
  if (configured === 0) return { kind: 'zero' };
  if (configured !== null) return { kind: 'configured', bytes: configured };
  return commandKnown ? { kind: 'default' } : { kind: 'unknown' };
}

export interface MemoryQuotaObs { source: QuotaSource; quota: number; per: number; results: GrpcSendResult[]; mem: StatsSummary | null; after: EndState; alive: Liveness }

export function isQuotaCut(r: GrpcSendResult): boolean {
  return r.rstCode === 11 || /Bandwidth exhausted|memory limit/.test(r.grpcMessage);
}

const quotaWords = (o: Pick<MemoryQuotaObs, 'source' | 'quota'>): string => ({
  configured: `grpc_memory_quota ${o.quota} (configured)`,
  zero: 'grpc_memory_quota unset (0): no memory quota at all',
  default: `grpc_memory_quota ${o.quota} (OVMS's default 2 GiB: not set on the command line)`,
  unknown: `grpc_memory_quota not known (no command line; OVMS's default 2 GiB assumed; ${DECLARE})`,
})[o.source.kind];

export function judgeMemoryQuota(o: MemoryQuotaObs): Judgement {
  if (o.source.kind === 'zero') {
    // Judged from the command line: with no quota a probe could only find out how much memory the host has.
    return violated('--grpc_memory_quota 0 removes the memory quota: concurrent large requests are all buffered, bounded only by the host\'s memory', {
      items: [quotaWords(o), 'judged from the command line; no request was sent, as nothing would cut them (grpc-core-behaviour section 3)'],
      observed: { grpcMemoryQuota: 0, requests: 0 }, expected: { grpcMemoryQuota: '> 0 (default 2147483648)' },
    });
  }
  const count = o.results.length;
  const cut = o.results.filter(isQuotaCut);
  const stopped = o.results.filter((r) => r.error?.startsWith('stopped by the probe')).length;
  const sent = o.results.reduce((n, r) => n + r.bytesSent, 0);
  const a = o.after;
  const items = [
    `${quotaWords(o)}; ${count} concurrent ModelInferRequests of ${o.per} bytes, one connection each, at most ${count * o.per} bytes in all (${((count * o.per) / o.quota).toFixed(2)} x the quota), each holding its last byte until all others have sent theirs, all stopped at the first cut`,
    `sent ${sent} bytes in all (${(sent / o.quota).toFixed(2)} x the quota)${stopped ? `; ${stopped} requests stopped by the probe after the first cut` : ''}`,
    ...o.results.map((r, i) => `request ${i + 1}: sent ${r.bytesSent} of ${r.announced} bytes in ${r.durationMs} ms; ${r.rstCode === 11 ? 'RST_STREAM ENHANCE_YOUR_CALM (11)' : r.grpcStatus !== null ? `grpc-status ${r.grpcStatus} "${clip(r.grpcMessage, 160)}"` : `closed (${r.error ?? `RST ${r.rstCode}`})`}`),
    o.mem ? `container: ${memoryPeakText(o.mem)}` : 'container memory not sampled (no container access)',
    `afterwards ${a.status}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}, restarts ${a.restartCount}; ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items, observed: { requests: count, bytesEach: o.per, bytesSent: sent, cutByQuota: cut.length, stoppedByProbe: stopped, ...memoryPeakObserved(o.mem), oomKilled: a.oomKilled, liveAfterwards: o.alive.live },
    expected: { cutByQuotaAtLeast: 1, oomKilled: false, liveAfterwards: true },
    charts: [
      ...(o.mem ? [memoryChart(o.mem, 'container memory while the large requests are in flight', [{ name: `grpc_memory_quota (gRPC's buffers, not the whole process)`, value: o.quota }])] : []),
      { kind: 'bars', title: 'bytes each request got through before its answer (MiB)', x: 'request', y: 'sent (MiB)', refLines: [{ name: 'one request\'s size', value: Math.round((o.per / 1048576) * 10) / 10 }], categories: o.results.map((r, i) => `request ${i + 1}${isQuotaCut(r) ? ' (cut)' : ''}`), series: [{ name: 'sent', values: o.results.map((r) => Math.round((r.bytesSent / 1048576) * 10) / 10) }] },
    ],
  };
  if (!a.running) return violated(`the server died (exit ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''}) under ${count} x ${mib(o.per)}`, evidence);
  if (cut.length === 0) {
    const all = `all ${count} requests (${mib(count * o.per)} in all, ${((count * o.per) / o.quota).toFixed(2)} x ${o.source.kind === 'unknown' ? 'the assumed' : 'the'} ${mib(o.quota)} quota) passed the transport`;
    if (o.source.kind === 'unknown') return warn(`inconclusive: ${all}, but the server's quota is not known and may be larger than the one assumed (${DECLARE})`, evidence);
    return violated(`${all}: no memory quota acts`, evidence);
  }
  if (!o.alive.live) return violated('the server is not live afterwards', evidence);
  return pass(`${cut.length} of ${count} requests were cut by the memory quota (ENHANCE_YOUR_CALM) after ${mib(sent)} sent in all${o.mem ? `; ${memoryPeakText(o.mem)}` : ''}; live afterwards`, evidence);
}

export default defineCheck({
  id: 'dos.memory-quota',
  title: 'concurrent large requests whose total exceeds grpc_memory_quota are cut off, the server survives',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'keep --grpc_memory_quota set (default 2 GiB); never 0 in production',
  impact: 'large concurrent requests beyond the quota are reset and must be retried',
  needs: ['grpc'], uses: ['command', 'container'], timeoutMs: 600_000,
  async observe(ctx) {
    const { settings, commandKnown } = await context(ctx);
    const source = quotaSource(settings.grpcMemoryQuota, commandKnown);
    const quota = source.kind === 'configured' ? source.bytes : DEFAULT_GRPC_MEMORY_QUOTA;
    const none = { running: true, restartCount: 0, exitCode: null, oomKilled: false, status: 'not probed' };
    if (source.kind === 'zero') return { source, quota: 0, per: 0, results: [], mem: null, after: none, alive: { live: true, items: ['not probed'] } };
    const shape = quotaProbe(quota, ctx.run.options.messageLimit);
    if ('unsizable' in shape) return stopSkip(`inconclusive by construction: ${shape.unsizable}; raise --message-limit or test with the default quota`);
    await assertFloodTarget(hostPort(ctx.target.grpcEndpoint()).host, ctx.run.options.allowRemoteFlood);
    const stats = ctx.run.target.container ? ctx.target.container().sampler() : null;
    await stats?.start();
    await stats?.firstSample();
    // All requests hold their last byte until every one has sent the rest: then all are in flight
    // together, which is what the quota is about, whatever the transfer speed. The first cut stops
    // the rest, so no more than count x per bytes are ever sent, usually much less.
    let arrived = 0;
    let release!: () => void;
    const allThere = new Promise<void>((r) => { release = r; });
    const barrier = async (): Promise<void> => { if (++arrived === shape.count) release(); await allThere; };
    const stop = new AbortController();
    const input = (await servedInterface(ctx.target, ctx.run.options.modelName)).input;
    const results = await Promise.all(Array.from({ length: shape.count }, async () => {
      const r = await sendGrpcMessage(ctx.target.grpcEndpoint(), MODEL_INFER, sizedInferRequest(shape.per, ctx.run.options.modelName, input), 300_000, barrier, stop.signal);
      if (isQuotaCut(r)) stop.abort('another request was cut by the quota');
      return r;
    }));
    const mem = stats?.stop() ?? null;
    const { after, alive } = await stateAfterProbe(ctx.target);
    return { source, quota, per: shape.per, results, mem, after, alive };
  },
  judge: judgeMemoryQuota,
});
