// hardening.no-new-privileges: NoNewPrivs of the server process (not of PID 1).
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/support/hardening-fixtures.js';
import { judgeNoNewPrivileges } from './no-new-privileges.js';

describe('hardening.no-new-privileges', () => {
  it('judges NoNewPrivs of the server process, not of PID 1', () => {
    const wrapped = server({ pid: 7, how: 'executable /ovms/bin/ovms, PID 7 (parent 1)' });
    const nnp = judgeNoNewPrivileges({ server: wrapped, securityOpt: [] });
    expect(nnp.verdict === 'pass' && nnp.summary).toContain('PID 7');
    expect(judgeNoNewPrivileges({ server: server({ noNewPrivs: 0 }), securityOpt: [] }).verdict).toBe('violated');
  });
});
