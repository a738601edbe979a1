// inference.model-metadata: REST and gRPC model metadata show the inputs and outputs the deployment
// expects of the served model.
import { EXPECTED_MODELS, type ExpectedModel, describeTensors, sameTensors } from '../../ovms/expected-models.js';
import { type Evidence, type JsonValue, type Judgement, pass, skip, violated } from '../../check-kit/verdict.js';
import { type ModelMetadata, type TensorMeta, errorText } from '../../protocol/rest-client.js';
import { type PerProtocol, perProtocol, present, tensors } from './common.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { grpcFailure, rpc } from '../../protocol/grpc-client.js';

export interface MetadataAnswer { meta: { inputs: TensorMeta[]; outputs: TensorMeta[] } | null; line: string }

export function judgeModelMetadata(model: string, expected: ExpectedModel | undefined, known: string[], o: PerProtocol<MetadataAnswer>): Judgement {
  if (!expected) return skip(`no expected metadata is known for model ${model} (known: ${known.join(', ')})`);
  const asked = (['REST', 'gRPC'] as const).filter((p) => present(o[p]));
  const items = [
    `expected (${expected.source}): inputs ${describeTensors(expected.inputs)}; outputs ${describeTensors(expected.outputs)}`,
    ...(['REST', 'gRPC'] as const).map((p) => { const x = o[p]; return present(x) ? x.line : `${p}: ${x.absent}`; }),
  ];
  const matches = (m: MetadataAnswer['meta']): boolean => m !== null && sameTensors(m.inputs, expected.inputs) && sameTensors(m.outputs, expected.outputs);
  const observed = Object.fromEntries(asked.map((p): [string, JsonValue] => { const m = (o[p] as MetadataAnswer).meta; return [p, m ? { inputs: describeTensors(m.inputs), outputs: describeTensors(m.outputs) } : null]; }));
  const evidence: Evidence = { items, observed, expected: { inputs: describeTensors(expected.inputs), outputs: describeTensors(expected.outputs) } };
  if (asked.length === 0) return skip('the deployment has neither a REST nor a gRPC endpoint');
  if (asked.every((p) => matches((o[p] as MetadataAnswer).meta))) return pass(`${model} serves ${describeTensors(expected.inputs)} -> ${describeTensors(expected.outputs)} over ${asked.join(' and ')}`, evidence);
  return violated(`${model} metadata differs from what the deployment expects`, evidence);
}

export default defineCheck({
  id: 'inference.model-metadata',
  title: "the served model's inputs and outputs are what the deployment expects",
  clause: '-',
  requirement: 'required',
  profile: 'quick',
  remediation: 'serve the expected model files',
  impact: 'none',
  needs: [],
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
