// exposure.bind-scope: what is published where (inspect, never probing the host's other
// interfaces), and the server's own bind flags.
import { ALL, LOOPBACK } from './common.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { flagValue } from '../../docker/container-spec.js';

export interface Published { containerPort: number; hostIp: string; hostPort: string; role: string }
export interface BindScopeObs { networkMode: string; published: Published[]; grpcBind: string; restBind: string; serverPorts: { grpc: number | null; rest: number | null } }

export function judgeBindScope(o: BindScopeObs): Judgement {
  const host = o.networkMode === 'host';
  const items = [
    `network mode ${o.networkMode || 'default'}`,
    `server binds: gRPC ${o.serverPorts.grpc ?? '-'} on ${o.grpcBind}, REST ${o.serverPorts.rest ?? '-'} on ${o.restBind} (${host ? "the host's own interfaces: --network host" : 'inside the container; only published ports reach it'})`,
    ...o.published.map((p) => `published ${p.containerPort}/tcp (${p.role}) on ${p.hostIp || '0.0.0.0'}:${p.hostPort}${ALL.has(p.hostIp) ? ' = all interfaces of the host' : ''}`),
    "judged from inspect and the server's flags: no traffic is sent to the host's other interfaces",
  ];
  const open = host
    ? [['gRPC', o.grpcBind, o.serverPorts.grpc], ['REST', o.restBind, o.serverPorts.rest]].filter(([, b, port]) => port !== null && String(b).split(',').some((a) => !LOOPBACK.test(a))).map(([r, b, port]) => `${r} ${port} bound to ${b} on the host network`)
    : [...new Set(o.published.filter((p) => p.role !== 'other' && ALL.has(p.hostIp)).map((p) => p.containerPort))].sort((a, b) => b - a)
      .map((port) => {
        const on = o.published.filter((p) => p.containerPort === port && ALL.has(p.hostIp));
        return `${on[0]!.role} port ${port} published on all interfaces (${on.map((p) => `${p.hostIp.includes(':') ? `[${p.hostIp}]` : p.hostIp || '0.0.0.0'}:${p.hostPort}`).join(', ')})`;
      });
  const evidence: Evidence = { items, observed: { networkMode: o.networkMode, published: o.published.map((p) => `${p.containerPort}->${p.hostIp || '0.0.0.0'}:${p.hostPort}`), open }, expected: { open: [], publishedOn: '127.0.0.1 (or a proxy in front)' } };
  if (!host && o.published.length === 0) return pass('no port is published: the server is reachable only from its own network', evidence);
  if (open.length > 0) return violated(`plaintext server ports reachable from every network of the host: ${open.join('; ')}`, evidence);
  return pass(`the server's ports are ${host ? 'bound to loopback' : 'published on specific addresses only'}: ${host ? `${o.grpcBind} / ${o.restBind}` : o.published.map((p) => `${p.hostIp}:${p.hostPort}`).join(', ')}`, evidence);
}

export default defineCheck({
  id: 'exposure.bind-scope',
  title: 'published ports are reachable only where intended',
  clause: 'S2',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'publish on 127.0.0.1 (-p 127.0.0.1:9178:9178) or put a proxy in front',
  impact: 'clients on other hosts reach the server only through the proxy',
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
