// dos.rest-flood: a bounded REST flood with 4x the workers in connections leaves the server live
// and ready.
import type autocannon from 'autocannon';
import type { EndState } from '../../docker/container-stats.js';
import { type Evidence, type Judgement, error, pass, violated } from '../../check-kit/verdict.js';
import type { Liveness } from '../../protocol/liveness.js';
import { assertFloodTarget } from '../../probes/loopback.js';
import { authHeaders, hostPort, tlsOptions } from '../../protocol/connect.js';
import { context } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { rateChart } from '../../check-kit/charts.js';
import { stateAfterProbe } from '../../probes/after-probe.js';

export interface RestFloodObs {
  workers: number; workersHow: string; connections: number; amount: number; path: string;
  result: { total: number; average: number; statusCodes: Record<string, number>; errors: number; timeouts: number; non2xx: number; p50: number; p99: number; max: number };
  after: EndState; alive: Liveness; readyAfter: number;
  /** When each response or error ended (ms from the start) and its HTTP status or error name. */
  timeline: { endMs: number; status: string }[];
}

export function judgeRestFlood(o: RestFloodObs): Judgement {
  const r = o.result;
  const items = [
    `autocannon: ${o.connections} connections (rest_workers ${o.workers}, ${o.workersHow}, x 4), ${o.amount} requests on GET ${o.path}`,
    `${r.total} requests, ${r.average} req/s average; status codes ${JSON.stringify(r.statusCodes)}; errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}`,
    `latency ms: p50 ${r.p50}, p99 ${r.p99}, max ${r.max}`,
    `afterwards: ${o.after.status}, restarts ${o.after.restartCount}; GET /v2/health/ready -> ${o.readyAfter}; ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items, observed: { requests: r.total, rate: r.average, statusCodes: r.statusCodes, errors: r.errors, timeouts: r.timeouts, readyAfter: o.readyAfter, liveAfterwards: o.alive.live }, expected: { readyAfter: 200, liveAfterwards: true },
    charts: [
      rateChart(o.timeline, 'REST flood: responses per second by status'),
      { kind: 'bars', title: 'REST flood: latency (ms)', x: 'percentile', y: 'latency (ms)', categories: ['p50', 'p99', 'max'], series: [{ name: `${r.total} requests`, values: [r.p50, r.p99, r.max] }] },
    ],
  };
  if (!o.after.running) return violated(`the server stopped under the REST flood (exit code ${o.after.exitCode})`, evidence);
  if (!o.alive.live || o.readyAfter !== 200) return violated(`after the REST flood the server is ${o.alive.live ? 'live but not ready' : 'not live'}`, evidence);
  if (r.total === 0) return error('the REST flood sent no request', evidence);
  return pass(`${r.total} requests from ${o.connections} connections; live and ready afterwards`, evidence);
}

export default defineCheck({
  id: 'dos.rest-flood',
  title: 'a REST flood above the worker count leaves the server live and ready',
  clause: 'S3',
  requirement: 'required',
  profile: 'nightly',
  remediation: 'size --rest_workers for the expected load and rate-limit in the proxy',
  impact: 'clients beyond the workers wait or are refused by the proxy',
  needs: ['rest'], uses: ['command', 'container'], timeoutMs: 60_000,
  async observe(ctx) {
    const { settings, cores } = await context(ctx);
    // OVMS's default is the CPU count; unknown on a remote target, 8 stands in (the flood is bounded anyway).
    const workers = settings.restWorkers ?? Math.max(2, cores ?? 8);
    const workersHow = settings.restWorkers !== null ? 'configured' : cores !== null ? `default: ${cores} cores` : 'assumed: the CPU count of a remote server is not known';
    const e = ctx.target.restEndpoint();
    await assertFloodTarget(hostPort(e).host, ctx.run.options.allowRemoteFlood);
    const connections = workers * 4;
    const path = `/v2/models/${encodeURIComponent(ctx.run.options.modelName)}`;
    const tls = tlsOptions(e);
    // Bounded by a request count (100 per connection); autocannon's per-request timeout bounds a hung server.
    const timeline: { endMs: number; status: string }[] = [];
    const t0 = performance.now();
    const { default: run } = await import('autocannon');
    const r = await new Promise<autocannon.Result>((resolve, reject) => {
      const flood = run({ url: `${e.address}${path}`, connections, amount: connections * 100, timeout: 5, pipelining: 1, headers: authHeaders(e), ...(tls ? { tlsOptions: tls } : {}) } as autocannon.Options, (err, res) => (err ? reject(err) : resolve(res)));
      flood.on('response', (_c, status) => { timeline.push({ endMs: performance.now() - t0, status: `HTTP ${status}` }); });
      flood.on('reqError', (err) => { timeline.push({ endMs: performance.now() - t0, status: (err as NodeJS.ErrnoException).code ?? 'error' }); });
    });
    const { after, alive } = await stateAfterProbe(ctx.target);
    const ready = after.running ? await ctx.target.rest().ready().then((a) => a.status, () => 0) : 0;
    const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count]));
    return {
      workers, workersHow, connections, amount: connections * 100, path, after, alive, readyAfter: ready, timeline,
      result: { total: r.requests.total, average: r.requests.average, statusCodes, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    };
  },
  judge: judgeRestFlood,
});
