// Recorded observations of the server process the hardening judge tests share: the mount table of a
// real stand-in container under --read-only (captured with the probe agent on Docker 20.10), a
// volume elsewhere, a server process and a write result.
import type { ServerProc } from '../../src/checks/hardening/common.js';
import type { WriteResult } from '../../src/docker/probe-agent.js';

export const ID = 'fb2d6c15820611fbc20bbe4a088355005ed7676a3c238d1e5de6048f96bc0f17';
/** /proc/1/mountinfo of the stand-in started --read-only --tmpfs /tmp -v models:/models:ro (trimmed of /proc and /sys masks). */
export const READ_ONLY = [
  '122 69 0:51 / / ro,relatime master:4 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A:/var/lib/docker/overlay2/l/B',
  '123 122 0:56 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
  '124 122 0:57 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
  '125 124 0:60 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666',
  '126 122 0:61 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro',
  '127 126 0:62 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755',
  `128 127 0:29 /docker/${ID} /sys/fs/cgroup/cpu ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,cpu`,
  '137 124 0:55 / /dev/mqueue rw,nosuid,nodev,noexec,relatime - mqueue mqueue rw',
  '138 124 0:63 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm rw,size=65536k',
  '139 122 254:0 /srv/ovms-validate/fixtures/models /models ro,relatime - ext4 /dev/vda rw,discard',
  '140 122 0:64 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw',
  `141 122 254:0 /var/lib/docker/containers/${ID}/resolv.conf /etc/resolv.conf ro,relatime - ext4 /dev/vda rw,discard`,
  `143 122 254:0 /var/lib/docker/containers/${ID}/hosts /etc/hosts ro,relatime - ext4 /dev/vda rw,discard`,
  '71 123 0:57 /null /proc/keys rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755',
].join('\n');
export const VOLUME = `150 122 254:0 /var/lib/docker/volumes/${'a'.repeat(64)}/_data /var/cache/ovms rw,relatime - ext4 /dev/vda rw`;

export const server = (over: Partial<ServerProc> = {}): ServerProc => ({
  pid: 1, how: 'executable /ovms/bin/ovms, PID 1', name: 'ovms', argv: ['/ovms/bin/ovms', '--port', '9178'],
  uid: [1000, 1000, 1000, 1000], gid: [1000, 1000, 1000, 1000], groups: [], capEff: '0000000000000000', capPrm: '0000000000000000', capBnd: '00000000a80425fb', noNewPrivs: 1, seccomp: 2, ...over,
});
export const w = (dir: string, outcome: WriteResult['outcome']): WriteResult => ({ dir, outcome, message: outcome });
