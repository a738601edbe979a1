// hardening.runtime-socket: the Docker socket mounted read-write or read-only with the socket's group
// added, another host socket, one the server's user cannot reach, and none.
import { describe, expect, it } from 'vitest';
import type { SocketFile } from '../../docker/probe-agent.js';
import { server } from '../../../test/support/hardening-fixtures.js';
import { canConnect, judgeRuntimeSocket } from './runtime-socket.js';

const docker = (over: Partial<SocketFile> = {}): SocketFile => ({
  path: '/var/run/docker.sock', mountPoint: '/var/run/docker.sock', mountRoot: '/run/docker.sock', fstype: 'tmpfs', readOnlyMount: false,
  mode: 0o660, uid: 0, gid: 998, runtime: 'Docker', ...over,
});
const onHost = (s: SocketFile): SocketFile => ({ ...s, fstype: 'ext4' });
const judge = (sockets: SocketFile[], groups: number[] = []) => judgeRuntimeSocket({ server: server({ groups }), sockets, mountsLookedAt: 3 });

describe('hardening.runtime-socket', () => {
  it('fails the Docker socket mounted read-only when the server is in its group: a read-only mount does not stop connect()', () => {
    const j = judge([onHost(docker({ readOnlyMount: true }))], [998]);
    expect(j.verdict).toBe('violated');
    expect(j.verdict === 'violated' && j.summary).toBe("the Docker API socket /var/run/docker.sock is reachable by the server's user 1000:1000 (groups 998): whoever controls the server controls the container runtime, root on the host");
    expect(j.verdict === 'violated' && j.evidence.items.join('\n')).toContain('read-only mount): mode 660 owner 0:998; REACHABLE by 1000:1000 (groups 998) through its group 998');
  });

  it('fails a socket anyone may write, and any host socket the server can reach', () => {
    expect(judge([onHost(docker({ mode: 0o666 }))]).verdict).toBe('violated');
    const other = judge([onHost(docker({ path: '/run/agent.sock', runtime: null, mode: 0o777 }))]);
    expect(other.verdict === 'violated' && other.summary).toBe("the host socket /run/agent.sock is reachable by the server's user 1000:1000");
  });

  it('warns on a runtime socket mounted in that the server cannot reach, passes with none', () => {
    expect(judge([onHost(docker())]).verdict).toBe('warn');
    expect(judge([]).verdict).toBe('pass');
    // A socket the container made on its own tmpfs is not the host's.
    expect(judge([docker({ mode: 0o777, runtime: null, path: '/tmp/x.sock' })]).verdict).toBe('pass');
  });

  it('reads write permission for owner, group, others and root', () => {
    expect(canConnect({ mode: 0o600, uid: 5000, gid: 0 }, { uid: 5000, gid: 5000, groups: [] }).ok).toBe(true);
    expect(canConnect({ mode: 0o640, uid: 0, gid: 5000 }, { uid: 5000, gid: 5000, groups: [] }).ok).toBe(false);
    expect(canConnect({ mode: 0o600, uid: 1, gid: 1 }, { uid: 0, gid: 0, groups: [] }).ok).toBe(true);
  });
});
