// Clients for the main target of a run, closed together.
import type { MainTarget } from '../run-context.js';
import { kserveGrpcClient, type KServeGrpcClient } from './grpc-client.js';
import { KServeRestClient } from './rest-client.js';

export interface TargetClients { rest: KServeRestClient; grpc: KServeGrpcClient; close(): Promise<void> }

export function clientsFor(target: Pick<MainTarget, 'restUrl' | 'grpcAddress'>): TargetClients {
  if (!target.restUrl || !target.grpcAddress) throw new Error('the target has no REST URL or gRPC address');
  const rest = new KServeRestClient(target.restUrl);
  const grpc = kserveGrpcClient(target.grpcAddress);
  return { rest, grpc, close: async () => { grpc.close(); await rest.close(); } };
}
