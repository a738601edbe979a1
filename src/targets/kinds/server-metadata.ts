// Asks the server who it is (KServe server metadata) over whichever endpoint it has, and judges
// the identity with the image's labels when there is an image.
import { grpcFailure, kserveGrpcClientFor, rpc } from '../../protocol/grpc-client.js';
import { KServeRestClient } from '../../protocol/rest-client.js';
import type { Endpoints } from '../../protocol/endpoint.js';
import { judgeIdentity, type Identity } from '../../ovms/identity.js';

export interface ServerMetadata { name: string | null; version: string | null; source: string }

export async function serverMetadata(e: Endpoints): Promise<ServerMetadata> {
  if (e.rest) {
    const c = KServeRestClient.for(e.rest, 5000);
    try {
      const a = await c.serverMetadata();
      if (a.status === 200 && a.body) return { name: a.body.name ?? null, version: a.body.version ?? null, source: 'REST GET /v2' };
      return { name: null, version: null, source: `REST GET /v2 -> ${a.status}` };
    } catch (err) {
      return { name: null, version: null, source: `REST GET /v2 -> no answer (${(err as Error).message})` };
    } finally {
      await c.close();
    }
  }
  if (e.grpc) {
    const c = kserveGrpcClientFor(e.grpc);
    try {
      const r = await rpc.serverMetadata(c, 5000);
      return { name: r.name, version: r.version, source: 'gRPC ServerMetadata' };
    } catch (err) {
      const f = grpcFailure(err);
      return { name: null, version: null, source: `gRPC ServerMetadata -> ${f.codeName} ${f.details}` };
    } finally {
      c.close();
    }
  }
  return { name: null, version: null, source: 'no endpoint to ask' };
}

export function identityOf(m: ServerMetadata, imageLabels: Record<string, string> | null, imageId: string | null): Identity {
  return judgeIdentity({ reportedName: m.name, reportedVersion: m.version, source: m.source, imageLabels, imageId });
}
