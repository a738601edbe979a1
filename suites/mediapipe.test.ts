// S4: MediaPipe graphs are not fully validated at load, so every graph of the deployment's
// config.json gets its sample request over KServe REST and gRPC (and ModelStreamInfer for stream
// graphs), with the server's exact error when it fails and a liveness check after each graph, so a
// graph that kills the server is named. The graphs run in a second hardened container started with
// --config_path; the config's folder is mounted read-only.
import { basename, dirname, relative } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { defineCheck } from '../src/checks/define-check.js';
import { fail, pass, skip } from '../src/checks/verdict.js';
import { discoverGraphs, type DiscoveredGraph } from '../src/mediapipe/discover.js';
import { compareOutputs, decodeRaw, rawInput, readSample, restInputs, type ObservedOutput, type Sample } from '../src/mediapipe/sample.js';
import { checkLiveness } from '../src/probes/liveness.js';
import { stoppedState } from '../src/probes/container-stats.js';
import { containerLog } from '../src/target/docker.js';
import { kserveGrpcClient, grpcFailure, rpc, type KServeGrpcClient } from '../src/protocol/grpc-client.js';
import { errorText, KServeRestClient, type InferResponse } from '../src/protocol/rest-client.js';
import { runLabels } from '../src/target/labels.js';
import { OvmsContainer, type StartedOvms } from '../src/target/ovms-container.js';
import type { ModelInferRequest } from '../src/protocol/generated/inference/ModelInferRequest.js';
import type { ModelInferResponse__Output } from '../src/protocol/generated/inference/ModelInferResponse.js';

interface GraphServer { started: StartedOvms | null; error: string | null; log: string[]; graphs: DiscoveredGraph[]; rest: KServeRestClient | null; grpc: KServeGrpcClient | null }
let server: GraphServer | null = null;
/** The graph during whose sample the MediaPipe server died: later samples are not tried. */
let killedBy: string | null = null;

beforeAll(async () => {
  const run = inject('run');
  const config = run.options.mediapipeConfig;
  if (!config || !run.target.ready) return;
  const graphs = discoverGraphs(config);
  const spec = { ...run.target.spec, modelsHostDir: dirname(config), configPath: `/models/${basename(config)}`, serverArgs: [], labels: runLabels(run.runId, 'mediapipe') };
  const outcome = await new OvmsContainer(spec, run.options.startupTimeoutMs).startHardened();
  server = outcome.ok
    ? { started: outcome.started, error: null, log: outcome.log, graphs, rest: new KServeRestClient(outcome.started.restUrl), grpc: kserveGrpcClient(outcome.started.grpcAddress) }
    : { started: null, error: outcome.error, log: outcome.log, graphs, rest: null, grpc: null };
}, 300_000);

afterAll(async () => {
  server?.grpc?.close();
  await server?.rest?.close();
  await server?.started?.container.stop({ timeout: 0 }).catch(() => undefined);
});

function precondition(): string | null {
  const run = inject('run');
  if (!run.options.mediapipeConfig) return 'no MediaPipe configuration given (--mediapipe-config FILE)';
  if (!run.target.ready) return 'the server never became ready; see hardening.starts-read-only';
  if (!server?.started) return `the server with the MediaPipe configuration did not start (${server?.error ?? 'unknown'}); see mediapipe.graphs-ready`;
  if (server.graphs.length === 0) return `${run.options.mediapipeConfig} declares no MediaPipe graph`;
  return null;
}

const where = (g: DiscoveredGraph): string => `${g.name} (${g.style}, ${relative(process.cwd(), g.graphPath)})`;

type Transport = 'REST' | 'gRPC';

async function sendSample(transport: Transport, g: DiscoveredGraph, sample: Sample): Promise<{ lines: string[]; ok: boolean }> {
  const s = server!;
  if (transport === 'REST') {
    let a;
    try {
      a = await s.rest!.infer(g.name, restInputs(sample));
    } catch (e) {
      return { ok: false, lines: [`REST POST /v2/models/${g.name}/infer -> no answer (${(e as { code?: string }).code ?? ''} ${(e as Error).message})`] };
    }
    if (a.status !== 200) return { ok: false, lines: [`REST POST /v2/models/${g.name}/infer -> ${a.status} "${errorText(a)}"`] };
    const observed: ObservedOutput[] = ((a.body as InferResponse).outputs ?? []).map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, values: (o.data ?? []).flat(Infinity as 1) as number[] }));
    const c = compareOutputs(sample, observed);
    return { ok: c.ok, lines: [`REST POST /v2/models/${g.name}/infer -> 200`, ...c.lines] };
  }
  const req: ModelInferRequest = {
    model_name: g.name,
    inputs: sample.inputs.map((i) => ({ name: i.name, datatype: i.datatype, shape: i.shape })),
    raw_input_contents: sample.inputs.map(rawInput),
  };
  const fromResponse = (r: ModelInferResponse__Output): ObservedOutput[] => r.outputs.map((o, k) => ({ name: o.name, datatype: o.datatype, shape: o.shape.map(Number), values: decodeRaw(o.datatype, r.raw_output_contents[k] ?? new Uint8Array()) }));
  const lines: string[] = [];
  let ok = true;
  try {
    const r = await rpc.modelInfer(s.grpc!, req, 30_000);
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
      const call = s.grpc!.ModelStreamInfer({ deadline: Date.now() + 30_000 });
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

async function samples(transport: Transport) {
  const s = server!;
  const items: string[] = [];
  const failed: string[] = [];
  const perGraph: Record<string, string> = {};
  let killer: string | null = null;
  if (killedBy) {
    return skip(`the server with the MediaPipe configuration died during the sample of graph ${killedBy}; see mediapipe.sample-rest`);
  }
  for (const g of s.graphs) {
    if (killer) { items.push(`${g.name}: not tried, the server died during graph ${killer}`); perGraph[g.name] = 'not tried'; continue; }
    let sample: Sample;
    try {
      sample = readSample(g.samplePath);
    } catch (e) {
      items.push(`${where(g)}: ${(e as Error).message}; add a sample.json beside the graph (see README)`);
      failed.push(`${g.name} (no usable sample)`);
      perGraph[g.name] = 'no sample';
      continue;
    }
    const r = await sendSample(transport, g, sample);
    const alive = await checkLiveness(s.rest!, s.grpc!);
    items.push(`${where(g)}: ${r.lines.join('; ')}; afterwards ${alive.live ? 'live' : `NOT live (${alive.items.join('; ')})`}`);
    perGraph[g.name] = r.ok ? 'ok' : 'failed';
    if (!r.ok) failed.push(`${g.name}: ${r.lines.find((l) => / -> (?!200|OK|infer_response)/.test(l)) ?? r.lines.find((l) => !/as expected|-> 200|-> OK/.test(l)) ?? 'unexpected output'}`);
    if (!alive.live) {
      killer = g.name;
      killedBy = g.name;
      const state = await stoppedState(s.started!.id);
      failed.push(`${g.name} killed the server (exit code ${state.exitCode})`);
      items.push(...(await containerLog(s.started!.id).catch(() => [])).slice(-4).map((l) => `log: ${l}`));
    }
  }
  const evidence = { items, observed: perGraph, expected: Object.fromEntries(s.graphs.map((g) => [g.name, 'ok'])) };
  if (failed.length > 0) return fail(`${failed.length} graph(s) failed their ${transport} sample: ${failed.join(' | ')}`, evidence);
  return pass(`all ${s.graphs.length} graphs answered their samples over ${transport}${transport === 'gRPC' ? ' (ModelStreamInfer too where the sample is a stream)' : ''} and the server stayed live`, evidence);
}

describe('mediapipe', () => {
  defineCheck('mediapipe.graphs-ready', async ({ run }) => {
    if (!run.options.mediapipeConfig) return skip('no MediaPipe configuration given (--mediapipe-config FILE)');
    const s = server;
    if (!s?.started) {
      return fail(`the server did not start with ${run.options.mediapipeConfig}: ${s?.error ?? 'unknown error'}`, {
        items: (s?.log ?? []).slice(-15).map((l) => `log: ${l}`), observed: { started: false }, expected: { started: true },
      });
    }
    if (s.graphs.length === 0) return skip(`${run.options.mediapipeConfig} declares no MediaPipe graph`);
    const items: string[] = [`config ${run.options.mediapipeConfig}: ${s.graphs.length} graphs (${s.graphs.map((g) => `${g.name} via ${g.style}`).join(', ')})`];
    const notReady: string[] = [];
    for (const g of s.graphs) {
      const a = await s.rest!.modelReady(g.name);
      let grpcReady = 'no answer';
      try { grpcReady = String((await rpc.modelReady(s.grpc!, { name: g.name })).ready); } catch (e) { grpcReady = `${grpcFailure(e).codeName} ${grpcFailure(e).details}`; }
      items.push(`${where(g)}: REST ready -> ${a.status}${a.status !== 200 ? ` "${errorText(a)}"` : ''}; gRPC ModelReady -> ${grpcReady}`);
      if (a.status !== 200 || grpcReady !== 'true') notReady.push(g.name);
    }
    const loadErrors = s.log.filter((l) => /Mediapipe|graph/i.test(l) && /error|fail/i.test(l)).slice(0, 10);
    items.push(...loadErrors.map((l) => `log: ${l}`));
    const evidence = { items, observed: { notReady }, expected: { notReady: [] } };
    return notReady.length === 0 ? pass(`all ${s.graphs.length} graphs are ready`, evidence) : fail(`not ready: ${notReady.join(', ')}`, evidence);
  }, { needsReadyServer: true });

  defineCheck('mediapipe.sample-rest', async () => {
    const blocked = precondition();
    return blocked ? skip(blocked) : samples('REST');
  }, { needsReadyServer: true });

  defineCheck('mediapipe.sample-grpc', async () => {
    const blocked = precondition();
    return blocked ? skip(blocked) : samples('gRPC');
  }, { needsReadyServer: true });
});
