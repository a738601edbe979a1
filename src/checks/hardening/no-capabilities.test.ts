// hardening.no-capabilities: CapEff of the server process (not of PID 1).
import { describe, expect, it } from 'vitest';
import { server } from '../../../test/support/hardening-fixtures.js';
import { judgeNoCapabilities } from './no-capabilities.js';

describe('hardening.no-capabilities', () => {
  it('judges CapEff of the server process, not of PID 1', () => {
    const wrapped = server({ pid: 7, how: 'executable /ovms/bin/ovms, PID 7 (parent 1)' });
    expect(judgeNoCapabilities({ server: wrapped, capDrop: ['ALL'], capAdd: null }).verdict).toBe('pass');
    expect(judgeNoCapabilities({ server: server({ capEff: '00000000a80425fb' }), capDrop: null, capAdd: null }).verdict).toBe('violated');
  });

  it('judges the permitted set too, and names the bounding set (what could be regained)', () => {
    const prm = judgeNoCapabilities({ server: server({ capPrm: '0000000000200000' }), capDrop: null, capAdd: null });
    expect(prm.verdict === 'violated' && prm.summary).toBe('the server (PID 1) holds capabilities: effective none; permitted SYS_ADMIN');
    const dropped = judgeNoCapabilities({ server: server({ capBnd: '0000000000000000' }), capDrop: ['ALL'], capAdd: null });
    expect(dropped.verdict === 'pass' && dropped.summary).toContain('none can be regained (bounding set empty)');
    const wide = judgeNoCapabilities({ server: server({ capBnd: '00000000a82425fb' }), capDrop: null, capAdd: ['SYS_ADMIN'] });
    expect(wide.verdict === 'pass' && wide.summary).toContain("SYS_ADMIN beyond Docker's default (see hardening.privileged)");
    expect(judgeNoCapabilities({ server: server({ capPrm: 'x' }), capDrop: null, capAdd: null }).verdict).toBe('error');
  });
});
