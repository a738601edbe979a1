// hardening.override-uid: applied, not applied, UID 0 (with why), or no --user at all.
import { describe, expect, it } from 'vitest';
import { resolveUser } from '../../docker/user-spec.js';
import { server } from '../../../test/support/hardening-fixtures.js';
import { judgeOverrideUid } from './override-uid.js';

describe('hardening.override-uid', () => {
  it('override: applied, not applied, UID 0, or no --user at all', () => {
    const ok = resolveUser('1000:1000', null, null);
    expect(judgeOverrideUid({ requested: '1000:1000', source: 'given', resolved: ok, server: server() }).verdict).toBe('pass');
    expect(judgeOverrideUid({ requested: '1000:1000', source: 'given', resolved: ok, server: server({ gid: [0, 0, 0, 0] }) }).verdict).toBe('violated');
    const root = judgeOverrideUid({ requested: '0:0', source: "the invoking user's uid:gid, the harness's default", resolved: resolveUser('0:0', null, null), server: server({ uid: [0, 0, 0, 0], gid: [0, 0, 0, 0] }) });
    expect(root.verdict === 'violated' && root.summary).toContain("--user defaulted to the invoking user's uid:gid, and this run is under root");
    expect(judgeOverrideUid({ requested: null, source: 'x', resolved: null, server: server() }).verdict).toBe('skip');
  });
});
