// The server's mount table as the probe agent reads it (/proc/<pid>/mountinfo), and which writable
// mounts are allowed.
import { describe, expect, it } from 'vitest';
import { allowedWritable, parseMountinfo } from '../../src/docker/mounts.js';
import { READ_ONLY, VOLUME } from '../support/hardening-fixtures.js';

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
