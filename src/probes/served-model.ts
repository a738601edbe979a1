// The served model's interface as the server itself announces it (KServe model metadata, over
// REST or else gRPC), so load and recovery probes send valid requests whatever the deployment
// serves; falls back to the expected interface when the server does not say.
import { EXPECTED_MODELS } from '../ovms/expected-models.js';
import { rpc } from '../protocol/grpc-client.js';
import type { ModelMetadata, TensorMeta } from '../protocol/rest-client.js';
import type { TargetAccess } from '../targets/access.js';

export interface ServedInterface { input: TensorMeta; output: TensorMeta | undefined; source: string }

const cache = new WeakMap<TargetAccess, Map<string, ServedInterface>>();

async function metadata(target: TargetAccess, model: string): Promise<{ inputs: TensorMeta[]; outputs: TensorMeta[]; source: string } | null> {
  try {
    if (target.target.endpoints.rest) {
      const a = await target.rest().modelMetadata(model);
      return a.status === 200 ? { ...(a.body as ModelMetadata), source: 'REST model metadata' } : null;
    }
    const g = await rpc.modelMetadata(target.grpc(), { name: model });
    const t = (x: { name: string; datatype: string; shape: (number | string)[] }): TensorMeta => ({ name: x.name, datatype: x.datatype, shape: x.shape.map(Number) });
    return { inputs: (g.inputs ?? []).map(t), outputs: (g.outputs ?? []).map(t), source: 'gRPC ModelMetadata' };
  } catch {
    return null;
  }
}

export async function servedInterface(target: TargetAccess, model: string): Promise<ServedInterface> {
  const mine = cache.get(target) ?? new Map<string, ServedInterface>();
  cache.set(target, mine);
  const hit = mine.get(model);
  if (hit) return hit;
  const meta = await metadata(target, model);
  const known = EXPECTED_MODELS[model];
  const input = meta?.inputs[0] ?? known?.inputs[0] ?? { name: 'input', datatype: 'FP32', shape: [1] };
  const value = { input, output: meta?.outputs[0] ?? known?.outputs[0], source: meta ? meta.source : 'the expected interface (the server gave no metadata)' };
  if (meta) mine.set(model, value);
  return value;
}
