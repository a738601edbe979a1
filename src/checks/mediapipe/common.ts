// What the MediaPipe checks share: one graph server for the run (for a target with a container, a
// copy of it started with --config_path and the config's folder mounted read-only at /models; a
// remote target is taken to serve the configured graphs itself), each graph's sample sent over
// REST or gRPC, and the graph during whose sample the server died.
import { basename, dirname, relative } from 'node:path';
import { type CheckContext, stopSkip } from '../../check-kit/context.js';
import { ContainerAccess } from '../../targets/container-access.js';
import { type ContainerSpec, flagValue } from '../../docker/container-spec.js';
import { type DiscoveredGraph, discoverGraphs } from '../../mediapipe/discover.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { type InferResponse, KServeRestClient, errorText } from '../../protocol/rest-client.js';
import { type LiveClients, checkLiveness } from '../../protocol/liveness.js';
import type { ModelInferRequest } from '../../protocol/generated/inference/ModelInferRequest.js';
import type { ModelInferResponse__Output } from '../../protocol/generated/inference/ModelInferResponse.js';
import { type ObservedOutput, type Sample, compareOutputs, decodeRaw, rawInput, readSample, restInputs } from '../../mediapipe/sample.js';
import type { StartedServer } from '../../targets/server-start.js';
import { grpcFailure, kserveGrpcClient, rpc } from '../../protocol/grpc-client.js';

export type GraphServer = { started: true; configPath: string; graphs: { name: string; style: string }[]; log: string[] } | { started: false; configPath: string; error: string; log: string[] };

export type GraphSample =
  | { name: string; where: string; state: 'ok' | 'failed'; lines: string[]; liveAfter: boolean; liveItems: string[]; exitCode?: number | null; logTail?: string[] }
  | { name: string; where: string; state: 'no sample'; problem: string }
  | { name: string; where: string; state: 'not tried'; killer: string };

export function judgeSamples(transport: 'REST' | 'gRPC', samples: GraphSample[]): Judgement {
  const items: string[] = [];
  const failed: string[] = [];
  const perGraph: Record<string, string> = {};
  for (const s of samples) {
    if (s.state === 'not tried') { items.push(`${s.name}: not tried, the server died during graph ${s.killer}`); perGraph[s.name] = 'not tried'; continue; }
    if (s.state === 'no sample') { items.push(`${s.where}: ${s.problem}; add a sample.json beside the graph (see README)`); failed.push(`${s.name} (no usable sample)`); perGraph[s.name] = 'no sample'; continue; }
    items.push(`${s.where}: ${s.lines.join('; ')}; afterwards ${s.liveAfter ? 'live' : `NOT live (${s.liveItems.join('; ')})`}`);
    perGraph[s.name] = s.state;
    if (s.state === 'failed') failed.push(`${s.name}: ${s.lines.find((l) => / -> (?!200|OK|infer_response)/.test(l)) ?? s.lines.find((l) => !/as expected|-> 200|-> OK/.test(l)) ?? 'unexpected output'}`);
    if (!s.liveAfter) {
      failed.push(`${s.name} killed the server (exit code ${s.exitCode ?? '?'})`);
      items.push(...(s.logTail ?? []).map((l) => `log: ${l}`));
    }
  }
  const evidence: Evidence = { items, observed: perGraph, expected: Object.fromEntries(samples.map((g) => [g.name, 'ok'])) };
  if (failed.length > 0) return violated(`${failed.length} graph(s) failed their ${transport} sample: ${failed.join(' | ')}`, evidence);
  return pass(`all ${samples.length} graphs answered their samples over ${transport}${transport === 'gRPC' ? ' (ModelStreamInfer too where the sample is a stream)' : ''} and the server stayed live`, evidence);
}

export interface Handle {
  server: GraphServer; graphs: DiscoveredGraph[]; clients: LiveClients; copy: { started: StartedServer; access: ContainerAccess } | null;
  /** The graph during whose sample the server died: later samples are not tried. */
  killedBy: string | null;
}

/** The target's own container flags with the config's folder at /models and --config_path instead of the model flags. */
function configSpec(spec: ContainerSpec, config: string): ContainerSpec {
  const ports = ['--port', '--rest_port'].flatMap((f) => { const v = flagValue(spec.cmd, f); return v ? [f, v] : []; });
  const binds = spec.host.Binds.filter((b) => b.split(':')[1] !== '/models');
  return { ...spec, cmd: ['--config_path', `/models/${basename(config)}`, ...ports], host: { ...spec.host, Binds: [...binds, `${dirname(config)}:/models:ro`] } };
}

async function startGraphServer(ctx: CheckContext): Promise<Handle | null> {
  const run = ctx.run;
  const config = run.options.mediapipeConfig;
  if (!config || !run.target.startup.ready) return null;
  const graphs = discoverGraphs(config);
  if (!run.target.container) {
    return { server: { started: true, configPath: config, graphs: graphs.map((g) => ({ name: g.name, style: g.style })), log: [] }, graphs, clients: ctx.target.clients(), copy: null, killedBy: null };
  }
  const c = ctx.target.container();
  const spec = configSpec(c.ref.spec, config);
  const out = await c.startCopy(spec, 'mediapipe');
  return out.ok
    ? {
      server: { started: true, configPath: config, graphs: graphs.map((g) => ({ name: g.name, style: g.style })), log: out.log }, graphs,
      clients: { rest: out.started.restUrl ? new KServeRestClient(out.started.restUrl) : null, grpc: out.started.grpcAddress ? kserveGrpcClient(out.started.grpcAddress) : null },
      copy: { started: out.started, access: c.forCopy(out.started.id, spec) }, killedBy: null,
    }
    : { server: { started: false, configPath: config, error: out.error, log: out.log }, graphs, clients: { rest: null, grpc: null }, copy: null, killedBy: null };
}

/** The run's graph server, started by the first MediaPipe check and stopped after the last check. */
export function graphServer(ctx: CheckContext): Promise<Handle | null> {
  return ctx.shared('mediapipe.graph-server', () => startGraphServer(ctx), async (h) => {
    const handle = await h.catch(() => null);
    if (!handle) return;
    handle.clients.grpc?.close();
    await handle.clients.rest?.close();
    await handle.copy?.started.container.stop({ timeout: 0 }).catch(() => undefined);
  });
}

export async function ready(ctx: CheckContext, transport?: 'REST' | 'gRPC'): Promise<Handle> {
  const handle = await graphServer(ctx);
  if (!ctx.run.options.mediapipeConfig) return stopSkip('no MediaPipe configuration given (--mediapipe-config FILE)');
  if (!handle) return stopSkip('the graph server was not started');
  if (!handle.server.started) return stopSkip(`the server with the MediaPipe configuration did not start (${handle.server.error}); see mediapipe.graphs-ready`);
  if (handle.graphs.length === 0) return stopSkip(`${ctx.run.options.mediapipeConfig} declares no MediaPipe graph`);
  if (transport === 'REST' && !handle.clients.rest) return stopSkip('needs the REST endpoint; the graph server has none (gRPC only)');
  if (transport === 'gRPC' && !handle.clients.grpc) return stopSkip('needs the gRPC endpoint; the graph server has none (REST only)');
  return handle;
}

export const where = (g: DiscoveredGraph): string => `${g.name} (${g.style}, ${relative(process.cwd(), g.graphPath)})`;

async function sendSample(h: Handle, transport: 'REST' | 'gRPC', g: DiscoveredGraph, sample: Sample): Promise<{ lines: string[]; ok: boolean }> {
  if (transport === 'REST') {
    let a;
    try {
      a = await h.clients.rest!.infer(g.name, restInputs(sample));
    } catch (e) {
      return { ok: false, lines: [`REST POST /v2/models/${g.name}/infer -> no answer (${(e as { code?: string }).code ?? ''} ${(e as Error).message})`] };
    }
    if (a.status !== 200) return { ok: false, lines: [`REST POST /v2/models/${g.name}/infer -> ${a.status} "${errorText(a)}"`] };
    const observed: ObservedOutput[] = ((a.body as InferResponse).outputs ?? []).map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, values: (o.data ?? []).flat(Infinity as 1) as number[] }));
    const c = compareOutputs(sample, observed);
    return { ok: c.ok, lines: [`REST POST /v2/models/${g.name}/infer -> 200`, ...c.lines] };
  }
  const grpc = h.clients.grpc!;
  const req: ModelInferRequest = {
    model_name: g.name,
    inputs: sample.inputs.map((i) => ({ name: i.name, datatype: i.datatype, shape: i.shape })),
    raw_input_contents: sample.inputs.map(rawInput),
  };
  const fromResponse = (r: ModelInferResponse__Output): ObservedOutput[] => r.outputs.map((o, k) => ({ name: o.name, datatype: o.datatype, shape: o.shape.map(Number), values: decodeRaw(o.datatype, r.raw_output_contents[k] ?? new Uint8Array()) }));
  const lines: string[] = [];
  let ok = true;
  try {
    const r = await rpc.modelInfer(grpc, req, 30_000);
    const c = compareOutputs(sample, fromResponse(r));
    ok = c.ok;
    lines.push('gRPC ModelInfer -> OK', ...c.lines);
  } catch (e) {
    const f = grpcFailure(e);
    ok = false;
    lines.push(`gRPC ModelInfer -> ${f.codeName} "${f.details}"`);
  }
  if (sample.stream) {
    const answer = await new Promise<{ error: string; response: ModelInferResponse__Output | null }>((resolve) => {
      const call = grpc.ModelStreamInfer({ deadline: Date.now() + 30_000 });
      let got: { error: string; response: ModelInferResponse__Output | null } | null = null;
      call.on('data', (d: { error_message: string; infer_response: ModelInferResponse__Output | null }) => { got ??= { error: d.error_message, response: d.infer_response }; });
      call.on('error', (e) => resolve({ error: `${grpcFailure(e).codeName} ${grpcFailure(e).details}`, response: null }));
      call.on('end', () => resolve(got ?? { error: 'the stream ended without a response', response: null }));
      call.write(req);
      call.end();
    });
    if (answer.error || !answer.response) {
      ok = false;
      lines.push(`gRPC ModelStreamInfer -> error_message "${answer.error}"`);
    } else {
      const c = compareOutputs(sample, fromResponse(answer.response));
      ok &&= c.ok;
      lines.push('gRPC ModelStreamInfer -> infer_response', ...c.lines);
    }
  }
  return { ok, lines };
}

export async function samples(ctx: CheckContext, transport: 'REST' | 'gRPC'): Promise<GraphSample[]> {
  const h = await ready(ctx, transport);
  if (h.killedBy) return stopSkip(`the server with the MediaPipe configuration died during the sample of graph ${h.killedBy}; see mediapipe.sample-rest`);
  const out: GraphSample[] = [];
  for (const g of h.graphs) {
    if (h.killedBy) { out.push({ name: g.name, where: where(g), state: 'not tried', killer: h.killedBy }); continue; }
    let sample: Sample;
    try {
      sample = readSample(g.samplePath);
    } catch (e) {
      out.push({ name: g.name, where: where(g), state: 'no sample', problem: (e as Error).message });
      continue;
    }
    const r = await sendSample(h, transport, g, sample);
    const alive = await checkLiveness(h.clients);
    const s: GraphSample = { name: g.name, where: where(g), state: r.ok ? 'ok' : 'failed', lines: r.lines, liveAfter: alive.live, liveItems: alive.items };
    if (!alive.live) {
      h.killedBy = g.name;
      if (h.copy) {
        s.exitCode = (await h.copy.access.stoppedState()).exitCode;
        s.logTail = (await h.copy.access.logs().catch(() => [])).slice(-4);
      }
    }
    out.push(s);
  }
  return out;
}

/** What the two sample checks are made of, for one transport: the samples sent, and their judgement. */
export function sampleCheck(transport: 'REST' | 'gRPC') {
  return {
    clause: 'S4', requirement: 'required', profile: 'quick', needs: [], live: true,
    remediation: 'fix the graph or its sample; the server error is in the evidence', impact: 'none',
    observe: (ctx: CheckContext) => samples(ctx, transport),
    judge: (s: GraphSample[]) => judgeSamples(transport, s),
  } as const;
}
