// dos.thread-cap: a flood above grpc_max_threads gets fast RESOURCE_EXHAUSTED "Server Threadpool
// Exhausted", at most threads - workers calls in handlers, no crash, live afterwards.
import { memoryPeakObserved, memoryPeakText, type EndState, type StatsSummary } from '../../docker/container-stats.js';
import { type Evidence, type Judgement, pass, violated, warn } from '../../check-kit/verdict.js';
import { type FloodReport, flood } from '../../probes/flood.js';
import type { Liveness } from '../../protocol/liveness.js';
import { MODEL_INFER } from '../../protocol/codec.js';
import { mib } from './common.js';
import { peaksWhile, type GaugePeaks } from '../../probes/metrics.js';
import { DECLARE, THREADPOOL_EXHAUSTED, context, floodLines, floodObserved, inferBody, streamLimit } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { concurrencyChart, floodRateChart, latencyChart, memoryChart } from '../../check-kit/charts.js';
import { stateAfterProbe } from '../../probes/after-probe.js';

export interface ThreadCapObs {
  /** grpc_max_threads: configured, OVMS's default from the cores, or null when neither is known. */
  threads: number | null; threadsHow: string; workers: number; connections: number; inFlight: number;
  flood: FloodReport; gauges: GaugePeaks; mem: StatsSummary | null; after: EndState; alive: Liveness;
}

export function judgeThreadCap(o: ThreadCapObs): Judgement {
  const r = o.flood;
  const cap = o.threads === null ? null : o.threads === 0 ? Infinity : o.threads - o.workers;
  const exhausted = r.errors[`RESOURCE_EXHAUSTED: ${THREADPOOL_EXHAUSTED}`]?.count ?? 0;
  const rejectedP50 = r.latencyMs.byStatus['RESOURCE_EXHAUSTED']?.p50 ?? null;
  const okP90 = r.latencyMs.byStatus['OK']?.p90 ?? null;
  const peak = o.gauges.peaks['ovms_current_requests'] ?? null;
  const first = r.openAtFirstRefusal;
  const a = o.after;
  const items = [
    `grpc_max_threads ${o.threads ?? '?'} (${o.threadsHow}), grpc_workers ${o.workers}: ${cap === null ? 'the cap is not known' : `at most ${cap} calls in handlers`}`,
    ...floodLines(r),
    first ? `at the first refusal (${first.status}, ${first.atMs} ms): ${first.open} calls open on the wire, an upper bound of the calls the server held` : 'no call was refused',
    o.gauges.absent ? `ovms_current_requests not sampled: ${o.gauges.absent}` : `ovms_current_requests peak ${peak ?? 'absent from /metrics'} (${o.gauges.samples} samples every ${o.gauges.everyMs} ms)`,
    o.mem ? `container: ${memoryPeakText(o.mem)}; peak CPU ${o.mem.cpuPeakPercent ?? '-'}%` : 'container memory not sampled (no container access)',
    `afterwards ${a.status}, restarts ${a.restartCount}, exit code ${a.exitCode}, OOMKilled ${a.oomKilled}`,
    `recovery: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { ...floodObserved(r), threadpoolExhausted: exhausted, peakInHandlers: peak, openAtFirstRefusal: first?.open ?? null, ...memoryPeakObserved(o.mem), restarts: a.restartCount, running: a.running, liveAfterwards: o.alive.live },
    expected: { threadpoolExhaustedAtLeast: 1, peakInHandlersAtMost: cap === null ? 'unknown' : Number.isFinite(cap) ? cap : 'no cap', restarts: 0, liveAfterwards: true },
    charts: [
      floodRateChart(r), latencyChart(r),
      concurrencyChart('calls in the server during the flood', [
        ...(peak !== null ? [{ name: 'in handlers, peak (/metrics)', calls: peak }] : []),
        ...(first ? [{ name: 'open on the wire at the first refusal', calls: first.open }] : []),
      ], cap !== null && Number.isFinite(cap) ? { name: 'grpc_max_threads - grpc_workers', value: cap } : null),
      ...(o.mem ? [memoryChart(o.mem, 'container memory during the flood')] : []),
    ],
  };
  if (!a.running || a.restartCount > 0) return violated(`the server ${a.running ? 'restarted' : `stopped (exit code ${a.exitCode}${a.oomKilled ? ', OOM-killed' : ''})`} under the flood instead of refusing it`, evidence);
  if (exhausted === 0) {
    const held = r.requested.connections * r.requested.inFlightPerConnection;
    if (cap === null) return warn(`inconclusive: no call was refused with "${THREADPOOL_EXHAUSTED}" while ${held} were in flight, but the thread cap is not known, so the flood may have stayed under it (${DECLARE})`, evidence);
    return violated(`no call was refused with "${THREADPOOL_EXHAUSTED}" while ${held} were in flight: the flood was absorbed`, evidence);
  }
  if (cap !== null && peak !== null && peak > cap) return violated(`${peak} calls were in handlers at once, above grpc_max_threads - grpc_workers = ${cap}`, evidence);
  // "Fast" as gRPC core refuses: before the served calls, not after queueing like them.
  if (rejectedP50 !== null && okP90 !== null && rejectedP50 > okP90) return violated(`refusals were not fast: p50 ${rejectedP50} ms, slower than 90% of served calls (p90 ${okP90} ms)`, evidence);
  if (!o.alive.live) return violated('the server is not live after the flood', evidence);
  const held = peak !== null ? `at most ${peak} in handlers (/metrics)` : first ? `at most ${first.open} open on the wire at the first refusal` : '';
  return pass(`${exhausted} calls refused fast with "${THREADPOOL_EXHAUSTED}" (p50 ${rejectedP50} ms), ${held}${cap === null ? ' (cap not known)' : ` (cap ${cap})`}, live afterwards`, evidence);
}

export default defineCheck({
  id: 'dos.thread-cap',
  title: 'a flood above grpc_max_threads is refused fast instead of absorbed',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'keep --grpc_max_threads set (default 8 x cores); never 0 in production',
  impact: 'clients see RESOURCE_EXHAUSTED under load and must retry with backoff',
  needs: ['grpc'], uses: ['command', 'container', 'metrics'], timeoutMs: 180_000,
  async observe(ctx) {
    const { settings, cores, commandKnown } = await context(ctx);
    const limit = Math.min(64, await streamLimit(ctx));
    const threads = settings.grpcMaxThreads ?? (cores !== null ? 8 * cores : null);
    const threadsHow = settings.grpcMaxThreads !== null ? 'configured' : cores !== null ? `default 8 x ${cores} cores` : `not known: ${commandKnown ? 'not set, and' : 'no command line, and'} no container to count the CPUs of`;
    // Sized above the cap; unknown, OVMS's default from its default stream limit (= cores) stands in.
    const sizing = threads ?? 8 * limit;
    const connections = Math.min(64, Math.ceil(Math.max(sizing, 16) / limit) + 1);
    const inFlight = limit * 2;
    const stats = ctx.run.target.container ? ctx.target.container().sampler() : null;
    await stats?.start();
    const body = await inferBody(ctx);
    const rest = ctx.run.target.endpoints.rest ? ctx.target.rest() : null;
    const { result: report, gauges } = await peaksWhile(rest, ['ovms_current_requests'], ctx.run.options.modelName, 20, () =>
      flood({ endpoint: ctx.target.grpcEndpoint(), method: MODEL_INFER, body, connections, inFlightPerConnection: inFlight, maxCalls: Math.max(300, connections * inFlight * 4), maxDurationMs: 20_000, allowRemote: ctx.run.options.allowRemoteFlood, progress: ctx.progress }));
    const mem = stats?.stop() ?? null;
    const { after, alive } = await stateAfterProbe(ctx.target);
    return { threads, threadsHow, workers: settings.grpcWorkers, connections, inFlight, flood: report, gauges, mem, after, alive };
  },
  judge: judgeThreadCap,
});
