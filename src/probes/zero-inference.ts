// One ModelInfer of zeros in the served input's shape, read back: the output (by name when the
// server announced it), its shape against the announced one, and whether its values are finite.
import { grpcFailure, rpc, type KServeGrpcClient } from '../protocol/grpc-client.js';
import type { TensorMeta } from '../protocol/rest-client.js';
import { rawToFp32, shapeMatches } from '../protocol/tensor.js';
import { zeroInferRequest } from './infer-request.js';

export interface ZeroInference {
  ok: boolean;
  output: string | null;
  shape: number[];
  /** Same rank as announced, fixed dimensions equal; -1 (dynamic) accepts any size. */
  shapeOk: boolean;
  values: number;
  /** The gRPC failure of the call, when it failed. */
  failure: string | null;
}

export async function inferZeros(client: KServeGrpcClient, model: string, input: TensorMeta, output: TensorMeta | undefined, timeoutMs = 30_000): Promise<ZeroInference> {
  try {
    const res = await rpc.modelInfer(client, zeroInferRequest(model, input), timeoutMs);
    const idx = output ? res.outputs.findIndex((o) => o.name === output.name) : 0;
    const out = idx >= 0 ? res.outputs[idx] : undefined;
    const values = out && res.raw_output_contents[idx] ? rawToFp32(res.raw_output_contents[idx]!) : new Float32Array();
    const shape = out ? out.shape.map(Number) : [];
    const shapeOk = !output || shapeMatches(output.shape, shape);
    const ok = !!out && shapeOk && values.length > 0 && values.every(Number.isFinite);
    return { ok, output: out?.name ?? null, shape, shapeOk, values: values.length, failure: null };
  } catch (e) {
    const f = grpcFailure(e);
    return { ok: false, output: null, shape: [], shapeOk: false, values: 0, failure: `${f.codeName} ${f.details}` };
  }
}
