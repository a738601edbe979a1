// hardening.image-user: USER resolved through the image's own passwd as Docker resolves it.
import { describe, expect, it } from 'vitest';
import { resolveUser } from '../../docker/user-spec.js';
import { judgeImageUser } from './image-user.js';

describe('hardening.image-user', () => {
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
