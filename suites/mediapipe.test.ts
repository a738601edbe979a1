// S4: MediaPipe graphs are not fully validated at load, so every graph of the deployment's
// config.json gets its sample request over KServe REST and gRPC (and ModelStreamInfer for stream
// graphs), with the server's exact error when it fails and a liveness check after each graph, so a
// graph that kills the server is named. For targets with a container the graphs run in a copy of
// it started with --config_path (the config's folder mounted read-only at /models); a remote target
// is taken to serve the configured graphs itself.
import { basename, dirname, relative } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { defineCheck, stopSkip, type CheckContext } from '../src/checks/define-check.js';
import { judgeGraphsReady, judgeSamples, type GraphReadiness, type GraphSample, type GraphServer } from '../src/judge/mediapipe.js';
import { discoverGraphs, type DiscoveredGraph } from '../src/mediapipe/discover.js';
import { compareOutputs, decodeRaw, rawInput, readSample, restInputs, type ObservedOutput, type Sample } from '../src/mediapipe/sample.js';
import { checkLiveness, type LiveClients } from '../src/probes/liveness.js';
import type { ModelInferRequest } from '../src/protocol/generated/inference/ModelInferRequest.js';
import type { ModelInferResponse__Output } from '../src/protocol/generated/inference/ModelInferResponse.js';
import { grpcFailure, kserveGrpcClient, rpc } from '../src/protocol/grpc-client.js';
import { errorText, KServeRestClient, type InferResponse } from '../src/protocol/rest-client.js';
import { TargetAccess } from '../src/targets/access.js';
import type { ContainerAccess } from '../src/targets/container-access.js';
import { flagValue, type ContainerSpec } from '../src/docker/container-spec.js';
import type { StartedServer } from '../src/targets/server-container.js';

interface Handle { server: GraphServer; graphs: DiscoveredGraph[]; clients: LiveClients; copy: { started: StartedServer; access: ContainerAccess } | null }
let handle: Handle | null = null;
/** The graph during whose sample the server died: later samples are not tried. */
let killedBy: string | null = null;

/** The target's own container flags with the config's folder at /models and --config_path instead of the model flags. */
function configSpec(spec: ContainerSpec, config: string): ContainerSpec {
  const ports = ['--port', '--rest_port'].flatMap((f) => { const v = flagValue(spec.cmd, f); return v ? [f, v] : []; });
  const binds = spec.host.Binds.filter((b) => b.split(':')[1] !== '/models');
  return { ...spec, cmd: ['--config_path', `/models/${basename(config)}`, ...ports], host: { ...spec.host, Binds: [...binds, `${dirname(config)}:/models:ro`] } };
}

beforeAll(async () => {
  const run = inject('run');
  const config = run.options.mediapipeConfig;
  if (!config || !run.target.startup.ready) return;
  const graphs = discoverGraphs(config);
  const target = new TargetAccess(run);
  if (!run.target.container) {
    handle = { server: { started: true, configPath: config, graphs: graphs.map((g) => ({ name: g.name, style: g.style })), log: [] }, graphs, clients: target.clients(), copy: null };
    return;
  }
  const c = target.container();
  const spec = configSpec(c.ref.spec, config);
  const out = await c.startCopy(spec, 'mediapipe');
  handle = out.ok
    ? {
      server: { started: true, configPath: config, graphs: graphs.map((g) => ({ name: g.name, style: g.style })), log: out.log }, graphs,
      clients: { rest: out.started.restUrl ? new KServeRestClient(out.started.restUrl) : null, grpc: out.started.grpcAddress ? kserveGrpcClient(out.started.grpcAddress) : null },
      copy: { started: out.started, access: c.forCopy(out.started.id, spec) },
    }
    : { server: { started: false, configPath: config, error: out.error, log: out.log }, graphs, clients: { rest: null, grpc: null }, copy: null };
}, 300_000);

afterAll(async () => {
  handle?.clients.grpc?.close();
  await handle?.clients.rest?.close();
  await handle?.copy?.started.container.stop({ timeout: 0 }).catch(() => undefined);
});

function ready(ctx: CheckContext, transport?: 'REST' | 'gRPC'): Handle {
  if (!ctx.run.options.mediapipeConfig) return stopSkip('no MediaPipe configuration given (--mediapipe-config FILE)');
  if (!handle) return stopSkip('the graph server was not started');
  if (!handle.server.started) return stopSkip(`the server with the MediaPipe configuration did not start (${handle.server.error}); see mediapipe.graphs-ready`);
  if (handle.graphs.length === 0) return stopSkip(`${ctx.run.options.mediapipeConfig} declares no MediaPipe graph`);
  if (transport === 'REST' && !handle.clients.rest) return stopSkip('needs the REST endpoint; the graph server has none (gRPC only)');
  if (transport === 'gRPC' && !handle.clients.grpc) return stopSkip('needs the gRPC endpoint; the graph server has none (REST only)');
  return handle;
}

const where = (g: DiscoveredGraph): string => `${g.name} (${g.style}, ${relative(process.cwd(), g.graphPath)})`;

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

async function samples(ctx: CheckContext, transport: 'REST' | 'gRPC'): Promise<GraphSample[]> {
  const h = ready(ctx, transport);
  if (killedBy) return stopSkip(`the server with the MediaPipe configuration died during the sample of graph ${killedBy}; see mediapipe.sample-rest`);
  const out: GraphSample[] = [];
  for (const g of h.graphs) {
    if (killedBy) { out.push({ name: g.name, where: where(g), state: 'not tried', killer: killedBy }); continue; }
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
      killedBy = g.name;
      if (h.copy) {
        s.exitCode = (await h.copy.access.stoppedState()).exitCode;
        s.logTail = (await h.copy.access.logs().catch(() => [])).slice(-4);
      }
    }
    out.push(s);
  }
  return out;
}

describe('mediapipe', () => {
  defineCheck('mediapipe.graphs-ready', {
    live: true,
    async observe(ctx) {
      if (!ctx.run.options.mediapipeConfig) return stopSkip('no MediaPipe configuration given (--mediapipe-config FILE)');
      if (!handle) return stopSkip('the graph server was not started');
      const h = handle;
      const graphs: GraphReadiness[] = [];
      if (h.server.started) {
        for (const g of h.graphs) {
          const parts: string[] = [];
          let ok = true;
          if (h.clients.rest) {
            const a = await h.clients.rest.modelReady(g.name);
            parts.push(`REST ready -> ${a.status}${a.status !== 200 ? ` "${errorText(a)}"` : ''}`);
            ok &&= a.status === 200;
          }
          if (h.clients.grpc) {
            let v = 'no answer';
            try { v = String((await rpc.modelReady(h.clients.grpc, { name: g.name })).ready); } catch (e) { v = `${grpcFailure(e).codeName} ${grpcFailure(e).details}`; }
            parts.push(`gRPC ModelReady -> ${v}`);
            ok &&= v === 'true';
          }
          graphs.push({ name: g.name, where: where(g), line: parts.join('; '), ready: ok });
        }
      }
      return { server: h.server, graphs };
    },
    judge: (o) => judgeGraphsReady(o.server, o.graphs),
  });

  defineCheck('mediapipe.sample-rest', { live: true, observe: (ctx) => samples(ctx, 'REST'), judge: (s) => judgeSamples('REST', s) });
  defineCheck('mediapipe.sample-grpc', { live: true, observe: (ctx) => samples(ctx, 'gRPC'), judge: (s) => judgeSamples('gRPC', s) });
});
