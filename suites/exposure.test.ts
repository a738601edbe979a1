// S2: OVMS has no access control and no encryption of its own; it must be isolated or put behind a
// TLS proxy with authorization. What is published where (from inspect, never by probing the host's
// other interfaces), what answers in plaintext, the CORS answer, and in proxy mode the proxy's TLS,
// authentication and that the server's own ports are not reachable around it.
import { readFileSync } from 'node:fs';
import { describe } from 'vitest';
import { defineCheck, type CheckContext } from '../src/checks/define-check.js';
import { judgeBindScope, judgeCors, judgePlaintext, judgeProxyAuth, judgeProxyBypass, judgeProxyTls, type BypassAttempt, type PlaintextAnswer, type ProxyTlsEndpoint, type Published } from '../src/judge/exposure.js';
import { attempt, variantOf, wrongMaterial, type Attempt, type Variant } from '../src/probes/auth-attempts.js';
import { handshake } from '../src/probes/tls-probe.js';
import { hostPort } from '../src/protocol/connect.js';
import { grpcFailure, kserveGrpcClientFor, rpc } from '../src/protocol/grpc-client.js';
import { KServeRestClient } from '../src/protocol/rest-client.js';
import { flagValue } from '../src/docker/container-spec.js';
import { plaintext, type Endpoint } from '../src/protocol/endpoint.js';

const proxyMode = (ctx: CheckContext): boolean => {
  const e = ctx.run.target.endpoints;
  return [e.rest, e.grpc].some((x) => x !== null && (x.transport.kind === 'tls' || x.credential !== null));
};

const endpointsOf = (ctx: CheckContext): { protocol: 'REST' | 'gRPC'; e: Endpoint }[] => {
  const e = ctx.run.target.endpoints;
  return [...(e.rest ? [{ protocol: 'REST' as const, e: e.rest }] : []), ...(e.grpc ? [{ protocol: 'gRPC' as const, e: e.grpc }] : [])];
};

/** One plaintext request without credentials: does the address answer it? */
async function askPlain(protocol: 'REST' | 'gRPC', address: string, timeoutMs = 3000): Promise<{ answered: boolean; answer: string; request: string }> {
  if (protocol === 'REST') {
    const c = new KServeRestClient(`http://${address}`, undefined, timeoutMs);
    try {
      const a = await c.live();
      return { answered: a.status === 200, answer: `HTTP ${a.status}${a.text ? ` "${a.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80)}"` : ''}`, request: 'GET /v2/health/live' };
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
    return { answered: false, answer: `gRPC ${f.codeName} "${f.details.slice(0, 100)}"`, request: 'ServerLive' };
  } finally {
    c.close();
  }
}

const plainAddress = (e: Endpoint): string => { const { host, port } = hostPort(e); return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`; };

describe('exposure', () => {
  defineCheck('exposure.bind-scope', {
    needs: ['container', 'command'],
    async observe(ctx) {
      const info = await ctx.target.container().inspect();
      const args = ctx.run.target.command!.serverArgs;
      const num = (f: string): number | null => { const v = Number(flagValue(args, f) ?? 0); return v > 0 ? v : null; };
      const grpc = num('--port');
      const rest = num('--rest_port');
      const ports = (info.NetworkSettings.Ports ?? {}) as Record<string, { HostIp: string; HostPort: string }[] | null>;
      const published: Published[] = Object.entries(ports).flatMap(([key, bindings]) => (bindings ?? []).map((b) => {
        const containerPort = Number(key.split('/')[0]);
        return { containerPort, hostIp: b.HostIp, hostPort: b.HostPort, role: containerPort === grpc ? 'gRPC' : containerPort === rest ? 'REST' : 'other' };
      }));
      return { networkMode: info.HostConfig.NetworkMode ?? '', published, grpcBind: flagValue(args, '--grpc_bind_address') ?? '0.0.0.0 (default)', restBind: flagValue(args, '--rest_bind_address') ?? '0.0.0.0 (default)', serverPorts: { grpc, rest } };
    },
    judge: judgeBindScope,
  });

  defineCheck('exposure.plaintext', {
    live: true,
    async observe(ctx) {
      const answers: PlaintextAnswer[] = [];
      for (const { protocol, e } of endpointsOf(ctx)) {
        const address = plainAddress(e);
        answers.push({ protocol, address, ...(await askPlain(protocol, address)) });
      }
      return answers;
    },
    judge: judgePlaintext,
  });

  defineCheck('exposure.cors', {
    needs: ['rest'],
    async observe(ctx) {
      const origin = 'https://ovms-validate.invalid';
      const rest = ctx.target.rest();
      const path = `/v2/models/${encodeURIComponent(ctx.run.options.modelName)}/infer`;
      const answer = async (method: 'OPTIONS' | 'GET', p: string, headers: Record<string, string>, request: string) => {
        try {
          const a = await rest.send(method, p, undefined, { origin, ...headers });
          const h = (k: string): string | null => { const v = a.headers[k]; return v === undefined ? null : String(v); };
          return { request, status: a.status, allowOrigin: h('access-control-allow-origin'), allowCredentials: h('access-control-allow-credentials'), allowMethods: h('access-control-allow-methods') };
        } catch {
          return { request, status: null, allowOrigin: null, allowCredentials: null, allowMethods: null };
        }
      };
      const configured = ctx.run.target.command ? (flagValue(ctx.run.target.command.serverArgs, '--allowed_origins') ?? null) : null;
      return {
        origin, configured,
        answers: [
          await answer('OPTIONS', path, { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }, `preflight OPTIONS ${path}`),
          await answer('GET', '/v2/health/live', {}, 'simple GET /v2/health/live'),
        ],
      };
    },
    judge: judgeCors,
  });

  defineCheck('exposure.proxy-tls', {
    live: true,
    async observe(ctx) {
      const out: ProxyTlsEndpoint[] = [];
      for (const { protocol, e } of endpointsOf(ctx)) {
        if (e.transport.kind !== 'tls') continue;
        const { host, port } = hostPort(e);
        const base = { host, port, ...(e.transport.servername ? { servername: e.transport.servername } : {}) };
        const ca = e.transport.caFile ? readFileSync(e.transport.caFile) : undefined;
        const old = [await handshake({ ...base, min: 'TLSv1', max: 'TLSv1' }), await handshake({ ...base, min: 'TLSv1.1', max: 'TLSv1.1' })];
        const modern = await handshake({ ...base, min: 'TLSv1.2', max: 'TLSv1.3', ...(ca ? { ca } : {}), ...(protocol === 'gRPC' ? { alpn: ['h2'] } : {}) });
        out.push({ protocol, address: e.address, old, modern });
      }
      return out;
    },
    judge: judgeProxyTls,
  });

  defineCheck('exposure.proxy-auth', {
    live: true,
    async observe(ctx) {
      const attempts: Attempt[] = [];
      if (!proxyMode(ctx)) return { proxyMode: false, attempts };
      const wrong = await wrongMaterial(ctx.run.stateDir);
      for (const { protocol, e } of endpointsOf(ctx)) {
        for (const v of ['none', 'wrong', 'valid'] as Variant[]) {
          const reach = variantOf(e, v, wrong);
          if (reach) attempts.push(await attempt(protocol, reach.endpoint, v, reach.how));
        }
      }
      return { proxyMode: true, attempts };
    },
    judge: (o) => judgeProxyAuth(o.proxyMode, o.attempts),
  });

  defineCheck('exposure.proxy-bypass', {
    live: true,
    async observe(ctx) {
      const o = ctx.run.options;
      const given = [
        ...(o.serverRestUrl ? [{ protocol: 'REST' as const, address: new URL(o.serverRestUrl).host }] : []),
        ...(o.serverGrpcAddress ? [{ protocol: 'gRPC' as const, address: o.serverGrpcAddress }] : []),
      ];
      const attempts: BypassAttempt[] = [];
      if (proxyMode(ctx)) {
        for (const g of given) {
          const a = await askPlain(g.protocol, g.address);
          // Any answer means the port is reachable; only a failed connection means it is not.
          const reachable = a.answered || /^HTTP \d/.test(a.answer) || (a.answer.startsWith('gRPC') && !/UNAVAILABLE|DEADLINE_EXCEEDED/.test(a.answer));
          attempts.push({ protocol: g.protocol, address: g.address, reachable, answer: a.answer });
        }
      }
      return { proxyMode: proxyMode(ctx), attempts };
    },
    judge: (o) => judgeProxyBypass(o.proxyMode, o.attempts),
  });
});
