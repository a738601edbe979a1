// inference.bad-requests: malformed and hostile requests get OVMS's client errors, and the server
// stays live. Runs last of all: a server that crashes on it takes nothing else down.
import { clip } from '../../clip.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { type ProbeResult, badRequestProbes, runProbe } from '../../probes/bad-requests.js';
import { checkLiveness } from '../../protocol/liveness.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { servedInterface } from '../../probes/served-model.js';

export interface BadRequestsObs { results: ProbeResult[]; absent: string[]; alive: { live: boolean; items: string[] } }

export function judgeBadRequests(o: BadRequestsObs): Judgement {
  const r = o.results;
  const items = [
    ...r.map((x) => `${x.ok ? 'ok  ' : 'BAD '} ${x.transport} ${x.name}: ${x.request} -> ${x.status} (expected ${x.expected}${x.derived ? ', derived from OVMS source, unverified' : ''})${x.message ? ` "${clip(x.message, 160)}"` : ''}`),
    ...o.absent,
    `afterwards: ${o.alive.items.join('; ')}`,
  ];
  const evidence: Evidence = {
    items,
    observed: { statuses: Object.fromEntries(r.map((x) => [`${x.transport} ${x.name}`, x.status])), liveAfterwards: o.alive.live },
    expected: { statuses: Object.fromEntries(r.map((x) => [`${x.transport} ${x.name}`, x.expected])), liveAfterwards: true },
  };
  const wrong = r.filter((x) => !x.ok);
  if (!o.alive.live) return violated(`the server is not live after the hostile requests (${wrong.map((x) => `${x.transport} ${x.name} -> ${x.status}`).join(', ') || 'every request was answered'})`, evidence);
  if (wrong.length > 0) return violated(`${wrong.length} of ${r.length} requests got an unexpected status: ${wrong.map((x) => `${x.transport} ${x.name} -> ${x.status} (expected ${x.expected})`).join('; ')}`, evidence);
  return pass(`${r.length} malformed or hostile requests got OVMS's client errors; live afterwards`, evidence);
}

export default defineCheck({
  id: 'inference.bad-requests',
  title: 'malformed or hostile requests get client errors and the server stays live',
  clause: '-',
  requirement: 'required',
  profile: 'quick',
  remediation: 'upgrade OVMS; report the crashing request upstream',
  impact: 'none',
  needs: [],
  live: true,
  async observe(ctx) {
    const t = ctx.run.target;
    const model = ctx.run.options.modelName;
    const input = (await servedInterface(ctx.target, model)).input;
    const probes = badRequestProbes(t.endpoints.rest ? ctx.target.rest() : null, t.endpoints.grpc ? ctx.target.grpc() : null, model, input);
    const results = [];
    for (const p of probes) results.push(await runProbe(p));
    const absent = [...(t.endpoints.rest ? [] : ['REST probes not sent: no REST endpoint in this deployment']), ...(t.endpoints.grpc ? [] : ['gRPC probes not sent: no gRPC endpoint in this deployment'])];
    return { results, absent, alive: await checkLiveness(ctx.target.clients()) };
  },
  judge: judgeBadRequests,
});
