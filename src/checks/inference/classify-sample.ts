// inference.classify-sample: zebra.jpeg is classified as 340 over REST and gRPC by the real
// resnet50-binary-0001.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Evidence, type JsonValue, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { PROJECT_ROOT } from '../../version.js';
import { argmax, fp32ToRaw, rawToFp32 } from '../../protocol/tensor.js';
import { decodeJpeg, toResnetInput } from '../../probes/image-input.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { errorText } from '../../protocol/rest-client.js';
import { grpcFailure, rpc } from '../../protocol/grpc-client.js';
import { isVerified } from '../../models/download.js';
import { readManifest } from '../../models/manifest.js';
import { stopSkip } from '../../check-kit/context.js';

const ZEBRA_CLASS = 340;

export interface ClassifyObservation { transport: 'REST' | 'gRPC'; top: number | null; score: number | null; error: string | null }

export function judgeClassification(expectedClass: number, image: string, seen: ClassifyObservation[], context: string[]): Judgement {
  const items = [
    ...context,
    ...seen.map((s) => `${s.transport}: ${s.error ? `failed: ${s.error}` : `argmax ${s.top} (logit ${s.score?.toFixed(3)}), expected ${expectedClass}`}`),
  ];
  const evidence: Evidence = {
    items,
    observed: Object.fromEntries(seen.map((s): [string, JsonValue] => [s.transport, s.error ? { error: s.error } : { top: s.top, score: s.score }])),
    expected: { top: expectedClass },
  };
  const wrong = seen.filter((s) => s.error !== null || s.top !== expectedClass);
  if (seen.length > 0 && wrong.length === 0) return pass(`${image} classified as ${expectedClass} over ${seen.map((s) => s.transport).join(' and ')}`, evidence);
  return violated(`${image} not classified as ${expectedClass}: ${wrong.map((s) => `${s.transport} ${s.error ? 'failed' : `gave ${s.top}`}`).join(', ') || 'nothing was asked'}`, evidence);
}

export default defineCheck({
  id: 'inference.classify-sample',
  title: 'a real image is classified correctly (zebra -> 340) over REST and gRPC',
  clause: '-',
  requirement: 'required',
  profile: 'quick',
  remediation: 'serve the real resnet50-binary-0001 files',
  impact: 'none',
  needs: [],
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
