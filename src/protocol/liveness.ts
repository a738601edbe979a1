// Is the server still alive? REST /v2/health/live and gRPC ServerLive, on whichever the target has.
import { grpcFailure, rpc } from './grpc-client.js';
import type { KServeGrpcClient } from './grpc-client.js';
import type { KServeRestClient } from './rest-client.js';

export interface Liveness { live: boolean; items: string[] }

/** The clients of a server's endpoints; null where the deployment has none. */
export interface LiveClients { rest: KServeRestClient | null; grpc: KServeGrpcClient | null }

export async function checkLiveness(c: LiveClients): Promise<Liveness> {
  const items: string[] = [];
  let live = true;
  if (c.rest) {
    try {
      const a = await c.rest.live();
      items.push(`REST GET /v2/health/live -> ${a.status}`);
      live &&= a.status === 200;
    } catch (e) {
      items.push(`REST GET /v2/health/live -> no answer (${(e as { code?: string }).code ?? (e as Error).message})`);
      live = false;
    }
  }
  if (c.grpc) {
    try {
      const r = await rpc.serverLive(c.grpc, 5000);
      items.push(`gRPC ServerLive -> OK live=${r.live}`);
      live &&= r.live === true;
    } catch (e) {
      const f = grpcFailure(e);
      items.push(`gRPC ServerLive -> ${f.codeName} ${f.details}`);
      live = false;
    }
  }
  return { live, items };
}
