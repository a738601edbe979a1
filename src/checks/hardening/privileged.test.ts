// hardening.privileged on recorded inspect fields and /proc status values of the flags owners use:
// --privileged, --cap-add, devices, unconfined profiles, host namespaces, a wide bounding set.
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/support/hardening-fixtures.js';
import { judgePrivileged, type PrivilegedObs } from './privileged.js';

const ALL_CAPS = '000001ffffffffff';
const obs = (over: Partial<PrivilegedObs> = {}): PrivilegedObs => ({
  server: server(), privileged: false, capAdd: [], capDrop: ['ALL'], devices: [], securityOpt: ['no-new-privileges'], pidMode: '', ipcMode: '', utsMode: '', ...over,
});
const summary = (o: PrivilegedObs): string => { const j = judgePrivileged(o); return j.verdict === 'violated' || j.verdict === 'pass' ? j.summary : ''; };

describe('hardening.privileged', () => {
  it("passes a container with Docker's default privileges or fewer", () => {
    expect(judgePrivileged(obs()).verdict).toBe('pass');
    expect(judgePrivileged(obs({ capDrop: [], capAdd: ['CHOWN'] })).verdict).toBe('pass');
  });

  it.each([
    ['--privileged', obs({ privileged: true, server: server({ capBnd: ALL_CAPS, seccomp: 0 }) }), '--privileged'],
    ['--cap-add SYS_ADMIN', obs({ capAdd: ['SYS_ADMIN'], server: server({ capBnd: '00000000a82425fb' }) }), '--cap-add SYS_ADMIN'],
    ['--cap-add ALL', obs({ capAdd: ['ALL'] }), '--cap-add ALL'],
    ['--device', obs({ devices: [{ host: '/dev/fuse', container: '/dev/fuse' }] }), '--device /dev/fuse'],
    ['seccomp=unconfined', obs({ securityOpt: ['seccomp=unconfined'], server: server({ seccomp: 0 }) }), '--security-opt seccomp=unconfined'],
    ['apparmor=unconfined', obs({ securityOpt: ['apparmor=unconfined'] }), '--security-opt apparmor=unconfined'],
    ['--pid host', obs({ pidMode: 'host' }), '--pid host'],
    ['--ipc host and --uts host', obs({ ipcMode: 'host', utsMode: 'host' }), '--ipc host, --uts host'],
  ])('fails %s, naming the flag as the owner set it', (_what, o, flag) => {
    expect(judgePrivileged(o).verdict).toBe('violated');
    expect(summary(o)).toContain(flag);
  });

  it('names what the bounding set holds beyond the default, and a server without seccomp that no flag explains', () => {
    const j = judgePrivileged(obs({ server: server({ capBnd: '00000000a82425fb', seccomp: 0 }) }));
    expect(j.verdict).toBe('violated');
    expect(j.verdict === 'violated' && j.evidence.items.join('\n')).toContain("bounding set holds SYS_ADMIN beyond Docker's default");
    expect(j.verdict === 'violated' && j.evidence.items.join('\n')).toContain('without seccomp (Seccomp: 0) though no flag asked for it');
  });
});
