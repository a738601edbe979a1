// The S1 judgements on recorded observations: the mount table of a real stand-in container under
// --read-only (captured with the probe agent on Docker 20.10), and variants of it that real images
// and deployments produce (volumes elsewhere, a rw root, names mapped to UID 0, ...).
import { describe, expect, it } from 'vitest';
import {
  judgeDefaultUid, judgeImageUser, judgeModelsReadOnly, judgeNoCapabilities, judgeNoNewPrivileges, judgeOverrideUid,
  judgeReadOnlyRootfs, judgeStartsReadOnly, judgeTmpWritable, modeAllowsWrite, type ServerProc,
} from '../../src/judge/hardening.js';
import { allowedWritable, parseMountinfo } from '../../src/judge/mounts.js';
import { resolveUser } from '../../src/docker/user-spec.js';
import { writeErrorLines } from '../../src/probes/log-scan.js';
import type { WriteResult } from '../../src/docker/probe-agent.js';

const ID = 'fb2d6c15820611fbc20bbe4a088355005ed7676a3c238d1e5de6048f96bc0f17';
/** /proc/1/mountinfo of the stand-in started --read-only --tmpfs /tmp -v models:/models:ro (trimmed of /proc and /sys masks). */
const READ_ONLY = [
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
const VOLUME = `150 122 254:0 /var/lib/docker/volumes/${'a'.repeat(64)}/_data /var/cache/ovms rw,relatime - ext4 /dev/vda rw`;

const server = (over: Partial<ServerProc> = {}): ServerProc => ({
  pid: 1, how: 'executable /ovms/bin/ovms, PID 1', name: 'ovms', argv: ['/ovms/bin/ovms', '--port', '9178'],
  uid: [1000, 1000, 1000, 1000], gid: [1000, 1000, 1000, 1000], groups: [], capEff: '0000000000000000', capBnd: '00000000a80425fb', noNewPrivs: 1, ...over,
});
const w = (dir: string, outcome: WriteResult['outcome']): WriteResult => ({ dir, outcome, message: outcome });
const rofs = (extra: Partial<Parameters<typeof judgeReadOnlyRootfs>[0]> = {}) => judgeReadOnlyRootfs({
  readonlyRootfsFlag: true, modelPath: '/models/resnet', server: server(), mounts: parseMountinfo(READ_ONLY), inspectMounts: [],
  writes: [w('/', 'EROFS'), w('/etc', 'EROFS'), w('/ovms', 'EROFS')], writesAs: '1000:1000', writesSkipped: null, ...extra,
});

describe('mountinfo', () => {
  it('reads per-mount ro/rw, the mounted root and the filesystem type', () => {
    const m = parseMountinfo(READ_ONLY);
    expect(m.find((x) => x.mountPoint === '/')).toMatchObject({ readOnly: true, fstype: 'overlay' });
    expect(m.find((x) => x.mountPoint === '/models')).toMatchObject({ readOnly: true, root: '/srv/ovms-validate/fixtures/models' });
    expect(m.find((x) => x.mountPoint === '/tmp')).toMatchObject({ readOnly: false, fstype: 'tmpfs' });
  });

  it('allows only /tmp tmpfs, /dev/shm and kernel mounts to be writable', () => {
    const rw = parseMountinfo(READ_ONLY).filter((m) => !m.readOnly);
    expect(rw.map((m) => [m.mountPoint, allowedWritable(m) !== null])).toEqual([
      ['/proc', true], ['/dev', true], ['/dev/pts', true], ['/sys/fs/cgroup', true], ['/dev/mqueue', true], ['/dev/shm', true], ['/tmp', true], ['/proc/keys', true],
    ]);
    expect(allowedWritable(parseMountinfo(VOLUME)[0]!)).toBeNull();
  });
});

describe('hardening.read-only-rootfs', () => {
  it('passes a read-only root with EROFS writes', () => {
    expect(rofs().verdict).toBe('pass');
  });

  it('fails a volume elsewhere on the root filesystem, naming the mount and an anonymous volume', () => {
    const j = rofs({
      mounts: parseMountinfo(`${READ_ONLY}\n${VOLUME}`),
      inspectMounts: [{ type: 'volume', name: 'a'.repeat(64), source: '/var/lib/docker/volumes/x/_data', destination: '/var/cache/ovms', rw: true }],
    });
    expect(j.verdict).toBe('violated');
    expect(j.verdict === 'violated' && j.summary).toContain('/var/cache/ovms is writable (anonymous volume aaaaaaaaaaaa)');
  });

  it('names a named volume and a bind', () => {
    const named = rofs({ mounts: parseMountinfo(`${READ_ONLY}\n${VOLUME}`), inspectMounts: [{ type: 'volume', name: 'cache', source: 's', destination: '/var/cache/ovms', rw: true }] });
    expect(named.verdict === 'violated' && named.summary).toContain('named volume cache');
    const bind = rofs({ mounts: parseMountinfo(`${READ_ONLY}\n150 122 254:0 /srv/x /data rw,relatime - ext4 /dev/vda rw`), inspectMounts: [{ type: 'bind', name: null, source: '/srv/x', destination: '/data', rw: true }] });
    expect(bind.verdict === 'violated' && bind.summary).toContain('/data is writable (bind mount of /srv/x)');
  });

  it('fails a rw root even when every write was refused for permissions (EACCES proves nothing)', () => {
    const j = rofs({ readonlyRootfsFlag: false, mounts: parseMountinfo(READ_ONLY.replace('/ / ro,relatime', '/ / rw,relatime')), writes: [w('/', 'EACCES'), w('/etc', 'EACCES')] });
    expect(j.verdict).toBe('violated');
    expect(j.verdict === 'violated' && j.summary).toContain('ReadonlyRootfs is false');
    expect(j.verdict === 'violated' && j.evidence.items.join('\n')).toContain('EACCES: permission denied (file permissions, not a read-only mount)');
  });

  it('does not read ENOENT or a failed probe as writable', () => {
    const j = rofs({ writes: [w('/', 'EROFS'), w('/home/ovms', 'ENOENT'), w('/ovms', 'other')] });
    expect(j.verdict).toBe('pass');
    expect(j.verdict === 'pass' && j.evidence.items.join('\n')).toContain('ENOENT: the folder does not exist');
  });

  it('fails a write that succeeded', () => {
    expect(rofs({ writes: [w('/', 'EROFS'), w('/var/cache/ovms', 'written')] }).verdict).toBe('violated');
  });

  it('leaves a writable model repository to hardening.models-read-only (one cause, one failure)', () => {
    const j = rofs({ mounts: parseMountinfo(READ_ONLY.replace('/models ro,relatime', '/models rw,relatime')) });
    expect(j.verdict).toBe('pass');
    expect(j.verdict === 'pass' && j.evidence.items.join('\n')).toContain('judged by hardening.models-read-only');
  });

  it('judges from the mount table alone for an attached container (no writes)', () => {
    const j = rofs({ writes: null, writesSkipped: 'the harness never writes into a container it did not start' });
    expect(j.verdict).toBe('pass');
    expect(j.verdict === 'pass' && j.summary).toContain('no write attempts');
  });
});

describe('hardening.tmp-writable', () => {
  const base = { mounts: parseMountinfo(READ_ONLY), stat: { path: '/tmp', mode: 0o1777, uid: 0, gid: 0, type: 'dir' as const }, writesAs: '1000:1000', as: { uid: 1000, gid: 1000, groups: [] }, writesSkipped: null };
  it.each([
    ['a written file', { write: w('/tmp', 'written') }, 'pass'],
    ['EACCES (an image /tmp of 0755 copied up into the tmpfs)', { write: w('/tmp', 'EACCES'), stat: { path: '/tmp', mode: 0o755, uid: 0, gid: 0, type: 'dir' as const } }, 'violated'],
    ['no tmpfs at /tmp', { write: w('/tmp', 'EROFS'), mounts: parseMountinfo(READ_ONLY.split('\n').filter((l) => !l.includes(' /tmp ')).join('\n')) }, 'violated'],
    ['attached: mode 1777, no write', { write: null, writesSkipped: 'attached' }, 'pass'],
    ['attached: mode 0755 owned by root', { write: null, writesSkipped: 'attached', stat: { path: '/tmp', mode: 0o755, uid: 0, gid: 0, type: 'dir' as const } }, 'violated'],
  ])('%s', (_name, over, verdict) => {
    expect(judgeTmpWritable({ ...base, ...over }).verdict).toBe(verdict);
  });

  it('reads the mode bits for owner, group and others', () => {
    expect(modeAllowsWrite({ mode: 0o755, uid: 1000, gid: 0 }, { uid: 1000, gid: 1000, groups: [] })).toBe(true);
    expect(modeAllowsWrite({ mode: 0o775, uid: 0, gid: 44 }, { uid: 1000, gid: 1000, groups: [44] })).toBe(true);
    expect(modeAllowsWrite({ mode: 0o755, uid: 0, gid: 0 }, { uid: 1000, gid: 1000, groups: [] })).toBe(false);
  });
});

describe('hardening.image-user through the image\'s own passwd', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\novms:x:5000:5000::/home/ovms:/bin/sh\n';
  const judge = (user: string, pw: string | null = passwd) => judgeImageUser({ image: 'img', imageId: 'sha256:abc', user, passwd: pw === null ? 'absent' : 'read', resolved: resolveUser(user, pw, null) });
  it.each([
    ['ovms', 'pass'], ['5000', 'pass'], ['5000:5000', 'pass'],
    ['toor', 'violated'], ['00', 'violated'], ['0', 'violated'], ['root', 'violated'], ['', 'violated'], ['+0', 'violated'],
    ['nobody', 'violated'],
  ])('USER %j -> %s', (user, verdict) => {
    expect(judge(user).verdict).toBe(verdict);
  });

  it('says why a name is root', () => {
    const j = judge('toor');
    expect(j.verdict === 'violated' && j.summary).toBe('the image\'s user "toor" is UID 0: root');
    expect(j.verdict === 'violated' && j.evidence.items.join('\n')).toContain('passwd entry toor:x:0:0');
  });

  it('a numeric user needs no passwd entry, as Docker resolves it', () => {
    expect(judge('1234', null).verdict).toBe('pass');
    expect(resolveUser('00:00', null, null)).toMatchObject({ ok: true, uid: 0, gid: 0 });
  });
});

describe('hardening.default-uid and override-uid', () => {
  it('never passes UID 0, whatever is expected', () => {
    expect(judgeDefaultUid({ started: true, expected: 5000, command: 'c', server: server({ uid: [0, 0, 0, 0] }), serverProblem: null }).verdict).toBe('violated');
    expect(judgeDefaultUid({ started: true, expected: 5000, command: 'c', server: server({ uid: [5000, 5000, 5000, 5000] }), serverProblem: null }).verdict).toBe('pass');
  });

  it('is an error, not a verdict, when the copy did not start or the server was not found', () => {
    expect(judgeDefaultUid({ started: false, expected: 5000, command: 'c', error: 'exit 1', logTail: [] }).verdict).toBe('error');
    expect(judgeDefaultUid({ started: true, expected: 5000, command: 'c', server: null, serverProblem: 'no process runs ovms' }).verdict).toBe('error');
  });

  it('override: applied, not applied, UID 0, or no --user at all', () => {
    const ok = resolveUser('1000:1000', null, null);
    expect(judgeOverrideUid({ requested: '1000:1000', source: 'given', resolved: ok, server: server() }).verdict).toBe('pass');
    expect(judgeOverrideUid({ requested: '1000:1000', source: 'given', resolved: ok, server: server({ gid: [0, 0, 0, 0] }) }).verdict).toBe('violated');
    const root = judgeOverrideUid({ requested: '0:0', source: 'the invoking user\'s uid:gid, the harness\'s default', resolved: resolveUser('0:0', null, null), server: server({ uid: [0, 0, 0, 0], gid: [0, 0, 0, 0] }) });
    expect(root.verdict === 'violated' && root.summary).toContain("--user defaulted to the invoking user's uid:gid, and this run is under root");
    expect(judgeOverrideUid({ requested: null, source: 'x', resolved: null, server: server() }).verdict).toBe('skip');
  });
});

describe('capabilities, privileges, models, start', () => {
  it('judges CapEff and NoNewPrivs of the server process, not of PID 1', () => {
    const wrapped = server({ pid: 7, how: 'executable /ovms/bin/ovms, PID 7 (parent 1)' });
    expect(judgeNoCapabilities({ server: wrapped, capDrop: ['ALL'], capAdd: null }).verdict).toBe('pass');
    expect(judgeNoCapabilities({ server: server({ capEff: '00000000a80425fb' }), capDrop: null, capAdd: null }).verdict).toBe('violated');
    const nnp = judgeNoNewPrivileges({ server: wrapped, securityOpt: [] });
    expect(nnp.verdict === 'pass' && nnp.summary).toContain('PID 7');
    expect(judgeNoNewPrivileges({ server: server({ noNewPrivs: 0 }), securityOpt: [] }).verdict).toBe('violated');
  });

  it('models: ro mount with EROFS passes; rw or no mount of its own does not', () => {
    const base = { modelPath: '/models/resnet', inspectMounts: [], writesAs: '1000:1000', writesSkipped: null };
    expect(judgeModelsReadOnly({ ...base, mounts: parseMountinfo(READ_ONLY), write: w('/models/resnet', 'EROFS') }).verdict).toBe('pass');
    expect(judgeModelsReadOnly({ ...base, mounts: parseMountinfo(READ_ONLY.replace('/models ro,', '/models rw,')), write: w('/models/resnet', 'written') }).verdict).toBe('violated');
    expect(judgeModelsReadOnly({ ...base, modelPath: '/opt/models', mounts: parseMountinfo(READ_ONLY), write: null }).verdict).toBe('violated');
  });

  it('starts-read-only: the log scan knows OVMS\'s own wordings', () => {
    const lines = [
      '[modelmanager][warning] Cache directory /opt/cache is not writable; access() result: -1',
      '[modelmanager][error] Failed to create local temp folder: /tmp/fileXXXXXX Read-only file system',
      '[s3][error] Failed to create a temporary path 13',
      '[modelmanager][error] Couldn\'t list directories in path: /models/resnet',
      'filesystem error: cannot create directories: Read-only file system [/opt/cache]',
      'Started REST server at 0.0.0.0:8000',
    ];
    expect(writeErrorLines(lines)).toHaveLength(5);
    const j = judgeStartsReadOnly({ conditions: ['--read-only'], missing: [], ready: true, readiness: 'REST', startupMs: 5, startError: null, log: lines, offending: writeErrorLines(lines) });
    expect(j.verdict).toBe('violated');
  });
});
