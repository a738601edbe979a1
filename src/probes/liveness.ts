// Is the server still alive? REST /v2/health/live and gRPC ServerLive, each answered or not.
import { grpcFailure, rpc, type KServeGrpcClient } from '../protocol/grpc-client.js';
import type { KServeRestClient } from '../protocol/rest-client.js';

export interface Liveness { live: boolean; items: string[] }

export async function checkLiveness(rest: KServeRestClient, grpc: KServeGrpcClient): Promise<Liveness> {
  const items: string[] = [];
  let live = true;
  try {
    const a = await rest.live();
    items.push(`REST GET /v2/health/live -> ${a.status}`);
    live &&= a.status === 200;
  } catch (e) {
    items.push(`REST GET /v2/health/live -> no answer (${(e as { code?: string }).code ?? (e as Error).message})`);
    live = false;
  }
  try {
    const r = await rpc.serverLive(grpc, 5000);
    items.push(`gRPC ServerLive -> OK live=${r.live}`);
    live &&= r.live === true;
  } catch (e) {
    const f = grpcFailure(e);
    items.push(`gRPC ServerLive -> ${f.codeName} ${f.details}`);
    live = false;
  }
  return { live, items };
}
