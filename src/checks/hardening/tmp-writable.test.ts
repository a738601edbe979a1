// hardening.tmp-writable: a write, a tmpfs that inherits 0755, no tmpfs, and the mode for an attached
// container.
import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../docker/mounts.js';
import { READ_ONLY, w } from '../../../test/support/hardening-fixtures.js';
import { judgeTmpWritable, modeAllowsWrite } from './tmp-writable.js';

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
