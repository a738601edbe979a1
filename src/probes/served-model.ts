// The served model's interface as the server itself announces it (REST metadata), so load and
// recovery probes send valid requests whatever the deployment serves; falls back to the expected one.
import { EXPECTED_MODELS } from '../checks/expected-models.js';
import type { KServeRestClient, ModelMetadata, TensorMeta } from '../protocol/rest-client.js';

const cache = new Map<string, { input: TensorMeta; output: TensorMeta | undefined }>();

export async function servedInterface(rest: KServeRestClient, model: string): Promise<{ input: TensorMeta; output: TensorMeta | undefined }> {
  const hit = cache.get(model);
  if (hit) return hit;
  let meta: ModelMetadata | null = null;
  try {
    const a = await rest.modelMetadata(model);
    if (a.status === 200) meta = a.body as ModelMetadata;
  } catch { /* fall back below */ }
  const known = EXPECTED_MODELS[model];
  const input = meta?.inputs[0] ?? known?.inputs[0] ?? { name: 'input', datatype: 'FP32', shape: [1] };
  const value = { input, output: meta?.outputs[0] ?? known?.outputs[0] };
  if (meta) cache.set(model, value);
  return value;
}
