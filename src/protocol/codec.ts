// Serialises KServe messages without a channel, for pre-encoded floods (protobufjs from the .proto).
import protobuf from 'protobufjs';
import { PROTO_PATH } from './grpc-client.js';
import type { ModelInferRequest } from './generated/inference/ModelInferRequest.js';

let root: protobuf.Root | undefined;

function type(name: string): protobuf.Type {
  root ??= new protobuf.Root().loadSync(PROTO_PATH, { keepCase: true });
  return root.lookupType(`inference.${name}`);
}

export function encodeModelInferRequest(req: ModelInferRequest): Uint8Array {
  const t = type('ModelInferRequest');
  return t.encode(t.fromObject(req as Record<string, unknown>)).finish();
}

/** The HTTP/2 path of KServe's ModelInfer, for the raw senders. */
export const MODEL_INFER = '/inference.GRPCInferenceService/ModelInfer';
