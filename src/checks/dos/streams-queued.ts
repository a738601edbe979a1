// dos.streams-queued: more calls than the stream limit on one standard client connection all
// complete, never more than the limit in the server at once: seen in /metrics when the server has
// it, else in the completion times (waves of at most the limit when calls stay in the server).
import { type Evidence, type Judgement, pass, skip, violated, warn } from '../../check-kit/verdict.js';
import { peaksWhile, type GaugePeaks } from '../../probes/metrics.js';
import { THREADPOOL_EXHAUSTED, completionWaves, usableStreamLimit } from './common.js';
import { advertisedStreamLimit } from '../../protocol/stream-settings.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { concurrencyChart } from '../../check-kit/charts.js';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../../protocol/grpc-client.js';
import { servedInterface } from '../../probes/served-model.js';
import { zeroInferRequest } from '../../probes/infer-request.js';

export interface QueuedCall { ok: boolean; ms: number; status: string }
export interface StreamsQueuedObs { limit: number; calls: QueuedCall[]; gauges: GaugePeaks }

const GAUGE = 'ovms_current_requests';

export function judgeStreamsQueued(o: StreamsQueuedObs): Judgement {
  const noLimit = usableStreamLimit(o.limit);
  if (noLimit) return skip(noLimit);
  const n = o.calls.length;
  const failed = o.calls.filter((c) => !c.ok);
  const done = o.calls.map((c) => c.ms).sort((a, b) => a - b);
  const waves = completionWaves(done);
  const peak = o.gauges.peaks[GAUGE] ?? null;
  const metrics = o.gauges.absent
    ? `${GAUGE} not sampled: ${o.gauges.absent}`
    : `${GAUGE} peak ${peak ?? 'absent from /metrics'} over ${o.gauges.samples} /metrics samples every ${o.gauges.everyMs} ms`;
  const items = [
    `${n} concurrent ModelInfer calls on one grpc-js channel (one HTTP/2 connection); server stream limit ${o.limit}`,
    `completion times ms: ${done.join(', ')}`,
    waves ? `completion waves (a gap over half the first completion separates two): ${waves.join(', ')}` : `completion waves: not resolvable (first call done in ${done[0] ?? '-'} ms, under the 20 ms it takes to tell waves from jitter)`,
    `statuses: ${n - failed.length} OK${failed.length ? `, ${failed.length} failed (${[...new Set(failed.map((f) => f.status))].join('; ')})` : ''}`,
    metrics,
  ];
  // What was judged: the /metrics peak when the server has it, else the completion waves.
  const seen = peak !== null ? [{ name: 'in the server, peak (/metrics)', calls: peak }] : (waves ?? []).map((w, i) => ({ name: `completion wave ${i + 1}`, calls: w }));
  const evidence: Evidence = {
    items, observed: { calls: n, ok: n - failed.length, peakInServer: peak, metrics: o.gauges.absent ?? 'sampled', waves, completionMs: done }, expected: { ok: n, peakInServerAtMost: o.limit, waveAtMost: o.limit },
    charts: seen.length ? [concurrencyChart(`${n} calls on one connection: how many the server held at once`, seen, { name: 'stream limit', value: o.limit })] : [],
  };
  if (failed.length > 0) {
    const byThreads = failed.filter((f) => f.status.includes(THREADPOOL_EXHAUSTED)).length;
    const who = byThreads === failed.length
      ? `refused by the thread cap (--grpc_max_threads: "${THREADPOOL_EXHAUSTED}"), though within what the stream limit ${o.limit} lets queue`
      : 'failed instead of queueing';
    return violated(`${failed.length} of ${n} calls were ${who}: ${failed[0]!.status}`, evidence);
  }
  if (peak !== null && peak > o.limit) return violated(`${peak} calls were in the server at once on one connection, above the stream limit ${o.limit}`, evidence);
  if (peak !== null && peak > 0) return pass(`${n} calls over a limit of ${o.limit} all completed OK, at most ${peak} in the server at once (/metrics)`, evidence);
  // No gauge saw a call: the completion times are the only view of the server's concurrency.
  const why = peak === 0 ? `/metrics never showed a call in the server (${o.gauges.samples} samples)` : o.gauges.absent ?? `/metrics has no ${GAUGE}`;
  if (waves && waves.length >= 2 && Math.max(...waves) <= o.limit) {
    return pass(`${n} calls over a limit of ${o.limit} all completed OK, in ${waves.length} waves of at most ${Math.max(...waves)} (${why})`, evidence);
  }
  const wavesSaid = waves ? (waves.length < 2 ? 'all completed in one wave' : `waves of up to ${Math.max(...waves)} exceed the limit, so they do not show queueing`) : 'they completed too fast to show waves';
  return warn(`inconclusive: all ${n} calls completed OK, but the queueing was not observed: ${why}, and ${wavesSaid}`, evidence);
}

export default defineCheck({
  id: 'dos.streams-queued',
  title: 'calls beyond the stream limit on one connection are queued, not failed',
  clause: 'S3',
  requirement: 'required',
  profile: 'quick',
  remediation: 'use a gRPC client that honours SETTINGS_MAX_CONCURRENT_STREAMS',
  impact: 'calls beyond the limit wait on the client',
  needs: ['grpc'],
  uses: ['metrics'],
  async observe(ctx) {
    const limit = await advertisedStreamLimit(ctx.target.grpcEndpoint());
    const none: GaugePeaks = { peaks: {}, samples: 0, everyMs: 10, absent: 'not sampled' };
    if (usableStreamLimit(limit)) return { limit, calls: [], gauges: none };
    const n = Math.min(64, Math.max(limit + 2, limit * 3));
    const client = kserveGrpcClientFor(ctx.target.grpcEndpoint(), { ownConnection: true });
    const req = zeroInferRequest(ctx.run.options.modelName, (await servedInterface(ctx.target, ctx.run.options.modelName)).input);
    const rest = ctx.run.target.endpoints.rest ? ctx.target.rest() : null;
    try {
      const { result: calls, gauges } = await peaksWhile(rest, [GAUGE], ctx.run.options.modelName, 10, async () => {
        const t0 = performance.now();
        return Promise.all(Array.from({ length: n }, async (): Promise<QueuedCall> => {
          try {
            await rpc.modelInfer(client, req, 60_000);
            return { ok: true, ms: Math.round(performance.now() - t0), status: 'OK' };
          } catch (e) {
            const f = grpcFailure(e);
            return { ok: false, ms: Math.round(performance.now() - t0), status: `${f.codeName} ${f.details}` };
          }
        }));
      });
      return { limit, calls, gauges };
    } finally {
      client.close();
    }
  },
  judge: judgeStreamsQueued,
});
