// KServe v2 gRPC client: grpc-js with the typed stubs generated from grpc_predict_v2.proto.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/grpc_predict_v2.js';
import type { GRPCInferenceServiceClient } from './generated/inference/GRPCInferenceService.js';
import type { ModelInferRequest } from './generated/inference/ModelInferRequest.js';
import type { ModelInferResponse__Output } from './generated/inference/ModelInferResponse.js';
import type { ModelMetadataRequest } from './generated/inference/ModelMetadataRequest.js';
import type { ModelMetadataResponse__Output } from './generated/inference/ModelMetadataResponse.js';
import type { ModelReadyRequest } from './generated/inference/ModelReadyRequest.js';
import type { ModelReadyResponse__Output } from './generated/inference/ModelReadyResponse.js';
import type { ServerLiveRequest } from './generated/inference/ServerLiveRequest.js';
import type { ServerLiveResponse__Output } from './generated/inference/ServerLiveResponse.js';
import type { ServerMetadataRequest } from './generated/inference/ServerMetadataRequest.js';
import type { ServerMetadataResponse__Output } from './generated/inference/ServerMetadataResponse.js';
import type { ServerReadyRequest } from './generated/inference/ServerReadyRequest.js';
import type { ServerReadyResponse__Output } from './generated/inference/ServerReadyResponse.js';

export const PROTO_PATH = fileURLToPath(new URL('grpc_predict_v2.proto', import.meta.url));

let proto: ProtoGrpcType | undefined;

function load(): ProtoGrpcType {
  proto ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, {
    keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true,
  })) as unknown as ProtoGrpcType;
  return proto;
}

import type { Endpoint } from './endpoint.js';
import { authorization, nameJudgedElsewhere } from './connect.js';

export type KServeGrpcClient = GRPCInferenceServiceClient;

export interface GrpcClientOptions {
  /** A connection of its own instead of grpc-js's shared subchannel pool (floods need N connections). */
  ownConnection?: boolean;
  channelOptions?: grpc.ChannelOptions;
}

export function kserveGrpcClient(address: string, opts: GrpcClientOptions = {}): KServeGrpcClient {
  return kserveGrpcClientFor({ address, transport: { kind: 'plaintext' }, credential: null }, opts);
}

/** A client for an endpoint as described: TLS with its CA, client certificate and server name; its credential on every call. */
export function kserveGrpcClientFor(e: Endpoint, opts: GrpcClientOptions = {}): KServeGrpcClient {
  const Client = load().inference.GRPCInferenceService;
  let creds = grpc.credentials.createInsecure();
  const tls: grpc.ChannelOptions = {};
  if (e.transport.kind === 'tls') {
    const t = e.transport;
    creds = grpc.credentials.createSsl(
      t.caFile ? readFileSync(t.caFile) : null,
      t.clientCert ? readFileSync(t.clientCert.keyFile) : null,
      t.clientCert ? readFileSync(t.clientCert.certFile) : null,
      { checkServerIdentity: nameJudgedElsewhere },
    );
    if (t.servername) tls['grpc.ssl_target_name_override'] = t.servername;
  }
  const credential = e.credential;
  // Call credentials are refused on plaintext channels by grpc-js, so the header is added per call.
  const interceptors: grpc.Interceptor[] = credential ? [(options, next) => new grpc.InterceptingCall(next(options), {
    start(metadata, listener, nextStart) { metadata.set('authorization', authorization(credential)); nextStart(metadata, listener); },
  })] : [];
  return new Client(e.address, creds, {
    // Our own limits must never mask the server's: no client-side send cap, large receive cap.
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': -1,
    ...(opts.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
    ...tls,
    ...(interceptors.length ? { interceptors } : {}),
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

// grpc-js stubs are overloaded; the (request, metadata, options, callback) form is the one used here.
type Unary<Req, Res> = (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => grpc.ClientUnaryCall;

/** Promise form of a unary call with a deadline. */
function unary<Req, Res>(client: KServeGrpcClient, method: unknown, req: Req, timeoutMs = 10_000): Promise<Res> {
  const fn = method as Unary<Req, Res>;
  return new Promise((resolve, reject) => {
    fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(err);
      else resolve(res!);
    });
  });
}

/** Typed promise forms of the KServe RPCs. */
export const rpc = {
  serverLive: (c: KServeGrpcClient, timeoutMs?: number) => unary<ServerLiveRequest, ServerLiveResponse__Output>(c, c.ServerLive, {}, timeoutMs),
  serverReady: (c: KServeGrpcClient, timeoutMs?: number) => unary<ServerReadyRequest, ServerReadyResponse__Output>(c, c.ServerReady, {}, timeoutMs),
  serverMetadata: (c: KServeGrpcClient, timeoutMs?: number) => unary<ServerMetadataRequest, ServerMetadataResponse__Output>(c, c.ServerMetadata, {}, timeoutMs),
  modelReady: (c: KServeGrpcClient, req: ModelReadyRequest, timeoutMs?: number) => unary<ModelReadyRequest, ModelReadyResponse__Output>(c, c.ModelReady, req, timeoutMs),
  modelMetadata: (c: KServeGrpcClient, req: ModelMetadataRequest, timeoutMs?: number) => unary<ModelMetadataRequest, ModelMetadataResponse__Output>(c, c.ModelMetadata, req, timeoutMs),
  modelInfer: (c: KServeGrpcClient, req: ModelInferRequest, timeoutMs?: number) => unary<ModelInferRequest, ModelInferResponse__Output>(c, c.ModelInfer, req, timeoutMs),
};

export { grpc };
