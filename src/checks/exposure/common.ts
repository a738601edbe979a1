// What the exposure checks share: whether the target is reached through a proxy (TLS or a
// credential), its endpoints, and one plaintext question without credentials.
import { clip } from '../../clip.js';
import type { CheckContext } from '../../check-kit/context.js';
import { type Endpoint, plaintext } from '../../protocol/endpoint.js';
import { KServeRestClient } from '../../protocol/rest-client.js';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../../protocol/grpc-client.js';
import { hostPort } from '../../protocol/connect.js';

export const ALL = new Set(['', '0.0.0.0', '::']);
export const LOOPBACK = /^(127\.|::1$|localhost$)/;

export const proxyMode = (ctx: CheckContext): boolean => {
  const e = ctx.run.target.endpoints;
  return [e.rest, e.grpc].some((x) => x !== null && (x.transport.kind === 'tls' || x.credential !== null));
};

export const endpointsOf = (ctx: CheckContext): { protocol: 'REST' | 'gRPC'; e: Endpoint }[] => {
  const e = ctx.run.target.endpoints;
  return [...(e.rest ? [{ protocol: 'REST' as const, e: e.rest }] : []), ...(e.grpc ? [{ protocol: 'gRPC' as const, e: e.grpc }] : [])];
};

/** One plaintext request without credentials: does the address answer it? */
export async function askPlain(protocol: 'REST' | 'gRPC', address: string, timeoutMs = 3000): Promise<{ answered: boolean; answer: string; request: string }> {
  if (protocol === 'REST') {
    const c = new KServeRestClient(`http://${address}`, undefined, timeoutMs);
    try {
      const a = await c.live();
      return { answered: a.status === 200, answer: `HTTP ${a.status}${a.text ? ` "${clip(a.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(), 120)}"` : ''}`, request: 'GET /v2/health/live' };
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      return { answered: false, answer: `no HTTP answer (${cause?.code ?? cause?.message ?? (e as Error).message})`, request: 'GET /v2/health/live' };
    } finally {
      await c.close();
    }
  }
  const c = kserveGrpcClientFor(plaintext(address), { ownConnection: true });
  try {
    const r = await rpc.serverLive(c, timeoutMs);
    return { answered: r.live === true, answer: `gRPC OK live=${r.live}`, request: 'ServerLive' };
  } catch (e) {
    const f = grpcFailure(e);
    return { answered: false, answer: `gRPC ${f.codeName} "${clip(f.details, 120)}"`, request: 'ServerLive' };
  } finally {
    c.close();
  }
}

export const plainAddress = (e: Endpoint): string => { const { host, port } = hostPort(e); return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`; };
