// exposure.bind-scope: what is published where (inspect, never probing the host's other
// interfaces), and what the server itself listens on (its sockets, read from the helper), which
// under --network host is what the host's networks reach.
import { ALL, LOOPBACK } from './common.js';
import { type Evidence, type Judgement, pass, violated } from '../../check-kit/verdict.js';
import { defineCheck } from '../../check-kit/define-check.js';
import { flagValue } from '../../docker/container-spec.js';
import type { Listener } from '../../docker/proc-net.js';

export interface Published { containerPort: number; hostIp: string; hostPort: string; role: string }
export interface BindScopeObs {
  networkMode: string;
  published: Published[];
  grpcBind: string;
  restBind: string;
  serverPorts: { grpc: number | null; rest: number | null };
  /** The server's listening TCP sockets; null when they could not be read (the flags stand in). */
  listeners: Listener[] | null;
}

const hostAddr = (a: string): string => (a.includes(':') ? `[${a}]` : a || '0.0.0.0');

/** Every address the server binds, from the sockets it holds or else from its flags (comma lists split). */
function binds(o: BindScopeObs): { role: string; port: number; address: string; from: 'socket' | 'flag' }[] {
  const role = (port: number): string => (port === o.serverPorts.grpc ? 'gRPC' : port === o.serverPorts.rest ? 'REST' : 'other');
  if (o.listeners) return o.listeners.map((l) => ({ role: role(l.port), port: l.port, address: l.address, from: 'socket' as const }));
  return ([['gRPC', o.grpcBind, o.serverPorts.grpc], ['REST', o.restBind, o.serverPorts.rest]] as const)
    .filter(([, , port]) => port !== null)
    .flatMap(([r, b, port]) => b.replace(/ \(default\)$/, '').split(',').map((a) => a.trim()).filter(Boolean).map((address) => ({ role: r, port: port!, address, from: 'flag' as const })));
}

export function judgeBindScope(o: BindScopeObs): Judgement {
  const host = o.networkMode === 'host';
  const bound = binds(o);
  const items = [
    `network mode ${o.networkMode || 'default'}`,
    `server flags: gRPC ${o.serverPorts.grpc ?? '-'} on ${o.grpcBind}, REST ${o.serverPorts.rest ?? '-'} on ${o.restBind}`,
    o.listeners
      ? `server listens on (its own sockets): ${o.listeners.map((l) => `${hostAddr(l.address)}:${l.port}`).join(', ') || 'nothing'} (${host ? "the host's own interfaces: --network host" : 'inside the container; only published ports reach it'})`
      : "the server's sockets could not be read: its bind flags stand in for them",
    ...o.published.map((p) => `published ${p.containerPort}/tcp (${p.role}) on ${p.hostIp || '0.0.0.0'}:${p.hostPort}${ALL.has(p.hostIp) ? ' = all interfaces of the host' : ''}`),
    "judged from inspect and the server's sockets: no traffic is sent to the host's other interfaces",
  ];
  const open = host
    ? bound.filter((b) => b.role !== 'other' && !LOOPBACK.test(b.address)).map((b) => `${b.role} ${b.port} ${b.from === 'socket' ? 'listening' : 'bound by its flag'} on ${hostAddr(b.address)}${ALL.has(b.address) ? " = every interface of the host (--network host)" : ' on the host network'}`)
    : [...new Set(o.published.filter((p) => p.role !== 'other' && ALL.has(p.hostIp)).map((p) => p.containerPort))].sort((a, b) => b - a)
      .map((port) => {
        const on = o.published.filter((p) => p.containerPort === port && ALL.has(p.hostIp));
        return `${on[0]!.role} port ${port} published on all interfaces (${on.map((p) => `${hostAddr(p.hostIp)}:${p.hostPort}`).join(', ')})`;
      });
  const evidence: Evidence = {
    items,
    observed: { networkMode: o.networkMode, published: o.published.map((p) => `${p.containerPort}->${p.hostIp || '0.0.0.0'}:${p.hostPort}`), listening: o.listeners?.map((l) => `${hostAddr(l.address)}:${l.port}`) ?? null, open },
    expected: { open: [], publishedOn: '127.0.0.1 (or a proxy in front)' },
  };
  if (!host && o.published.length === 0) return pass('no port is published: the server is reachable only from its own network', evidence);
  if (open.length > 0) return violated(`plaintext server ports reachable from every network of the host: ${open.join('; ')}`, evidence);
  return pass(host
    ? `the server listens on loopback only: ${bound.map((b) => `${hostAddr(b.address)}:${b.port}`).join(', ')}`
    : `the server's ports are published on specific addresses only: ${o.published.map((p) => `${p.hostIp}:${p.hostPort}`).join(', ')}`, evidence);
}

export default defineCheck({
  id: 'exposure.bind-scope',
  title: 'published ports are reachable only where intended',
  clause: 'S2',
  requirement: 'recommended',
  profile: 'quick',
  remediation: 'publish on 127.0.0.1 (-p 127.0.0.1:9178:9178) or put a proxy in front; under --network host, bind to 127.0.0.1 (--grpc_bind_address, --rest_bind_address)',
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
    const reply = await ctx.target.container().survey().catch(() => null);
    const listeners = reply?.server ? reply.listeners : null;
    return { networkMode: info.HostConfig.NetworkMode ?? '', published, grpcBind: flagValue(args, '--grpc_bind_address') ?? '0.0.0.0 (default)', restBind: flagValue(args, '--rest_bind_address') ?? '0.0.0.0 (default)', serverPorts: { grpc, rest }, listeners };
  },
  judge: judgeBindScope,
});
