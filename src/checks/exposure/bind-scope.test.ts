// exposure.bind-scope on Docker's port bindings and the server's bind flags under --network host.
import { describe, expect, it } from 'vitest';
import { judgeBindScope } from './bind-scope.js';

describe('exposure.bind-scope', () => {
  const base = { networkMode: 'bridge', grpcBind: '0.0.0.0 (default)', restBind: '0.0.0.0 (default)', serverPorts: { grpc: 9178, rest: 8000 } };
  it.each([
    ['loopback only', [{ containerPort: 9178, hostIp: '127.0.0.1', hostPort: '40000', role: 'gRPC' }], 'pass'],
    ['all interfaces (IPv4 and IPv6)', [{ containerPort: 9178, hostIp: '0.0.0.0', hostPort: '9178', role: 'gRPC' }, { containerPort: 9178, hostIp: '::', hostPort: '9178', role: 'gRPC' }], 'violated'],
    ['a specific address', [{ containerPort: 8000, hostIp: '10.0.0.5', hostPort: '8000', role: 'REST' }], 'pass'],
    ['nothing published', [], 'pass'],
  ] as const)('%s', (_n, published, verdict) => {
    expect(judgeBindScope({ ...base, published: [...published] }).verdict).toBe(verdict);
  });
  it("--network host judges the server's own bind flags", () => {
    expect(judgeBindScope({ ...base, networkMode: 'host', published: [] }).verdict).toBe('violated');
    expect(judgeBindScope({ ...base, networkMode: 'host', grpcBind: '127.0.0.1', restBind: '127.0.0.1,::1', published: [] }).verdict).toBe('pass');
  });
});
