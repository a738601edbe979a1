// hardening.read-only-rootfs on recorded mount tables and write results: volumes elsewhere, a rw root,
// permissions that prove nothing, an attached container without writes.
import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../docker/mounts.js';
import { READ_ONLY, server, VOLUME, w } from '../../../test/support/hardening-fixtures.js';
import { judgeReadOnlyRootfs } from './read-only-rootfs.js';

const rofs = (extra: Partial<Parameters<typeof judgeReadOnlyRootfs>[0]> = {}) => judgeReadOnlyRootfs({
  readonlyRootfsFlag: true, modelPath: '/models/resnet', server: server(), mounts: parseMountinfo(READ_ONLY), inspectMounts: [],
  writes: [w('/', 'EROFS'), w('/etc', 'EROFS'), w('/ovms', 'EROFS')], writesAs: '1000:1000', writesSkipped: null, ...extra,
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
