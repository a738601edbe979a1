// KServe v2 gRPC client: grpc-js with the typed stubs generated from grpc_predict_v2.proto.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/grpc_predict_v2.js';
import type { GRPCInferenceServiceClient } from './generated/inference/GRPCInferenceService.js';

export const PROTO_PATH = fileURLToPath(new URL('grpc_predict_v2.proto', import.meta.url));

let proto: ProtoGrpcType | undefined;

function load(): ProtoGrpcType {
  proto ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, {
    keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true,
  })) as unknown as ProtoGrpcType;
  return proto;
}

export type KServeGrpcClient = GRPCInferenceServiceClient;

export interface GrpcClientOptions {
  /** A connection of its own instead of grpc-js's shared subchannel pool (floods need N connections). */
  ownConnection?: boolean;
  channelOptions?: grpc.ChannelOptions;
}

export function kserveGrpcClient(address: string, opts: GrpcClientOptions = {}): KServeGrpcClient {
  const Client = load().inference.GRPCInferenceService;
  return new Client(address, grpc.credentials.createInsecure(), {
    // Our own limits must never mask the server's: no client-side send cap, large receive cap.
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': -1,
    ...(opts.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
    ...opts.channelOptions,
  });
}

export interface GrpcFailure { code: number; codeName: string; details: string }

export function isGrpcError(e: unknown): e is grpc.ServiceError {
  return typeof e === 'object' && e !== null && 'code' in e && 'details' in e;
}

export function grpcFailure(e: unknown): GrpcFailure {
  if (!isGrpcError(e)) return { code: -1, codeName: 'CLIENT_ERROR', details: (e as Error).message };
  return { code: e.code, codeName: grpc.status[e.code] ?? String(e.code), details: e.details };
}

type Unary<Req, Res> = (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => grpc.ClientUnaryCall;

/** Promise form of a unary call with a deadline. */
export function unary<Req, Res>(client: KServeGrpcClient, method: Unary<Req, Res>, req: Req, timeoutMs = 10_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(err);
      else resolve(res!);
    });
  });
}

export { grpc };
