// dos.inference-parallelism: during a flood ovms_infer_req_active never exceeds nireq and ovms_streams
// equals the configured NUM_STREAMS.
import { type Evidence, type Judgement, pass, violated, warn } from '../../check-kit/verdict.js';
import { type FloodReport, flood } from '../../probes/flood.js';
import { MODEL_INFER } from '../../protocol/codec.js';
import { MetricsSampler, family, readMetrics } from '../../probes/metrics.js';
import { context, floodLines, floodObserved, inferBody, streamLimit } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { concurrencyChart, floodRateChart, latencyChart } from '../../check-kit/charts.js';
import { stopSkip } from '../../check-kit/context.js';

export interface ParallelismObs { numStreams: number | null; nireqConfigured: number | null; queueSize: number | null; flood: FloodReport; streams: number | null; activePeak: number | null; samples: number }

export function judgeParallelism(o: ParallelismObs): Judgement {
  const nireq = o.nireqConfigured ?? o.queueSize;
  const r = o.flood;
  const items = [
    `configuration: NUM_STREAMS ${o.numStreams ?? 'not set (OpenVINO decides)'}, nireq ${o.nireqConfigured ?? `not set; ovms_infer_req_queue_size = ${o.queueSize ?? '?'}`}`,
    ...floodLines(r),
    `metrics over ${o.samples} samples: ovms_streams ${o.streams ?? 'absent'}, ovms_infer_req_active peak ${o.activePeak ?? 'absent'}`,
  ];
  const evidence: Evidence = { items, observed: { ...floodObserved(r), ovmsStreams: o.streams, inferReqActivePeak: o.activePeak }, expected: { ovmsStreams: o.numStreams ?? 'recorded', inferReqActiveAtMost: nireq }, charts: [floodRateChart(r), latencyChart(r), ...(o.activePeak !== null ? [concurrencyChart('infer requests active at once during the flood', [{ name: 'ovms_infer_req_active, peak', calls: o.activePeak }], nireq !== null ? { name: 'nireq', value: nireq } : null)] : [])] };
  if (o.streams === null || o.activePeak === null) return warn('inconclusive: ovms_streams / ovms_infer_req_active are not in /metrics (the deployment\'s --metrics_list leaves them out)', evidence);
  if (o.numStreams !== null && o.streams !== o.numStreams) return violated(`ovms_streams = ${o.streams}, but NUM_STREAMS is configured as ${o.numStreams}`, evidence);
  if (nireq !== null && o.activePeak > nireq) return violated(`${o.activePeak} infer requests were active at once, above nireq ${nireq}`, evidence);
  if ((r.statusCodes['OK'] ?? 0) === 0) return warn(`inconclusive: no call of the flood was served (${JSON.stringify(r.statusCodes)}), so parallelism could not be observed`, evidence);
  if (o.activePeak === 0) return warn(`inconclusive: ${r.statusCodes['OK']} calls were served but /metrics never showed an active infer request (${o.samples} samples)`, evidence);
  return pass(`at most ${o.activePeak} infer requests active (nireq ${nireq ?? '?'}), ovms_streams ${o.streams}${o.numStreams !== null ? ' as configured' : ''}, over ${r.achieved.count} calls`, evidence);
}

export default defineCheck({
  id: 'dos.inference-parallelism',
  title: 'parallel inference per model is bounded by NUM_STREAMS / nireq',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'set NUM_STREAMS or PERFORMANCE_HINT and --nireq for the model',
  impact: 'requests beyond nireq wait for a free infer request',
  needs: ['grpc', 'metrics'], uses: ['command', 'container'], timeoutMs: 120_000,
  async observe(ctx) {
    const { settings, cores } = await context(ctx);
    const model = ctx.run.options.modelName;
    const before = await readMetrics(ctx.target.rest());
    if (!before) return stopSkip('/metrics does not answer; the server needs --metrics_enable with ovms_streams and ovms_infer_req_active');
    const queueSize = family(before, 'ovms_infer_req_queue_size', model)[0] ?? null;
    const nireq = settings.nireq ?? queueSize;
    const limit = Math.min(64, await streamLimit(ctx));
    // Without the container's CPU count, OVMS's default stream limit (= cores) stands in for it.
    const threads = settings.grpcMaxThreads ?? 8 * (cores ?? limit);
    const total = Math.max(2, Math.min(threads - settings.grpcWorkers - 1, (nireq ?? 2) * 3));
    const connections = Math.ceil(total / limit);
    const sampler = new MetricsSampler(ctx.target.rest(), ['ovms_streams', 'ovms_infer_req_active'], model, 10);
    sampler.start();
    const report = await flood({ endpoint: ctx.target.grpcEndpoint(), method: MODEL_INFER, body: await inferBody(ctx), connections, inFlightPerConnection: Math.ceil(total / connections), maxCalls: 60, maxDurationMs: 10_000, allowRemote: ctx.run.options.allowRemoteFlood, progress: ctx.progress });
    await sampler.stop();
    return {
      numStreams: settings.numStreams, nireqConfigured: settings.nireq, queueSize, flood: report,
      streams: sampler.peaks.get('ovms_streams') ?? family(before, 'ovms_streams', model)[0] ?? null,
      activePeak: sampler.peaks.get('ovms_infer_req_active') ?? null, samples: sampler.samples,
    };
  },
  judge: judgeParallelism,
});
