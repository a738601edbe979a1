// The hardened server still answers correctly and rejects hostile input cleanly, over KServe v2
// REST and gRPC (whichever the deployment has). inference.bad-requests runs last: a server that
// crashes on it takes nothing else down.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';
import { defineCheck, stopSkip, type CheckContext } from '../src/checks/define-check.js';
import { EXPECTED_MODELS, describeTensors } from '../src/ovms/expected-models.js';
import { judgeBadRequests, judgeClassification, judgeHealth, judgeModelMetadata, type ClassifyObservation, type HealthAnswers, type MetadataAnswer, type PerProtocol } from '../src/judge/inference.js';
import { isVerified } from '../src/models/download.js';
import { readManifest } from '../src/models/manifest.js';
import { badRequestProbes, runProbe } from '../src/probes/bad-requests.js';
import { decodeJpeg, toResnetInput } from '../src/probes/image-input.js';
import { checkLiveness } from '../src/probes/liveness.js';
import { servedInterface } from '../src/probes/served-model.js';
import { grpcFailure, rpc } from '../src/protocol/grpc-client.js';
import { errorText, type ModelMetadata, type TensorMeta } from '../src/protocol/rest-client.js';
import { argmax, fp32ToRaw, rawToFp32 } from '../src/protocol/tensor.js';
import { PROJECT_ROOT } from '../src/version.js';

const ZEBRA_CLASS = 340;

/** Asks each protocol the deployment has; an absent one is named, never an error. */
async function perProtocol<T>(ctx: CheckContext, rest: () => Promise<T>, grpc: () => Promise<T>): Promise<PerProtocol<T>> {
  const e = ctx.run.target.endpoints;
  return {
    REST: e.rest ? await rest() : { absent: 'no REST endpoint in this deployment (gRPC only)' },
    gRPC: e.grpc ? await grpc() : { absent: 'no gRPC endpoint in this deployment (REST only)' },
  };
}

const tensors = (x: { name: string; datatype: string; shape: (number | string)[] }): TensorMeta => ({ name: x.name, datatype: x.datatype, shape: x.shape.map(Number) });

describe('inference', () => {
  defineCheck('inference.health', {
    live: true,
    async observe(ctx) {
      return perProtocol<HealthAnswers>(ctx, async () => {
        const live = await ctx.target.rest().live();
        const ready = await ctx.target.rest().ready();
        return { lines: [`REST GET /v2/health/live -> ${live.status}`, `REST GET /v2/health/ready -> ${ready.status}`], ok: live.status === 200 && ready.status === 200 };
      }, async () => {
        const lines: string[] = [];
        let ok = true;
        for (const [name, call] of [['ServerLive', async () => (await rpc.serverLive(ctx.target.grpc())).live], ['ServerReady', async () => (await rpc.serverReady(ctx.target.grpc())).ready]] as const) {
          try {
            const value = await call();
            lines.push(`gRPC ${name} -> OK ${name === 'ServerLive' ? 'live' : 'ready'}=${value}`);
            ok &&= value === true;
          } catch (e) {
            const f = grpcFailure(e);
            lines.push(`gRPC ${name} -> ${f.codeName} ${f.details}`);
            ok = false;
          }
        }
        return { lines, ok };
      });
    },
    judge: judgeHealth,
  });

  defineCheck('inference.model-metadata', {
    live: true,
    async observe(ctx) {
      const model = ctx.run.options.modelName;
      const answers = await perProtocol<MetadataAnswer>(ctx, async () => {
        const r = await ctx.target.rest().modelMetadata(model);
        const meta = r.status === 200 ? (r.body as ModelMetadata) : null;
        return { meta, line: meta ? `REST GET /v2/models/${model} -> 200 inputs ${describeTensors(meta.inputs)}; outputs ${describeTensors(meta.outputs)}` : `REST GET /v2/models/${model} -> ${r.status} ${errorText(r)}` };
      }, async () => {
        try {
          const g = await rpc.modelMetadata(ctx.target.grpc(), { name: model });
          const meta = { inputs: (g.inputs ?? []).map(tensors), outputs: (g.outputs ?? []).map(tensors) };
          return { meta, line: `gRPC ModelMetadata -> OK inputs ${describeTensors(meta.inputs)}; outputs ${describeTensors(meta.outputs)}` };
        } catch (e) {
          const f = grpcFailure(e);
          return { meta: null, line: `gRPC ModelMetadata -> ${f.codeName} ${f.details}` };
        }
      });
      return { model, answers };
    },
    judge: (o) => judgeModelMetadata(o.model, EXPECTED_MODELS[o.model], Object.keys(EXPECTED_MODELS), o.answers),
  });

  defineCheck('inference.classify-sample', {
    live: true,
    async observe(ctx) {
      const t = ctx.run.target;
      if (t.standIn) return stopSkip('the target is the stand-in, which serves an interface twin of resnet50-binary-0001 and never classifies');
      if (ctx.run.options.modelName !== 'resnet') return stopSkip(`the served model is ${ctx.run.options.modelName}, not resnet50-binary-0001`);
      const manifest = readManifest(new URL('models/manifest.json', PROJECT_ROOT).pathname);
      const image = manifest.files.find((f) => f.name === 'zebra.jpeg')!;
      const context: string[] = [];
      const dir = t.modelsHostDir;
      if (dir) {
        const unverified = [];
        for (const f of manifest.files) if (!(await isVerified(join(dir, f.path), f))) unverified.push(f.path);
        if (unverified.length > 0) return stopSkip(`files in ${dir} do not match the real resnet50-binary-0001 / zebra.jpeg checksums of models/manifest.json (${unverified.join(', ')}); run npm run fetch-models`);
        context.push('model files verified against models/manifest.json (sha384, OMZ model.yml values)');
      } else context.push('the model files are not visible to the harness; the answer alone is judged');
      const models = new URL('models/', PROJECT_ROOT).pathname;
      const jpegPath = [dir, models].filter(Boolean).map((d) => join(d!, image.path)).find((p) => { try { readFileSync(p); return true; } catch { return false; } });
      if (!jpegPath || !(await isVerified(jpegPath, image))) return stopSkip(`zebra.jpeg is not in the verified cache (${models}); run npm run fetch-models`);
      const decoded = decodeJpeg(readFileSync(jpegPath));
      const input = toResnetInput(decoded);
      context.push(`zebra.jpeg ${decoded.width}x${decoded.height} -> center crop 224x224, BGR, 0..255, NCHW (as the OVMS demo)`);
      const seen: ClassifyObservation[] = [];
      if (t.endpoints.rest) {
        const r = await ctx.target.rest().infer('resnet', [{ name: '0', datatype: 'FP32', shape: [1, 3, 224, 224], data: Array.from(input) }]);
        const out = r.status === 200 ? r.body?.outputs.find((o) => o.name === '1463')?.data : undefined;
        seen.push(out ? { transport: 'REST', top: argmax(out), score: Math.max(...out), error: null } : { transport: 'REST', top: null, score: null, error: `${r.status} ${errorText(r)}` });
      }
      if (t.endpoints.grpc) {
        try {
          const g = await rpc.modelInfer(ctx.target.grpc(), { model_name: 'resnet', inputs: [{ name: '0', datatype: 'FP32', shape: [1, 3, 224, 224] }], raw_input_contents: [fp32ToRaw(input)] }, 30_000);
          const idx = (g.outputs ?? []).findIndex((o) => o.name === '1463');
          const logits = idx >= 0 && g.raw_output_contents?.[idx] ? rawToFp32(g.raw_output_contents[idx]) : null;
          seen.push(logits ? { transport: 'gRPC', top: argmax(logits), score: Math.max(...logits), error: null } : { transport: 'gRPC', top: null, score: null, error: 'no output 1463 in raw_output_contents' });
        } catch (e) {
          const f = grpcFailure(e);
          seen.push({ transport: 'gRPC', top: null, score: null, error: `${f.codeName} ${f.details}` });
        }
      }
      return { seen, context };
    },
    judge: (o) => judgeClassification(ZEBRA_CLASS, 'zebra.jpeg', o.seen, o.context),
  });

  defineCheck('inference.bad-requests', {
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
});
