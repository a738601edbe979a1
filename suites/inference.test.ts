// The hardened server still answers correctly and rejects hostile input cleanly, over KServe v2
// REST and gRPC. inference.bad-requests runs last: a server that crashes on it takes nothing else down.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { judgeClassification, type ClassifyObservation } from '../src/checks/classification.js';
import { defineCheck } from '../src/checks/define-check.js';
import { suiteClients } from '../src/checks/suite-clients.js';
import { EXPECTED_MODELS, describeTensors, sameTensors } from '../src/checks/expected-models.js';
import { fail, pass, skip } from '../src/checks/verdict.js';
import { isVerified } from '../src/models/download.js';
import { readManifest } from '../src/models/manifest.js';
import { badRequestProbes, runProbe } from '../src/probes/bad-requests.js';
import { decodeJpeg, toResnetInput } from '../src/probes/image-input.js';
import { checkLiveness } from '../src/probes/liveness.js';
import { grpcFailure, rpc } from '../src/protocol/grpc-client.js';
import { errorText, type ModelMetadata, type TensorMeta } from '../src/protocol/rest-client.js';
import { argmax, fp32ToRaw, rawToFp32 } from '../src/protocol/tensor.js';
import { PROJECT_ROOT } from '../src/version.js';

const ZEBRA_CLASS = 340;
const { get } = suiteClients();

describe('inference', () => {
  defineCheck('inference.health', async () => {
    const { rest, grpc } = get();
    const live = await rest.live();
    const ready = await rest.ready();
    const items = [`REST GET /v2/health/live -> ${live.status}`, `REST GET /v2/health/ready -> ${ready.status}`];
    let grpcOk = true;
    for (const [name, call] of [['ServerLive', async () => (await rpc.serverLive(grpc)).live], ['ServerReady', async () => (await rpc.serverReady(grpc)).ready]] as const) {
      try {
        const value = await call();
        items.push(`gRPC ${name} -> OK ${name === 'ServerLive' ? 'live' : 'ready'}=${value}`);
        grpcOk &&= value === true;
      } catch (e) {
        const f = grpcFailure(e);
        items.push(`gRPC ${name} -> ${f.codeName} ${f.details}`);
        grpcOk = false;
      }
    }
    const evidence = { items, observed: { restLive: live.status, restReady: ready.status, grpcOk }, expected: { restLive: 200, restReady: 200, grpcOk: true } };
    return live.status === 200 && ready.status === 200 && grpcOk
      ? pass('live and ready over REST and gRPC', evidence)
      : fail('not live and ready on both transports', evidence);
  }, { needsReadyServer: true });

  defineCheck('inference.model-metadata', async ({ run }) => {
    const model = run.options.modelName;
    const expected = EXPECTED_MODELS[model];
    if (!expected) return skip(`no expected metadata is known for model ${model} (known: ${Object.keys(EXPECTED_MODELS).join(', ')})`);
    const { rest, grpc } = get();
    const r = await rest.modelMetadata(model);
    const restMeta = r.status === 200 ? (r.body as ModelMetadata) : null;
    let grpcMeta: { inputs: TensorMeta[]; outputs: TensorMeta[] } | null = null;
    let grpcError = '';
    try {
      const g = await rpc.modelMetadata(grpc, { name: model });
      const t = (x: { name: string; datatype: string; shape: (number | string)[] }): TensorMeta => ({ name: x.name, datatype: x.datatype, shape: x.shape.map(Number) });
      grpcMeta = { inputs: (g.inputs ?? []).map(t), outputs: (g.outputs ?? []).map(t) };
    } catch (e) {
      const f = grpcFailure(e);
      grpcError = `${f.codeName} ${f.details}`;
    }
    const items = [
      `expected (${expected.source}): inputs ${describeTensors(expected.inputs)}; outputs ${describeTensors(expected.outputs)}`,
      restMeta ? `REST GET /v2/models/${model} -> 200 inputs ${describeTensors(restMeta.inputs)}; outputs ${describeTensors(restMeta.outputs)}` : `REST GET /v2/models/${model} -> ${r.status} ${errorText(r)}`,
      grpcMeta ? `gRPC ModelMetadata -> OK inputs ${describeTensors(grpcMeta.inputs)}; outputs ${describeTensors(grpcMeta.outputs)}` : `gRPC ModelMetadata -> ${grpcError}`,
    ];
    const matches = (m: { inputs: TensorMeta[]; outputs: TensorMeta[] } | null): boolean => m !== null && sameTensors(m.inputs, expected.inputs) && sameTensors(m.outputs, expected.outputs);
    const evidence = {
      items,
      observed: { rest: restMeta ? { inputs: describeTensors(restMeta.inputs), outputs: describeTensors(restMeta.outputs) } : null, grpc: grpcMeta ? { inputs: describeTensors(grpcMeta.inputs), outputs: describeTensors(grpcMeta.outputs) } : null },
      expected: { inputs: describeTensors(expected.inputs), outputs: describeTensors(expected.outputs) },
    };
    if (matches(restMeta) && matches(grpcMeta)) return pass(`${model} serves ${describeTensors(expected.inputs)} -> ${describeTensors(expected.outputs)} over REST and gRPC`, evidence);
    return fail(`${model} metadata differs from what the deployment expects`, evidence);
  }, { needsReadyServer: true });

  defineCheck('inference.classify-sample', async ({ run }) => {
    if (run.target.standIn) return skip('the target is the stand-in, which serves an interface twin of resnet50-binary-0001 and never classifies');
    if (run.options.modelName !== 'resnet') return skip(`the served model is ${run.options.modelName}, not resnet50-binary-0001`);
    const dir = run.target.spec.modelsHostDir;
    const manifest = readManifest(new URL('models/manifest.json', PROJECT_ROOT).pathname);
    const unverified = [];
    for (const f of manifest.files) if (!(await isVerified(join(dir, f.path), f))) unverified.push(f.path);
    if (unverified.length > 0) {
      return skip(`files in ${dir} do not match the real resnet50-binary-0001 / zebra.jpeg checksums of models/manifest.json (${unverified.join(', ')}); run npm run fetch-models`);
    }
    const image = manifest.files.find((f) => f.name === 'zebra.jpeg')!;
    const decoded = decodeJpeg(readFileSync(join(dir, image.path)));
    const input = toResnetInput(decoded);
    const { rest, grpc } = get();
    const seen: ClassifyObservation[] = [];
    const r = await rest.infer('resnet', [{ name: '0', datatype: 'FP32', shape: [1, 3, 224, 224], data: Array.from(input) }]);
    const out = r.status === 200 ? r.body?.outputs.find((o) => o.name === '1463')?.data : undefined;
    seen.push(out ? { transport: 'REST', top: argmax(out), score: Math.max(...out), error: null } : { transport: 'REST', top: null, score: null, error: `${r.status} ${errorText(r)}` });
    try {
      const g = await rpc.modelInfer(grpc, { model_name: 'resnet', inputs: [{ name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] }], raw_input_contents: [fp32ToRaw(input)] }, 30_000);
      const idx = (g.outputs ?? []).findIndex((o) => o.name === '1463');
      const logits = idx >= 0 && g.raw_output_contents?.[idx] ? rawToFp32(g.raw_output_contents[idx]) : null;
      seen.push(logits ? { transport: 'gRPC', top: argmax(logits), score: Math.max(...logits), error: null } : { transport: 'gRPC', top: null, score: null, error: 'no output 1463 in raw_output_contents' });
    } catch (e) {
      const f = grpcFailure(e);
      seen.push({ transport: 'gRPC', top: null, score: null, error: `${f.codeName} ${f.details}` });
    }
    return judgeClassification(ZEBRA_CLASS, 'zebra.jpeg', seen, [
      `model files verified against models/manifest.json (sha384, OMZ model.yml values)`,
      `zebra.jpeg ${decoded.width}x${decoded.height} -> center crop 224x224, BGR, 0..255, NCHW (as the OVMS demo)`,
    ]);
  }, { needsReadyServer: true });

  defineCheck('inference.bad-requests', async ({ run }) => {
    const { rest, grpc } = get();
    const model = run.options.modelName;
    const meta = await rest.modelMetadata(model);
    const input = meta.status === 200 ? (meta.body as ModelMetadata).inputs[0] : EXPECTED_MODELS[model]?.inputs[0];
    if (!input) return fail(`cannot learn the input of ${model}: GET /v2/models/${model} -> ${meta.status} ${errorText(meta)}`, { items: [], observed: { status: meta.status }, expected: { status: 200 } });
    const results = [];
    for (const p of badRequestProbes(rest, grpc, model, input)) results.push(await runProbe(p));
    const alive = await checkLiveness(rest, grpc);
    const items = [
      ...results.map((r) => `${r.ok ? 'ok  ' : 'BAD '} ${r.transport} ${r.name}: ${r.request} -> ${r.status} (expected ${r.expected}${r.derived ? ', derived from OVMS source, unverified' : ''})${r.message ? ` "${r.message.slice(0, 120)}"` : ''}`),
      `afterwards: ${alive.items.join('; ')}`,
    ];
    const evidence = {
      items,
      observed: { statuses: Object.fromEntries(results.map((r) => [`${r.transport} ${r.name}`, r.status])), liveAfterwards: alive.live },
      expected: { statuses: Object.fromEntries(results.map((r) => [`${r.transport} ${r.name}`, r.expected])), liveAfterwards: true },
    };
    const wrong = results.filter((r) => !r.ok);
    if (!alive.live) return fail(`the server is not live after the hostile requests (${wrong.map((r) => `${r.transport} ${r.name} -> ${r.status}`).join(', ') || 'every request was answered'})`, evidence);
    if (wrong.length > 0) return fail(`${wrong.length} of ${results.length} requests got an unexpected status: ${wrong.map((r) => `${r.transport} ${r.name} -> ${r.status} (expected ${r.expected})`).join('; ')}`, evidence);
    return pass(`${results.length} malformed or hostile requests got OVMS's client errors; live afterwards`, evidence);
  }, { needsReadyServer: true });
});
