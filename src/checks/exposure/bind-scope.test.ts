// exposure.bind-scope on Docker's port bindings and the server's bind flags under --network host.
import { describe, expect, it } from 'vitest';
import { judgeBindScope } from './bind-scope.js';
import { said, shown } from '../../../test/support/judgement.js';

describe('exposure.bind-scope', () => {
  const base = { networkMode: 'bridge', grpcBind: '0.0.0.0 (default)', restBind: '0.0.0.0 (default)', serverPorts: { grpc: 9178, rest: 8000 }, listeners: null };
  it.each([
    ['loopback only', [{ containerPort: 9178, hostIp: '127.0.0.1', hostPort: '40000', role: 'gRPC' }], 'pass'],
    ['all interfaces (IPv4 and IPv6)', [{ containerPort: 9178, hostIp: '0.0.0.0', hostPort: '9178', role: 'gRPC' }, { containerPort: 9178, hostIp: '::', hostPort: '9178', role: 'gRPC' }], 'violated'],
    ['a specific address', [{ containerPort: 8000, hostIp: '10.0.0.5', hostPort: '8000', role: 'REST' }], 'pass'],
    ['nothing published', [], 'pass'],
  ] as const)('%s', (_n, published, verdict) => {
    expect(judgeBindScope({ ...base, published: [...published] }).verdict).toBe(verdict);
  });
  it("--network host without readable sockets judges the bind flags, comma lists included", () => {
    expect(judgeBindScope({ ...base, networkMode: 'host', published: [] }).verdict).toBe('violated');
    expect(judgeBindScope({ ...base, networkMode: 'host', grpcBind: '127.0.0.1', restBind: '127.0.0.1,::1', published: [] }).verdict).toBe('pass');
    const j = judgeBindScope({ ...base, networkMode: 'host', grpcBind: '127.0.0.1,0.0.0.0', restBind: '127.0.0.1', published: [] });
    expect(j.verdict).toBe('violated');
    expect(said(j)).toContain('gRPC 9178 bound by its flag on 0.0.0.0');
  });
  it('--network host judges the sockets the server listens on over its flags', () => {
    const l = (address: string, port: number, family: 4 | 6 = 4) => ({ address, port, family });
    // Flags say loopback, the sockets say otherwise: the sockets win.
    const open = judgeBindScope({ ...base, networkMode: 'host', grpcBind: '127.0.0.1', restBind: '127.0.0.1', published: [], listeners: [l('127.0.0.1', 8000), l('::', 9178, 6)] });
    expect(open.verdict).toBe('violated');
    expect(said(open)).toContain('gRPC 9178 listening on [::] = every interface of the host');
    expect(judgeBindScope({ ...base, networkMode: 'host', published: [], listeners: [l('127.0.0.1', 9178), l('::1', 8000, 6)] }).verdict).toBe('pass');
    // A port that is not the server's (a metrics sidecar in the process) is shown, not judged.
    const other = judgeBindScope({ ...base, networkMode: 'host', published: [], listeners: [l('127.0.0.1', 9178), l('0.0.0.0', 5555)] });
    expect(other.verdict).toBe('pass');
    expect(shown(other)).toContain('0.0.0.0:5555');
  });
  it('under a bridge network the published address is judged, not the listening one', () => {
    const j = judgeBindScope({ ...base, published: [{ containerPort: 9178, hostIp: '127.0.0.1', hostPort: '9178', role: 'gRPC' }], listeners: [{ address: '0.0.0.0', port: 9178, family: 4 }] });
    expect(j.verdict).toBe('pass');
  });
});
