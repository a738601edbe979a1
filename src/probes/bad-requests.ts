// Hostile and malformed KServe requests, each with the status OVMS answers it with
// (ovms-facts 3a, kserve-v2-facts 5.4/5.5). `derived` marks codes read from source, not measured.
import { grpcFailure, rpc, type KServeGrpcClient } from '../protocol/grpc-client.js';
import { concreteShape } from './payload.js';
import type { ModelInferRequest } from '../protocol/generated/inference/ModelInferRequest.js';
import { errorText, type KServeRestClient, type TensorMeta } from '../protocol/rest-client.js';

export interface BadRequestProbe {
  name: string;
  transport: 'REST' | 'gRPC';
  describe: string;
  expected: number | string;
  derived: boolean;
  run(): Promise<{ status: number | string; message: string }>;
}

export interface ProbeResult { name: string; transport: string; request: string; expected: number | string; derived: boolean; status: number | string; message: string; ok: boolean }

export const NO_SUCH_MODEL = 'ovms-validate-no-such-model';

function wrongShape(input: TensorMeta): number[] {
  const shape = concreteShape(input.shape);
  shape[shape.length - 1] = shape[shape.length - 1] === 2 ? 3 : 2;
  return shape;
}

const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** The probes for the protocols the deployment has (a null client leaves its probes out). */
export function badRequestProbes(rest: KServeRestClient | null, grpc: KServeGrpcClient | null, model: string, input: TensorMeta): BadRequestProbe[] {
  const infer = `/v2/models/${encodeURIComponent(model)}/infer`;
  const post = (body: string) => async () => {
    const a = await rest!.send('POST', infer, body, { 'content-type': 'application/json' });
    return { status: a.status, message: errorText(a) };
  };
  const shape = concreteShape(input.shape);
  const bad = wrongShape(input);
  const wrongType = input.datatype === 'INT32' ? 'FP32' : 'INT32';
  const deep = `{"inputs":${'['.repeat(150)}${']'.repeat(150)}}`;
  const all: BadRequestProbe[] = [
    { name: 'malformed JSON', transport: 'REST', describe: `POST ${infer} '{"inputs": ['`, expected: 412, derived: false, run: post('{"inputs": [') },
    {
      name: 'wrong datatype', transport: 'REST', describe: `POST ${infer} ${input.name} as ${wrongType}${JSON.stringify(shape)}`, expected: 400, derived: false,
      run: post(JSON.stringify({ inputs: [{ name: input.name, datatype: wrongType, shape, data: new Array(count(shape)).fill(0) }] })),
    },
    {
      name: 'wrong shape', transport: 'REST', describe: `POST ${infer} ${input.name} ${input.datatype}${JSON.stringify(bad)}`, expected: 400, derived: false,
      run: post(JSON.stringify({ inputs: [{ name: input.name, datatype: input.datatype, shape: bad, data: new Array(count(bad)).fill(0) }] })),
    },
    {
      name: 'unknown model', transport: 'REST', describe: `POST /v2/models/${NO_SUCH_MODEL}/infer`, expected: 404, derived: false,
      run: async () => {
        const a = await rest!.send('POST', `/v2/models/${NO_SUCH_MODEL}/infer`, JSON.stringify({ inputs: [{ name: input.name, datatype: input.datatype, shape: [1], data: [0] }] }));
        return { status: a.status, message: errorText(a) };
      },
    },
    {
      name: 'unknown route', transport: 'REST', describe: 'GET /v2/ovms-validate-unknown-route', expected: 400, derived: false,
      run: async () => { const a = await rest!.send('GET', '/v2/ovms-validate-unknown-route'); return { status: a.status, message: errorText(a) }; },
    },
    {
      name: 'wrong method', transport: 'REST', describe: `GET ${infer}`, expected: 406, derived: false,
      run: async () => { const a = await rest!.send('GET', infer); return { status: a.status, message: errorText(a) }; },
    },
    { name: 'deep JSON nesting', transport: 'REST', describe: `POST ${infer} with arrays nested 150 deep (limit 100)`, expected: 500, derived: true, run: post(deep) },
    {
      name: 'unknown model', transport: 'gRPC', describe: `ModelInfer model_name=${NO_SUCH_MODEL}`, expected: 'NOT_FOUND', derived: false,
      run: () => grpcCall(grpc!, { model_name: NO_SUCH_MODEL, inputs: [{ name: input.name, datatype: input.datatype, shape: [1] }], raw_input_contents: [Buffer.alloc(4)] }),
    },
    {
      name: 'wrong shape', transport: 'gRPC', describe: `ModelInfer ${input.name} ${input.datatype}${JSON.stringify(bad)}`, expected: 'INVALID_ARGUMENT', derived: false,
      run: () => grpcCall(grpc!, { model_name: model, inputs: [{ name: input.name, datatype: input.datatype, shape: bad }], raw_input_contents: [Buffer.alloc(count(bad) * 4)] }),
    },
  ];
  return all.filter((p) => (p.transport === 'REST' ? rest !== null : grpc !== null));
}

async function grpcCall(grpc: KServeGrpcClient, req: ModelInferRequest): Promise<{ status: string; message: string }> {
  try {
    await rpc.modelInfer(grpc, req);
    return { status: 'OK', message: '' };
  } catch (e) {
    const f = grpcFailure(e);
    return { status: f.codeName, message: f.details };
  }
}

export async function runProbe(p: BadRequestProbe): Promise<ProbeResult> {
  let status: number | string;
  let message: string;
  try {
    ({ status, message } = await p.run());
  } catch (e) {
    status = 'no answer';
    message = (e as { code?: string }).code ?? (e as Error).message;
  }
  return { name: p.name, transport: p.transport, request: p.describe, expected: p.expected, derived: p.derived, status, message, ok: status === p.expected };
}

